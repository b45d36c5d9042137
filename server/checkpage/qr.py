"""The sign-in link a phone opens from IT's QR code: `<server>/check#signin=<single-use code>`.

The code (server/signin/devices.py) works once, within five minutes, and only by a POST from the
page, which then holds a token of its own for that phone; no lasting credential is ever in the
QR code or a URL. The code travels in the fragment, which browsers never send to a server (so it
is not in any access log or Referer); the page removes it from the address bar at once.
"""
from __future__ import annotations

from urllib.parse import quote

import qrcode
import qrcode.image.svg
from flask import url_for
from markupsafe import Markup


def signin_url(code: str) -> str:
    return url_for("checkpage.page", _external=True) + "#signin=" + quote(code, safe="")


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
