"""The API answers byte-for-byte as recorded in tests/data/api_golden/ (recorded before issue 15's
refactoring of the rules and the image pipeline, so the refactoring is proved not to change them).

Only the check id and the elapsed time (new on every call) are replaced before comparing; the
near-miss log row of each case is compared too. To record again after a deliberate change:
`SECONDLOOK_GOLDEN_WRITE=1 .venv/bin/python -m pytest tests/api/test_api_golden.py`.

A second set of requests (REQUESTS: more text cases, each kind of error, the health document) is
compared on its answer alone, recorded before issue 15 moved server/ into rooms. The OpenAPI
document, now built by flask-smorest, is compared by meaning in test_openapi_document.py.
"""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.support.helpers import draft
from tests.support.helpers import make_test_app
from tests.support.image_synth import enrolled_people, group_photo, list_pupil, other_photos, strangers

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "api_golden"
WRITE = os.environ.get("SECONDLOOK_GOLDEN_WRITE") == "1"
SCHOOL = {"account_type": "school", "account_handle": "@KJSKnaresboro"}

_CHECK_ID = re.compile(rb'"check_id":\s*"[^"]*"')
_ELAPSED = re.compile(rb'"elapsed_ms":\s*[0-9.eE+-]+')
_CHECK_ID_HEX = re.compile(rb'"check_id":\s*"[0-9a-f]{32}"')


def gps_jpeg(artist: str | None = None) -> bytes:
    img = Image.new("RGB", (64, 48), (10, 200, 30))
    img.paste((200, 10, 10), (0, 0, 16, 16))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (54.0, 0.0, 27.5), 3: "W", 4: (1.0, 28.0, 0.0)})
    if artist:
        exif[0x013B] = artist
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def text_case(text: str, **fields):
    return {"json": draft(text, **fields)}


def image_case(text: str, files: list[tuple[bytes, str]], **fields):
    return {"data": {"draft": json.dumps(draft(text, **fields)),
                     "images": [(io.BytesIO(data), name) for data, name in files]},
            "content_type": "multipart/form-data"}


CASES = {
    "text_personal_mixed": lambda: text_case(
        "Proud of our Year 9s at King James's today! Ring Jo on 07700 900123, what an idiot the ref was."),
    "text_school_pupil_contact": lambda: text_case(
        "@jbloggs09 well done, see me tomorrow. Closed Thursday due to strike action, which we support. "
        "PARENTS PLEASE STOP PARKING ON THE ZIGZAGS", **SCHOOL),
    "text_clean": lambda: text_case("Lovely sunny day for sports day. Views my own.", **SCHOOL),
    "image_personal_face_and_gps": lambda: image_case(
        "Trip today", [(strangers(1)[0].read_bytes(), "trip.jpg"), (gps_jpeg(), "garden.jpg")]),
    "image_school_gps_author": lambda: image_case(
        "Our garden", [(gps_jpeg(artist="Harrogate Advertiser"), "garden.jpg")], **SCHOOL),
    "error_not_an_image": lambda: image_case("x", [(b"%!PS-Adobe-3.0\nnot a photo\n" * 10, "a.jpg")]),
    "error_truncated_image": lambda: image_case("x", [(gps_jpeg()[:300], "cut.jpg")]),
    "error_invalid_field": lambda: text_case("x", platform="myspace"),
}


def normalised(body: bytes) -> str:
    body = _CHECK_ID.sub(b'"check_id": "<id>"', body)
    return _ELAPSED.sub(b'"elapsed_ms": 0', body).decode("utf-8")


def logged_row(app, check_id: str | None):
    if not check_id:
        return None
    from server.db import session_factory
    from server.models import Check
    with app.app_context(), session_factory(app)() as db:
        row = db.get(Check, check_id)
        if row is None:
            return None
        return {"verdict": row.verdict, "findings": row.findings, "images": row.images, "excerpt": row.excerpt}


