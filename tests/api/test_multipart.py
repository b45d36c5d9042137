"""The multipart form of /check: a draft part and up to four images, sniffed by content."""
from __future__ import annotations

import io
import json

from PIL import Image

from tests.support.helpers import draft


def png_bytes(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def post(client, auth, parts):
    return client.post("/api/v1/check", data=parts, headers=auth, content_type="multipart/form-data")


def test_draft_and_image(client, auth):
    res = post(client, auth, {"draft": json.dumps(draft("Sports day")), "images": (io.BytesIO(png_bytes()), "a.png")})
    assert res.status_code == 200, res.json
    assert res.json["verdict"] in {"pass", "advice", "warn", "block"}


def test_missing_draft_part(client, auth):
    res = post(client, auth, {"images": (io.BytesIO(png_bytes()), "a.png")})
    assert res.status_code == 422 and "draft" in res.json["error"]["fields"]


def test_draft_part_not_json(client, auth):
    res = post(client, auth, {"draft": "{oops"})
    assert res.status_code == 422 and "draft" in res.json["error"]["fields"]


def test_unknown_part(client, auth):
    res = post(client, auth, {"draft": json.dumps(draft("x")), "extra": "1"})
    assert res.status_code == 422 and "extra" in res.json["error"]["fields"]


def test_text_file_named_png_is_415(client, auth):
    res = post(client, auth, {"draft": json.dumps(draft("x")), "images": (io.BytesIO(b"hello, not an image"), "a.png")})
    assert res.status_code == 415
    assert res.json["error"]["code"] == "unsupported_media_type"
    assert "images.0" in res.json["error"]["fields"]


def test_empty_file_is_422(client, auth):
    res = post(client, auth, {"draft": json.dumps(draft("x")), "images": (io.BytesIO(b""), "a.png")})
    assert res.status_code == 422 and "images.0" in res.json["error"]["fields"]


def test_five_images_are_refused(client, auth):
    files = [(io.BytesIO(png_bytes()), f"{i}.png") for i in range(5)]
    res = post(client, auth, {"draft": json.dumps(draft("x")), "images": files})
    assert res.status_code == 422 and "images" in res.json["error"]["fields"]
