"""The sign-in link a phone opens from IT's QR code: `<server>/check#token=<token>`.

The token travels in the fragment, which browsers never send to a server (so it is not in any
access log or Referer); the page stores it and removes it from the address bar at once.
"""
from __future__ import annotations

from urllib.parse import quote

import qrcode
import qrcode.image.svg
from flask import url_for
from markupsafe import Markup


def signin_url(token: str) -> str:
    return url_for("checkpage.page", _external=True) + "#token=" + quote(token, safe="")


def qr_svg(data: str, label: str) -> Markup:
    """An inline SVG QR code (no script, no style attribute: fine under the page's CSP)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(data)
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    svg = svg[svg.index("<svg"):]  # drop the XML declaration, not allowed inside HTML
    svg = svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{Markup.escape(label)}" ', 1)
    return Markup(svg)