def assert_as_recorded(app, res, name):
    check_id = (res.json or {}).get("check_id")
    answer = {"status": res.status_code, "content_type": res.content_type, "body": normalised(res.get_data()),
              "logged": logged_row(app, check_id)}
    path = GOLDEN / f"{name}.json"
    if WRITE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(answer, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    assert answer == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_api_answer_is_as_recorded(app, client, auth, name):
    assert_as_recorded(app, client.post("/api/v1/check", headers=auth, **CASES[name]()), name)


def test_no_publish_face_answer_is_as_recorded(tmp_path):
    """A school account's group photo: a listed pupil among strangers (block), one face too small."""
    from checks_common import default_policy
    from server.staff import create_staff

    person = enrolled_people(1)[0]
    app, cleanup = make_test_app(tmp_path, "sqlite")
    try:
        with app.app_context():
            _, token, _ = create_staff("teacher", "staff")
        list_pupil(app, person, default_policy())
        photo = group_photo([other_photos(person)[0]] + strangers(3)[:2], size=(900, 600), face_px=110, seed=5)
        small = group_photo(strangers(3)[2:], size=(1200, 900), face_px=22, seed=6)
        res = app.test_client().post("/api/v1/check", headers={"Authorization": f"Bearer {token}"},
                                     **image_case("Sports day", [(photo.jpeg(), "a.jpg"), (small.jpeg(), "b.jpg")],
                                                  **SCHOOL))
        assert_as_recorded(app, res, "image_school_no_publish_face")
    finally:
        cleanup()


def _text(text: str, **overrides: Any) -> dict[str, Any]:
    return {"method": "post", "path": "/api/v1/check", "json": draft(text, **overrides), "auth": True}


REQUESTS: dict[str, dict[str, Any]] = {
    "check-clean": _text("Well done to our U14 netball team who beat St Aidan's 24-12 on Saturday!",
                         account_type="school"),
    "check-disclaimer": _text("🎉🎉 Well done to everyone at King James's School on a brilliant open evening!"),
    "check-identifier": _text("Can someone update SIMS? UPN B801200005001 has the wrong tutor group.",
                              account_type="school"),
    "check-contact-and-tone": _text("PARENTS PLEASE STOP PARKING ON THE ZIGZAGS, text me on 07700 900123.",
                                    account_type="school"),
    "check-derogatory": _text("SLT are clueless, absolutely no idea what happens in classrooms."),
    "check-direct": _text("Hi, can you come and see me at break about your coursework?",
                          account_type="school", audience="direct"),
    "error-invalid-fields": {"method": "post", "path": "/api/v1/check", "auth": True,
                             "json": {"text": 5, "platform": "myspace", "audience": "public", "extra": 1}},
    "error-not-an-object": {"method": "post", "path": "/api/v1/check", "auth": True, "json": [1, 2]},
    "error-malformed-json": {"method": "post", "path": "/api/v1/check", "auth": True,
                             "data": b'{"text": ', "content_type": "application/json"},
    "error-content-type": {"method": "post", "path": "/api/v1/check", "auth": True,
                           "data": b"text=hello", "content_type": "text/plain"},
    "error-no-token": {"method": "post", "path": "/api/v1/check", "auth": False, "json": draft("Hello")},
    "error-image-type": {"method": "post", "path": "/api/v1/check", "auth": True, "multipart": True},
    "error-unknown-outcome": {"method": "post", "path": "/api/v1/checks/0123456789abcdef/outcome",
                              "auth": True, "json": {"action": "edited"}},
    "error-unknown-route": {"method": "get", "path": "/api/v1/nothing-here", "auth": False},
    "health": {"method": "get", "path": "/api/v1/health", "auth": False},
}


def _send(client: Any, auth: dict[str, str], case: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {"headers": auth if case["auth"] else {}}
    if "json" in case:
        kwargs["json"] = case["json"]
    if "data" in case:
        kwargs["data"] = case["data"]
        kwargs["content_type"] = case["content_type"]
    if case.get("multipart"):
        kwargs["data"] = {"draft": json.dumps(draft("Sports day!")),
                          "images": (io.BytesIO(b"just some text, not a picture\n" * 4), "notes.jpg")}
        kwargs["content_type"] = "multipart/form-data"
    return getattr(client, case["method"])(case["path"], **kwargs)


def _answer(res: Any) -> dict[str, Any]:
    body = res.get_data()
    body = _CHECK_ID_HEX.sub(b'"check_id":"<check-id>"', body)
    body = _ELAPSED.sub(b'"elapsed_ms":0', body)
    return {"status": res.status_code, "content_type": res.content_type, "body": body.decode("utf-8")}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_answer_is_as_recorded(client, auth, name):
    answer = _answer(_send(client, auth, REQUESTS[name]))
    path = GOLDEN / f"{name}.json"
    if WRITE:
        path.write_text(json.dumps(answer, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert answer == recorded
