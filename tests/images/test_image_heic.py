"""HEIC/HEIF (iPhones' default) goes through the same safe intake as JPEG: sniffed by content,
pixel cap before decoding (grid tiles included), broken files refused, rotated once, metadata
found and stripped, polyglots refused.

The photos are tests/data/*.heic, written by tools/make_heic_samples.py with pillow-heif's own
encoder from a real face photo.
"""
from __future__ import annotations

import base64
import io
import json
import random
import struct
import zipfile
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images
from image_checks.decode import decode
from image_checks.face_detection import _iou, find_faces
from image_checks.heif_items import image_items
from image_checks.intake import IntakeError, check_upload, embedded_format, sniff
from server.api.intake import http_status
from image_checks.exif import GPS_IFD, read_metadata, stripped_copy
from tests.support.helpers import draft

DATA = Path(__file__).resolve().parents[1] / "data"
MB = 1024 * 1024
SCHOOL = Draft(text="Our garden", account_type="school", account_handle="@KJSKnaresboro")


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def with_brand(data: bytes, major: bytes, compatible: bytes) -> bytes:
    """The same file with another `ftyp` (same length, so every offset stays right)."""
    size = struct.unpack(">I", data[:4])[0]
    assert data[4:8] == b"ftyp" and len(compatible) == size - 16
    return data[:8] + major + data[12:16] + compatible + data[size:]


def with_ispe(data: bytes, width: int, height: int) -> bytes:
    """The same file with every `ispe` box (the size the header claims) set to width × height."""
    out = bytearray(data)
    at = out.find(b"ispe")
    while at >= 0:
        out[at + 8:at + 16] = struct.pack(">II", width, height)
        at = out.find(b"ispe", at + 4)
    return bytes(out)


