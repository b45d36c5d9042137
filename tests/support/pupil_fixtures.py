"""Helpers for the no-publish list tests: sign-in, a valid pupil form, real face photos."""
from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from PIL import Image

from tests.support.helpers import csrf_from
from tests.support.helpers import login as form_login

ROOT = Path(__file__).resolve().parents[2]
FACES = ROOT.parent / "shared" / "faces"
LFW = FACES / "lfw"


def login(client: Any, name: str, password: str | None = None) -> str:
    """Sign in and return a CSRF token for later forms."""
    res = form_login(client, name, password)
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


@contextmanager
def list_site(tmp_path_factory: Any, backend: str = "sqlite", staff: tuple[tuple[str, str], ...] = (("it", "admin"),)
              ) -> Iterator[Any]:
    """An app shared by a test module (argon2 and face enrolment are slow by design), with admins
    and reviewers whose password is `pw-<name>`."""
    from server.staff import create_staff
    from tests.support.helpers import make_test_app

    app, cleanup = make_test_app(tmp_path_factory.mktemp("list"), backend)
    with app.app_context():
        for name, role in staff:
            create_staff(name, role, password=f"pw-{name}")
    try:
        yield app
    finally:
        cleanup()


def signed_in(app: Any, name: str = "it") -> tuple[Any, str]:
    """A test client signed in as `name`, and its CSRF token."""
    client = app.test_client()
    return client, login(client, name)


def empty_list(app: Any) -> None:
    """Start a test with no pupils and no audit trail (tests may delete; the app cannot)."""
    from sqlalchemy import delete

    from server.db import get_db
    from server.models import AuditEvent, FaceTemplate, Pupil
    with app.app_context():
        db = get_db()
        for model in (FaceTemplate, Pupil, AuditEvent):
            db.execute(delete(model))
        db.commit()
