"""enrol_photo: one clear face in, a template and a thumbnail out; every refusal says why."""
from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageFilter

from checks_common import default_policy
from image_checks.enrol import enrol_photo, is_duplicate
from tests.support.image_synth import FACES, strangers


@pytest.fixture(scope="module")
def policy():
    return replace(default_policy(), face_settings={**default_policy().face_settings, "enrol_jitters": 1})


def jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.fixture(scope="module")
def accepted(policy):
    return enrol_photo(strangers(1)[0].read_bytes(), policy)


def test_accepted(accepted):
    assert accepted.status == "accepted" and accepted.accepted
    assert len(accepted.encoding) == 1024 and np.isfinite(accepted.vector()).all()
    thumb = Image.open(io.BytesIO(accepted.thumbnail))
    assert thumb.format == "JPEG" and max(thumb.size) <= 96
    assert len(accepted.photo_sha256) == 64 and accepted.box is not None


def test_not_image(policy):
    result = enrol_photo(b"GIF89a but not really" + b"\x00" * 20, policy)
    assert result.status == "not_image" and result.reason


def test_no_face(policy):
    rng = np.random.default_rng(2)
    wall = Image.fromarray((rng.random((200, 300, 3)) * 40 + 100).astype(np.uint8))
    assert enrol_photo(jpeg(wall), policy).status == "no_face"


def test_multiple_faces_then_choose(policy):
    data = (FACES / "groups" / "two_people.jpg").read_bytes()
    result = enrol_photo(data, policy)
    assert result.status == "multiple_faces" and len(result.candidates) == 2
    assert all(Image.open(io.BytesIO(c.thumbnail)).format == "JPEG" for c in result.candidates)
    chosen = enrol_photo(data, policy, choose=1)
    assert chosen.accepted and chosen.box == result.candidates[1].box
    assert enrol_photo(data, policy, choose=5).status == "multiple_faces"


def test_too_small(policy):
    strict = replace(policy, face_settings={**policy.face_settings, "enrol_min_face_px": 200})
    result = enrol_photo(strangers(1)[0].read_bytes(), strict)
    assert result.status == "too_small" and "200 px" in result.reason


def test_blurred(policy):
    strict = replace(policy, face_settings={**policy.face_settings, "min_sharpness": 400.0})
    img = Image.open(strangers(2)[1]).convert("RGB").filter(ImageFilter.GaussianBlur(2.2))
    assert enrol_photo(jpeg(img), strict).status == "blurred"


def test_duplicates(policy, accepted):
    rows = [(5, accepted.encoding)]
    assert is_duplicate(accepted, [], {accepted.photo_sha256})
    resaved = enrol_photo(jpeg(Image.open(strangers(1)[0])), policy)  # same photo, re-encoded
    assert resaved.photo_sha256 != accepted.photo_sha256
    assert is_duplicate(resaved, rows) and is_duplicate(resaved, rows, pupil_id=5)
    assert not is_duplicate(resaved, rows, pupil_id=6)
    other = enrol_photo(strangers(2)[1].read_bytes(), policy)
    assert not is_duplicate(other, rows)
