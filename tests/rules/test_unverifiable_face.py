"""unverifiable-face: a face too small, blurred or turned to clear against the no-publish list."""
from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image, ImageFilter

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images
from image_checks.index import NoPublishIndex
from tests.support.image_synth import enrolled_people, index_rows, strangers

SCHOOL = Draft(text="Concert", account_type="school", account_handle="@KJSMusic")


@pytest.fixture(scope="module")
def policy():
    return default_policy()


@pytest.fixture(scope="module")
def index(policy):
    return NoPublishIndex.from_rows(index_rows(enrolled_people(1), policy))


def found(findings):
    return [f for f in findings if f.rule == "unverifiable-face"]


def jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()


def test_face_smaller_than_the_policy_minimum(policy, index):
    strict = replace(policy, min_face_px=150)  # LFW faces are ~100 px wide
    photo = strangers(1)[0].read_bytes()
    hits = found(check_images([ImageInput(0, photo)], SCHOOL, strict, index))
    assert len(hits) == 1 and "small" in hits[0].message and hits[0].severity == "warn"
    assert hits[0].image.box is not None and hits[0].explanation["kind"] == "too_small"


def test_blurred_face(policy, index):
    img = Image.open(strangers(2)[1]).convert("RGB").filter(ImageFilter.GaussianBlur(2.2))
    strict = replace(policy, face_settings={**policy.face_settings, "min_sharpness": 400.0})
    hits = found(check_images([ImageInput(0, jpeg(img))], SCHOOL, strict, index))
    assert len(hits) == 1 and "blurred" in hits[0].message


def test_sharp_normal_face_is_verifiable(policy, index):
    assert not found(check_images([ImageInput(0, strangers(1)[0].read_bytes())], SCHOOL, policy, index))


def test_quiet_when_nobody_is_listed(policy):
    strict = replace(policy, min_face_px=150)
    empty = NoPublishIndex.from_rows([])
    assert not found(check_images([ImageInput(0, strangers(1)[0].read_bytes())], SCHOOL, strict, empty))
    assert not found(check_images([ImageInput(0, strangers(1)[0].read_bytes())], SCHOOL, strict, None))


def test_small_face_that_matches_nobody_is_not_cleared(policy, index):
    from tests.support.image_synth import group_photo
    photo = group_photo(strangers(6)[:4], size=(1200, 900), face_px=32, seed=4)
    # (the LFW crops pasted in may hold part of a second face: an "unclear" finding of its own)
    hits = sure(found(check_images([ImageInput(0, photo.jpeg())], SCHOOL, policy, index)))
    assert len(hits) >= 3 and all("small" in f.message for f in hits)
    assert {f.explanation["kind"] for f in hits} == {"small"}
    trusting = replace(policy, face_settings={**policy.face_settings, "clear_face_px": 24})
    assert not sure(found(check_images([ImageInput(0, photo.jpeg())], SCHOOL, trusting, index)))


def sure(findings):
    return [f for f in findings if f.explanation["kind"] != "uncertain"]


def _analysis(qualities: list[str]):  # noqa: ANN202
    """A photo whose faces (one per quality, left to right) matched nobody."""
    import math

    from image_checks.face_detection import Face
    from image_checks.rule import ImageAnalysis

    faces = [Face(box=(100, 60 * i + 50, 140, 60 * i), width=50, quality=q) for i, q in enumerate(qualities)]
    return ImageAnalysis(index=0, media_type="image/jpeg", width=2000, height=1000, sha256="",
                         faces=faces, distances=[math.inf] * len(faces))


@pytest.mark.parametrize("qualities, crowd_size, single", [
    (["too_small"] * 7 + ["blurred"] * 2, 7, 2),      # a back row is one region; two blurred faces stay cards
    (["too_small"] * 7 + ["blurred"] * 7, 14, 0),     # a stadium: every unclear face is in the one region
    (["unchecked"] * 2 + ["ok"] * 8, 2, 0),           # beyond max_checked_faces: one region, however few
    (["too_small"] * 6 + ["turned"], 0, 7),           # six or fewer: one card each
])
def test_a_crowd_is_one_finding(policy, index, qualities, crowd_size, single):
    from image_checks.rule import ImageContext
    from image_checks.rules.faces import UnverifiableFace

    hits = list(UnverifiableFace(policy).find(_analysis(qualities), ImageContext(SCHOOL, policy, index)))
    crowd = [f for f in hits if f.explanation["kind"] == "crowd"]
    assert [f.explanation["score"] for f in crowd] == ([crowd_size] if crowd_size else [])
    assert len(hits) - len(crowd) == single
    if crowd and "unchecked" in qualities:
        assert "more faces than one check covers" in crowd[0].message
