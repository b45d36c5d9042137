"""pupil-image-personal-account: any face in a photo posted from a personal account blocks it."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images
from tests.support.image_synth import group_photo, strangers

PERSONAL = Draft(text="Lovely trip today", account_type="personal")
SCHOOL = Draft(text="Lovely trip today", account_type="school", account_handle="@KJSKnaresboro")


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def found(findings):
    return [f for f in findings if f.rule == "pupil-image-personal-account"]


def test_a_face_on_a_personal_account_blocks(policy):
    hits = found(check_images([ImageInput(1, strangers(1)[0].read_bytes())], PERSONAL, policy, None))
    assert len(hits) == 1
    assert hits[0].severity == "block" and hits[0].clause.ref == "2.8" and hits[0].image.index == 1
    assert hits[0].image.box is not None


def test_a_group_is_one_finding_for_the_image(policy):
    photo = group_photo(strangers(8)[:6], size=(1600, 1200), face_px=90, seed=3)
    hits = found(check_images([ImageInput(0, photo.jpeg())], PERSONAL, policy, None))
    assert len(hits) == 1 and "faces" in hits[0].message


def test_no_faces_passes(policy):
    rng = np.random.default_rng(1)
    landscape = Image.fromarray((rng.random((300, 400, 3)) * 60 + 100).astype(np.uint8))
    out = io.BytesIO()
    landscape.save(out, "PNG")
    assert not check_images([ImageInput(0, out.getvalue())], PERSONAL, policy, None)


def test_school_account_passes(policy):
    assert not found(check_images([ImageInput(0, strangers(1)[0].read_bytes())], SCHOOL, policy, None))
