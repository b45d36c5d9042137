"""Helpers for the no-publish list tests: sign-in, a valid pupil form, real face photos."""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FACES = ROOT.parent / "shared" / "faces"
LFW = FACES / "lfw"


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client: Any, name: str, password: str | None = None) -> str:
    """Sign in and return a CSRF token for later forms."""
    page = client.get("/admin/login").get_data(as_text=True)
    res = client.post("/admin/login", data={"name": name, "password": password or f"pw-{name}",
                                            "csrf_token": csrf_from(page)})
    assert res.status_code == 302, res.get_data(as_text=True)
    return csrf_from(client.get("/admin/").get_data(as_text=True))


def pupil_form(csrf: str, **overrides: Any) -> dict[str, Any]:
    """A valid add/edit form with parental consent recorded."""
    form = {
        "csrf_token": csrf, "display_name": "Jordan Example", "reference": "A100", "year_group": "Year 7",
        "reason": "no-consent", "reason_note": "", "review_by": "2030-07-31",
        "parents_notified_on": "2025-09-01", "consent_given_by": "P. Example (mother)",
        "consent_given_on": "2025-09-03",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def lfw(person: str, number: int = 1) -> bytes:
    return (LFW / person / f"{person}_{number:04d}.jpg").read_bytes()


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def two_faces(left: bytes, right: bytes) -> bytes:
    """Two LFW photos side by side: a photo with two faces."""
    a, b = Image.open(io.BytesIO(left)), Image.open(io.BytesIO(right))
    canvas = Image.new("RGB", (a.width + b.width, max(a.height, b.height)), "white")
    canvas.paste(a, (0, 0))
    canvas.paste(b, (a.width, 0))
    return jpeg(canvas)


def blank_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 200), (120, 160, 200)).save(out, "PNG")
    return out.getvalue()
