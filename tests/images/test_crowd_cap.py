"""A crowd bigger than one check covers (issue 19): at most `[faces] max_checked_faces` faces of a
photo are encoded, clear and large faces first, and the rest are reported as one unverifiable
region, never skipped in silence. Measured before the cap: a 12 MP stadium crowd (428 encodable
faces) took 5 s, 3.3 s of it encoding faces a person could not clear anyway."""
from __future__ import annotations

import io
from dataclasses import replace
from types import SimpleNamespace

import pytest

from checks_common import Draft, PolicyError, default_policy
from checks_common.policy import default_policy_text, parse_policy
from image_checks import ImageInput, check_images
from image_checks.analyse import DEFAULT_MAX_CHECKED_FACES, encoding_order, max_checked_faces
from image_checks.index import NoPublishIndex
from tests.support.image_synth import enrolled_people, group_photo, index_rows, other_photos, strangers

SCHOOL = Draft(text="Sports day", account_type="school", account_handle="@KJSSport")


@pytest.fixture(scope="module")
def pupil():
    return enrolled_people(1)[0]


@pytest.fixture(scope="module")
def index(pupil):
    return NoPublishIndex.from_rows(index_rows([pupil], default_policy()))


def capped(n: int):  # noqa: ANN201
    policy = default_policy()
    return replace(policy, face_settings={**policy.face_settings, "max_checked_faces": n})


def crowd_photo(pupil: str) -> bytes:
    """The listed pupil large in front of 13 strangers, 6 of them much smaller (further back)."""
    others = strangers(13)
    front = group_photo([other_photos(pupil)[0]] + others[:7], size=(2400, 900), face_px=110, seed=3, rows=1)
    back = group_photo(others[7:], size=(2400, 500), face_px=48, seed=4, rows=1)
    from PIL import Image

    canvas = Image.new("RGB", (2400, 1400))
    canvas.paste(back.image, (0, 0))
    canvas.paste(front.image, (0, 500))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_beyond_the_cap_the_smallest_faces_are_one_unchecked_region_and_the_pupil_still_blocks(pupil, index):
    findings = check_images([ImageInput(0, crowd_photo(pupil))], SCHOOL, capped(8), index)
    rules = [f.rule for f in findings]
    assert "no-publish-face" in rules  # the large, clear face was among those checked
    (crowd,) = [f for f in findings if f.rule == "unverifiable-face" and f.explanation["kind"] == "crowd"]
    assert "not fully checked" in crowd.message and "more faces than one check covers" in crowd.message
    assert crowd.explanation["score"] >= 6  # the back row's 6 (and any "perhaps a face" beside them)
    assert crowd.image.box.top < 300  # the region reaches up to the back row


def test_within_the_cap_nothing_is_reported_as_unchecked(pupil, index):
    findings = check_images([ImageInput(0, crowd_photo(pupil))], SCHOOL, default_policy(), index)
    assert not [f for f in findings if "more faces than one check covers" in f.message]
    assert "no-publish-face" in [f.rule for f in findings]


@pytest.mark.parametrize("faces, expected", [
    ([("ok", 40), ("ok", 90), ("blurred", 120), ("ok", 60)], [1, 3, 0, 2]),   # clear first, largest first
    ([("small", 30), ("too_small", 18), ("turned", 50)], [2, 0]),              # no chip: never encoded
    ([], []),
])
def test_encoding_order(faces, expected):
    rows = [SimpleNamespace(quality=q, width=w, arc_chip=None if q == "too_small" else object()) for q, w in faces]
    assert encoding_order(rows) == expected


def test_the_cap_is_a_policy_setting_with_a_sane_range():
    assert max_checked_faces(default_policy()) == DEFAULT_MAX_CHECKED_FACES == 128
    text = default_policy_text()
    assert max_checked_faces(parse_policy(text.replace("max_checked_faces = 128", "max_checked_faces = 300"))) == 300
    with pytest.raises(PolicyError, match="max_checked_faces"):
        parse_policy(text.replace("max_checked_faces = 128", "max_checked_faces = 2"))
