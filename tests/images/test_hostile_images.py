"""Hostile images through the real API: each is refused with a documented error, or checked safely.

The corpus is tests/data/hostile/, written by tools/make_hostile_images.py (checked here to be
exactly what the script makes). Time and memory per file are measured by bench/hostile_images.py,
not asserted here.
"""
from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.support.helpers import draft

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"

#: name -> (allowed statuses, allowed error codes). 200 means "checked safely".
REFUSED_TYPE = ({415}, {"unsupported_media_type"})
REFUSED_SIZE = ({413, 422}, {"payload_too_large", "invalid_image", "invalid_request"})
REFUSED_BROKEN = ({422}, {"invalid_image", "invalid_request"})
CHECKED = ({200}, set())
EXPECTED = {
    "script.svg": REFUSED_TYPE,
    "html-named.png": REFUSED_TYPE,
    "bomb-real-30000x30000.png": REFUSED_SIZE,
    "bomb-declared-65535x65535.png": REFUSED_SIZE,
    "bomb-declared-65500x65500.jpg": REFUSED_SIZE,
    "bomb-canvas-65535x65535.gif": REFUSED_SIZE,
    "truncated.jpg": REFUSED_BROKEN,
    "truncated.png": REFUSED_BROKEN,
    "header-only.png": REFUSED_BROKEN,
    "zero-size.png": REFUSED_BROKEN,
    "corrupt-crc.png": REFUSED_BROKEN,
    # A JPEG decoder may resynchronise on damaged scan data: either answer is safe.
    "corrupt-scan.jpg": ({200, 422}, {"invalid_image", "invalid_request"}),
    # Image and something else at once: refusing is safest, checking the pixels is safe too.
    "polyglot-jpeg-zip.jpg": ({200, 415}, {"unsupported_media_type"}),
    "polyglot-png-html.png": ({200, 415}, {"unsupported_media_type"}),
    "exif-1mb.png": CHECKED,
    "exif-4-app1.jpg": CHECKED,
    "exif-loop.jpg": CHECKED,
    "cmyk.jpg": CHECKED,
    "gray16.png": CHECKED,
    "rgb48.png": CHECKED,
    "animated-10000-frames.gif": CHECKED,
}


@pytest.fixture
def backend() -> str:
    """The image path does not depend on the database: SQLite only."""
    return "sqlite"


def test_corpus_is_what_the_script_makes():
    from tools.make_hostile_images import CORPUS, build_all
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(CORPUS) == sorted(EXPECTED)
    for name, data in build_all().items():
        assert (HOSTILE / name).read_bytes() == data, f"{name}: run tools/make_hostile_images.py"
    assert sum(p.stat().st_size for p in HOSTILE.iterdir()) < 3 * 1024 * 1024


def post_multipart(client, auth, body: dict, names: list[str]):
    """Encode in memory (the test client spools big bodies to a temp file it never closes)."""
    files = [FileStorage(io.BytesIO((HOSTILE / n).read_bytes()), filename=n) for n in names]
    boundary, payload = encode_multipart(MultiDict([("draft", json.dumps(body))] + [("images", f) for f in files]))
    return client.post("/api/v1/check", headers=auth, data=payload,
                       content_type=f"multipart/form-data; boundary={boundary}")


def post_image(client, auth, name: str, account_type: str = "school"):
    return post_multipart(client, auth, draft("Sports day at King James's", account_type=account_type), [name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_image_is_refused_or_checked_safely(client, auth, name):
    statuses, codes = EXPECTED[name]
    res = post_image(client, auth, name)
    assert res.status_code in statuses, (name, res.status_code, res.get_data(as_text=True)[:300])
    assert res.is_json
    if res.status_code == 200:
        assert res.json["verdict"] in {"pass", "advice", "warn", "block"}
        for finding in res.json["findings"]:
            assert finding["image"] is None or finding["image"]["index"] == 0
    else:
        error = res.json["error"]
        assert set(error) == {"code", "message", "fields"}
        assert error["code"] in codes
        assert "images.0" in error["fields"]
        assert "Traceback" not in error["message"] and "/work/" not in error["message"]


@pytest.mark.parametrize("name", ["polyglot-jpeg-zip.jpg", "polyglot-png-html.png"])
def test_a_stripped_copy_never_carries_the_polyglot_payload(client, auth, name):
    """If the service hands back a cleaned copy of an image, it is re-encoded pixels only."""
    res = post_image(client, auth, name)
    assert res.status_code in (200, 415)
    for copy in (res.json.get("stripped_images") or []) if res.status_code == 200 else []:
        data = base64.b64decode(copy["base64"] if "base64" in copy else copy.get("data", ""))
        assert b"<script>" not in data
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(io.BytesIO(data))


def test_every_hostile_image_in_one_request(client, auth):
    """Four at a time, the most expensive ones: one answer, still no 5xx."""
    names = ["bomb-real-30000x30000.png", "animated-10000-frames.gif", "exif-1mb.png", "cmyk.jpg"]
    res = post_multipart(client, auth, draft("Sports day", account_type="school"), names)
    assert res.status_code in {200, 413, 422}
    if res.status_code != 200:
        assert "images.0" in res.json["error"]["fields"]  # the bomb is named, by its index
