"""Safe intake: only real images are decoded, bombs and broken files are refused, nothing touches disk."""
from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from image_checks.decode import decode
from image_checks.face_detection import find_faces
from image_checks.intake import IntakeError, check_upload, embedded_format
from server.api.intake import http_status
from tests.support.helpers import draft
from tests.support.image_synth import strangers

MB = 1024 * 1024


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height (a decompression bomb's promise)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def face_jpeg() -> bytes:
    return strangers(1)[0].read_bytes()


def test_real_types_decode():
    img = Image.new("RGB", (30, 20), (10, 20, 30))
    for fmt, kind in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp"), ("GIF", "image/gif")):
        decoded = decode(encode(img, fmt))
        assert decoded.media_type == kind and decoded.rgb.shape == (20, 30, 3)


def test_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (16, 16), c) for c in ((250, 0, 0), (0, 0, 250))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    rgb = decode(data).rgb
    assert rgb[8, 8, 0] > 200 and rgb[8, 8, 2] < 50


def test_non_image_with_an_image_name_is_refused():
    with pytest.raises(IntakeError) as err:
        check_upload(b"%!PS-Adobe-3.0\nnot a photo\n" * 10, 10 * MB)
    assert err.value.code == "unsupported_media_type" and http_status(err.value) == 415


def test_empty_file_is_refused():
    with pytest.raises(IntakeError) as err:
        decode(b"")
    assert http_status(err.value) == 422


def test_polyglots_are_refused(face_jpeg):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("run.js", "alert(1)")
    jpeg_zip = face_jpeg + archive.getvalue()  # opens as a photo and as an archive
    img = Image.new("RGB", (20, 20))
    jpeg_script = encode(img, "JPEG", comment=b"<script>alert(1)</script>")
    gif_html = encode(img, "GIF") + b"<html><body>hi</body></html>"
    for data, what in ((jpeg_zip, "zip"), (jpeg_script, "<script"), (gif_html, "<html")):
        assert Image.open(io.BytesIO(data)).size  # each one really is an image too
        with pytest.raises(IntakeError) as err:
            check_upload(data, 10 * MB)
        assert err.value.code == "unsupported_media_type", what
        assert what in err.value.reason.lower()


def test_ordinary_photos_are_not_polyglots(face_jpeg):
    for photo in strangers(20):
        assert embedded_format(photo.read_bytes()) is None


def test_bombs_are_refused_before_decoding():
    for data in (png_claiming(30_000, 30_000), png_claiming(100_000, 100_000),
                 encode(Image.new("1", (8_000, 8_000)), "PNG")):
        assert len(data) < 2 * MB
        with pytest.raises(IntakeError) as err:
            decode(data)
        assert err.value.code == "payload_too_large" and http_status(err.value) == 413


def test_pixel_cap_is_a_parameter():
    data = encode(Image.new("RGB", (200, 100)), "PNG")
    assert decode(data, max_pixels=20_000).width == 200
    with pytest.raises(IntakeError):
        decode(data, max_pixels=19_999)


def test_truncated_jpeg_is_refused(face_jpeg):
    with pytest.raises(IntakeError) as err:
        decode(face_jpeg[: len(face_jpeg) // 2])
    assert http_status(err.value) == 422 and "truncated" in err.value.reason


def test_exif_orientation_is_applied_before_detection(face_jpeg):
    upright = Image.open(io.BytesIO(face_jpeg)).convert("RGB").crop((0, 0, 250, 210))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    stored = encode(upright.transpose(Image.Transpose.ROTATE_90), "JPEG", exif=exif.tobytes(), quality=95)
    decoded = decode(stored)
    assert (decoded.width, decoded.height) == (250, 210)
    (face,) = find_faces(decoded.rgb)
    (expected,) = find_faces(decode(encode(upright, "JPEG", quality=95)).rgb)
    assert all(abs(a - b) <= 6 for a, b in zip(face.box, expected.box))


# --- through the API ------------------------------------------------------------------------

def post(client, auth, files):
    body = {"draft": json.dumps(draft("Our trip")), "images": files}
    return client.post("/api/v1/check", data=body, headers=auth, content_type="multipart/form-data")


def test_api_refusals_name_the_file(client, auth, face_jpeg):
    ok = encode(Image.new("RGB", (20, 20)), "PNG")
    cases = [
        (b"just text, named like a photo", 415, "unsupported_media_type"),
        (face_jpeg + b"<script>x</script>", 415, "unsupported_media_type"),
        (png_claiming(30_000, 30_000), 413, "payload_too_large"),
        (face_jpeg[:3000], 422, "invalid_request"),
        (b"", 422, "invalid_request"),
    ]
    for data, status, code in cases:
        res = post(client, auth, [(io.BytesIO(ok), "ok.png"), (io.BytesIO(data), "photo.jpg")])
        assert res.status_code == status, (status, res.json)
        assert res.json["error"]["code"] == code
        assert list(res.json["error"]["fields"]) == ["images.1"]
        assert "Traceback" not in res.get_data(as_text=True)


def test_api_five_images_are_refused(client, auth):
    ok = encode(Image.new("RGB", (20, 20)), "PNG")
    res = post(client, auth, [(io.BytesIO(ok), f"{i}.png") for i in range(5)])
    assert res.status_code == 422 and "images" in res.json["error"]["fields"]


def test_api_four_plain_images_pass(client, auth):
    ok = encode(Image.new("RGB", (20, 20)), "PNG")
    res = post(client, auth, [(io.BytesIO(ok), f"{i}.png") for i in range(4)])
    assert res.status_code == 200 and res.json["verdict"] == "pass"
