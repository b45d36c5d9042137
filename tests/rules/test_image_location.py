"""image-location: a photo's file that records where it was taken; a stripped copy is offered."""
from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image, PngImagePlugin

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images
from image_checks.exif import GPS_IFD, read_metadata
from tests.support.helpers import draft as draft_body

DRAFT = Draft(text="Our garden", account_type="school", account_handle="@KJSKnaresboro")


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def gps_jpeg(orientation: int | None = None, artist: str | None = None) -> bytes:
    img = Image.new("RGB", (64, 48), (10, 200, 30))
    img.paste((200, 10, 10), (0, 0, 16, 16))  # a red corner, to see orientation applied
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (54.0, 0.0, 27.5), 3: "W", 4: (1.0, 28.0, 0.0)})
    if orientation:
        exif[0x0112] = orientation
    if artist:
        exif[0x013B] = artist
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def xmp_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="54,0.45N" '
           'exif:GPSLongitude="1,28.0W"/></rdf:RDF></x:xmpmeta>')
    info.add_itxt("XML:com.adobe.xmp", xmp)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 90, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def found(findings):
    return [f for f in findings if f.rule == "image-location"]


def test_exif_gps_warns_and_offers_a_stripped_copy(policy):
    result = check_images([ImageInput(3, gps_jpeg())], DRAFT, policy, None)
    hits = found(result)
    assert len(hits) == 1
    f = hits[0]
    assert f.severity == "warn" and f.clause.ref == "2.5, Appendix" and f.image.index == 3
    assert f.fix == {"stripped_image": 3}
    copy = result.report(3).stripped
    assert copy["index"] == 3 and copy["media_type"] == "image/jpeg"
    clean = Image.open(io.BytesIO(base64.b64decode(copy["base64"])))
    assert not clean.getexif().get_ifd(GPS_IFD)
    assert not read_metadata(clean).has_location


def test_stripped_copy_keeps_orientation_and_attribution(policy):
    result = check_images([ImageInput(0, gps_jpeg(orientation=6, artist="Jo Bloggs"))], DRAFT, policy, None)
    assert found(result)
    clean = Image.open(io.BytesIO(base64.b64decode(result.report(0).stripped["base64"])))
    assert clean.size == (48, 64)  # rotated into place; no orientation tag needed
    assert 0x0112 not in clean.getexif()
    assert clean.getexif().get(0x013B) == "Jo Bloggs"
    assert not read_metadata(clean).has_location


def test_xmp_location_in_a_png(policy):
    result = check_images([ImageInput(0, xmp_png())], DRAFT, policy, None)
    hits = found(result)
    assert len(hits) == 1 and hits[0].explanation["kind"] == "xmp"
    clean = Image.open(io.BytesIO(base64.b64decode(result.report(0).stripped["base64"])))
    assert not read_metadata(clean).has_location and "XML:com.adobe.xmp" not in clean.info


def test_no_location_passes(policy):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 90, 200)).save(out, "JPEG")
    assert not found(check_images([ImageInput(0, out.getvalue())], DRAFT, policy, None))


def test_api_answers_with_the_stripped_copy_and_never_logs_it(app, client, auth):
    body = {"draft": json.dumps(draft_body("Garden", account_type="school", account_handle="@KJSKnaresboro")),
            "images": [(io.BytesIO(gps_jpeg()), "garden.jpg")]}
    res = client.post("/api/v1/check", data=body, headers=auth, content_type="multipart/form-data")
    assert res.status_code == 200, res.json
    assert res.json["verdict"] == "warn"
    (finding,) = [f for f in res.json["findings"] if f["rule"] == "image-location"]
    assert finding["fix"] == {"stripped_image": 0} and finding["image"] == {"index": 0, "box": None}
    (copy,) = res.json["stripped_images"]
    assert copy["index"] == 0 and copy["media_type"] == "image/jpeg"
    clean = Image.open(io.BytesIO(base64.b64decode(copy["base64"])))
    assert not clean.getexif().get_ifd(GPS_IFD)
    from server.db import session_factory
    from server.models import Check
    with app.app_context(), session_factory(app)() as db:
        logged = db.get(Check, res.json["check_id"])
        assert "base64" not in json.dumps(logged.findings) and copy["base64"][:40] not in json.dumps(logged.findings)