def faces_in(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    return [face.box for face in find_faces(rgb)]


def close(a, b, min_iou: float = 0.7) -> bool:
    """The same faces, boxed alike (the detector may move a box by a tenth of the face's size)."""
    return len(a) == len(b) and all(_iou(p, q) >= min_iou for p, q in zip(a, b))


@pytest.fixture(scope="module")
def photo() -> bytes:
    return sample("photo.heic")


# --- what it is ----------------------------------------------------------------------------------

def test_libmagic_names_heic_and_heif_and_both_are_accepted(photo):
    assert sniff(photo) == "image/heic"  # major brand "heic", as iPhones write it
    generic = with_brand(photo, b"mif1", b"mif1heicmiaf")
    assert sniff(generic) == "image/heif"
    for data, kind in ((photo, "image/heic"), (generic, "image/heif")):
        assert check_upload(data, 10 * MB) == kind
        decoded = decode(data)
        assert decoded.media_type == kind and (decoded.width, decoded.height) == (480, 320)


def test_heif_sequences_and_avif_are_refused(photo):
    sequences = {"image/heif-sequence": with_brand(photo, b"msf1", b"msf1hevcmiaf"),
                 "image/heic-sequence": with_brand(photo, b"hevc", b"msf1hevcmiaf")}
    avif = encode(Image.open(io.BytesIO(photo)), "AVIF")
    for kind, data in (*sequences.items(), ("image/avif", avif)):
        assert sniff(data) == kind
        with pytest.raises(IntakeError) as err:
            check_upload(data, 10 * MB)
        assert err.value.code == "unsupported_media_type" and "HEIC" in err.value.reason


def test_avif_dressed_as_heif_does_not_decode():
    avif = encode(Image.new("RGB", (64, 48), (200, 30, 30)), "AVIF")
    disguised = avif[:8] + b"mif1" + avif[12:]
    assert sniff(disguised) == "image/heif"
    with pytest.raises(IntakeError) as err:
        decode(disguised)
    assert err.value.code in {"unsupported_media_type", "invalid_request"}


def test_heic_decodes_like_the_same_photo_as_jpeg(photo):
    decoded = decode(photo)
    assert decoded.rgb.shape == (320, 480, 3) and decoded.rgb.dtype == np.uint8
    as_jpeg = decode(encode(Image.fromarray(decoded.rgb), "JPEG", quality=95))
    found = faces_in(decoded.rgb)
    assert len(found) == 1 and close(found, faces_in(as_jpeg.rgb))


def test_a_phone_style_grid_decodes_like_the_single_image(photo):
    grid = sample("photo-grid.heic")
    assert [i.item_type for i in image_items(grid)] == ["grid"] + ["hvc1"] * 4
    tiled, whole = decode(grid).rgb, decode(photo).rgb
    assert tiled.shape == whole.shape == (320, 480, 3)
    assert np.abs(tiled.astype(int) - whole).mean() < 3
    assert close(faces_in(tiled), faces_in(whole))


def test_the_primary_image_is_checked_not_the_first(photo):
    """A HEIF can hold several images; viewers show the primary one, so that is the one checked."""
    face = Image.open(io.BytesIO(photo))
    blank = Image.new("RGB", face.size, (128, 128, 128))
    data = encode(blank, "HEIF", save_all=True, append_images=[face], primary_index=1, quality=80)
    assert len(image_items(data)) == 2
    decoded = decode(data)
    assert decoded.rgb.std() > 20 and len(faces_in(decoded.rgb)) == 1


# --- the pixel cap and broken files --------------------------------------------------------------

def test_image_open_reads_only_the_header(photo):
    """Cut off the coded pixels: the size is still known, only decoding fails."""
    cut = photo[: len(photo) // 2]
    img = Image.open(io.BytesIO(cut))
    assert img.format == "HEIF" and img.size == (480, 320)
    with pytest.raises((ValueError, RuntimeError, OSError)):
        img.load()


def test_truncated_and_corrupt_heic_are_invalid_requests(photo):
    broken = [photo[: len(photo) // 2], photo[:len(photo) - 10], photo[:300],
              photo[:100] + bytes(len(photo) - 100)]
    for data in broken:
        with pytest.raises(IntakeError) as err:
            decode(data)
        assert err.value.code in {"invalid_request", "unsupported_media_type"} and http_status(err.value) in {415, 422}
    with pytest.raises(IntakeError) as err:
        decode(photo[: len(photo) // 2])
    assert err.value.code == "invalid_request" and "truncated" in err.value.reason


def test_pixel_cap_is_checked_from_the_header(photo):
    # The coded image is 480×320: had anything been decoded, libheif would have failed instead.
    claims = with_ispe(photo, 6000, 6000)
    with pytest.raises(IntakeError) as err:
        decode(claims, max_pixels=20_000_000)
    assert err.value.code == "payload_too_large" and "6000×6000" in err.value.reason
    with pytest.raises(IntakeError) as err:
        decode(with_ispe(photo, 60_000, 60_000))  # default cap (50 MP); Pillow's guard agrees
    assert err.value.code == "payload_too_large" and http_status(err.value) == 413


def test_a_header_smaller_than_the_coded_image_is_refused(photo):
    """libheif refuses to decode more pixels than the `ispe` box promised."""
    with pytest.raises(IntakeError) as err:
        decode(with_ispe(photo, 100, 100))
    assert err.value.code == "invalid_request"


def test_a_grid_bomb_is_refused_before_any_pixel_is_decoded(monkeypatch):
    bomb = sample("grid-bomb.heic")
    assert len(bomb) < 20_000 and Image.open(io.BytesIO(bomb)).size == (64, 64)  # the header's claim
    tiles = [i for i in image_items(bomb) if i.coded]
    assert len(tiles) == 64 and {(i.width, i.height) for i in tiles} == {(4096, 4096)}

    def no_decoding(self):
        raise AssertionError("pixels were decoded")
    monkeypatch.setattr(pillow_heif.as_plugin._LibHeifImageFile, "load", no_decoding)
    with pytest.raises(IntakeError) as err:
        decode(bomb)
    assert err.value.code == "payload_too_large" and "1073 MP" in err.value.reason


def test_mangled_heic_raises_only_intake_errors():
    """Flipped bytes, cut-off files and damaged boxes: refused or decoded, never anything else."""
    rng = random.Random(5)
    seeds = [sample(n) for n in ("photo.heic", "photo-gps.heic", "photo-rotated.heic", "photo-grid.heic")]
    outcomes = set()
    for _ in range(250):
        data = bytearray(rng.choice(seeds))
        how = rng.choice(["bytes", "boxes", "cut"])
        if how == "cut":
            data = data[: rng.randrange(len(data))]
        else:
            span = 700 if how == "boxes" else len(data)  # the boxes (ftyp, meta) are at the start
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(span)] = rng.randrange(256)
        try:
            decoded = decode(bytes(data))
        except IntakeError as exc:
            assert http_status(exc) in {413, 415, 422}
            outcomes.add(exc.code)
            continue
        outcomes.add("decoded")
        read_metadata(decoded.original)
        assert stripped_copy(decoded.original, decoded.media_type)[1] == "image/jpeg"
    assert {"decoded", "invalid_request"} <= outcomes


# --- orientation ---------------------------------------------------------------------------------

def test_a_rotated_heic_is_turned_upright_once(photo):
    rotated = sample("photo-rotated.heic")
    assert b"irot" in rotated  # libheif's rotation box...
    assert Image.open(io.BytesIO(rotated)).info["original_orientation"] == 6  # ...and EXIF's, as iPhones write
    decoded, upright = decode(rotated), decode(photo)
    assert decoded.rgb.shape == upright.rgb.shape == (320, 480, 3)  # turned twice would be 480×320
    assert np.abs(decoded.rgb.astype(int) - upright.rgb).mean() < 4  # turned 270° would not match
    assert close(faces_in(decoded.rgb), faces_in(upright.rgb))
    assert decoded.original.getexif().get(0x0112, 1) == 1  # nothing left for exif_transpose to do


# --- metadata ------------------------------------------------------------------------------------

def test_gps_in_a_heic_is_found():
    meta = read_metadata(decode(sample("photo-gps.heic")).original)
    assert meta.has_location and set(meta.location_sources) == {"exif-gps", "xmp"}
    assert not read_metadata(decode(sample("photo.heic")).original).has_location


def test_the_stripped_copy_of_a_heic_is_a_jpeg_with_no_location():
    result = check_images([ImageInput(2, sample("photo-gps.heic"))], SCHOOL, default_policy(), None)
    (hit,) = [f for f in result if f.rule == "image-location"]
    copy = result.report(2).stripped
    assert copy["media_type"] == "image/jpeg" and hit.fix == {"stripped_image": 2}
    data = base64.b64decode(copy["base64"])
    clean = Image.open(io.BytesIO(data))
    assert clean.format == "JPEG" and clean.size == (480, 320)
    assert not clean.getexif().get_ifd(GPS_IFD) and GPS_IFD not in clean.getexif()
    assert not read_metadata(clean).has_location
    assert "xmp" not in clean.info and "exif" not in clean.info
    for trace in (b"Exif", b"GPS", b"xmpmeta", b"54,0.458N"):  # no EXIF block and no XMP at all
        assert trace not in data
    assert len(faces_in(np.asarray(clean.convert("RGB")))) == 1


def test_the_stripped_copy_of_a_rotated_heic_is_upright(photo):
    img = decode(sample("photo-rotated.heic")).original
    data, media_type = stripped_copy(img, "image/heic")
    clean = Image.open(io.BytesIO(data))
    assert media_type == "image/jpeg" and clean.size == (480, 320) and 0x0112 not in clean.getexif()
    assert np.abs(np.asarray(clean.convert("RGB")).astype(int) - decode(photo).rgb).mean() < 6


# --- polyglots -----------------------------------------------------------------------------------

def test_heic_samples_are_not_polyglots():
    for path in sorted(DATA.glob("*.heic")):
        assert embedded_format(path.read_bytes()) is None, path.name


def test_a_heic_that_is_also_script_or_an_archive_is_refused(photo):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("run.js", "alert(1)")
    face = Image.open(io.BytesIO(photo))
    in_xmp = encode(face, "HEIF", xmp=b"<x:xmpmeta><script>alert(1)</script></x:xmpmeta>", quality=50)
    for data, what in ((photo + archive.getvalue(), "zip"), (photo + b"<html><body>hi</body></html>", "<html"),
                       (in_xmp, "<script")):
        assert Image.open(io.BytesIO(data)).format == "HEIF"  # each one really is a HEIC too
        with pytest.raises(IntakeError) as err:
            check_upload(data, 10 * MB)
        assert err.value.code == "unsupported_media_type" and what in err.value.reason.lower()


# --- through the API -----------------------------------------------------------------------------

def post(client, auth, body: dict, files: list[tuple[bytes, str]]):
    data = {"draft": json.dumps(body), "images": [(io.BytesIO(d), name) for d, name in files]}
    return client.post("/api/v1/check", data=data, headers=auth, content_type="multipart/form-data")


def test_api_checks_a_heic_photo_like_the_jpeg(client, auth, photo):
    jpeg = encode(Image.fromarray(decode(photo).rgb), "JPEG", quality=95)
    res = post(client, auth, draft("Lovely trip today", account_type="personal"),
               [(photo, "IMG_0001.HEIC"), (jpeg, "IMG_0001.jpg")])
    assert res.status_code == 200, res.json
    hits = {f["image"]["index"]: f for f in res.json["findings"] if f["rule"] == "pupil-image-personal-account"}
    assert sorted(hits) == [0, 1] and res.json["verdict"] == "block"
    heic_box, jpeg_box = hits[0]["image"]["box"], hits[1]["image"]["box"]
    assert heic_box.keys() == jpeg_box.keys() and all(abs(heic_box[k] - jpeg_box[k]) <= 6 for k in heic_box)


def test_api_answers_a_located_heic_with_a_jpeg_copy_and_refuses_a_bomb(client, auth):
    school = draft("Our garden", account_type="school", account_handle="@KJSKnaresboro")
    res = post(client, auth, school, [(sample("photo-gps.heic"), "IMG_0002.HEIC")])
    assert res.status_code == 200 and res.json["verdict"] == "warn"
    (copy,) = res.json["stripped_images"]
    assert copy["media_type"] == "image/jpeg"
    assert not read_metadata(Image.open(io.BytesIO(base64.b64decode(copy["base64"])))).has_location
    res = post(client, auth, school, [(sample("photo.heic"), "a.heic"), (sample("grid-bomb.heic"), "b.heic")])
    assert res.status_code == 413 and res.json["error"]["code"] == "payload_too_large"
    assert list(res.json["error"]["fields"]) == ["images.1"]
