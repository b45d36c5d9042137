"""name-only-pupil-face: while some pupils are listed by name only, faces nobody matched are to be
checked by eye against the signed-in list (one finding per image, linked to that list)."""
from __future__ import annotations

import io

import pytest

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images
from image_checks.index import NoPublishIndex
from image_checks.rules.faces import CHECK_BY_EYE_PATH, NameOnlyPupilFace
from tests.support.image_synth import enrolled_people, group_photo, index_rows, other_photos, strangers

SCHOOL = Draft(text="Sports day!", account_type="school", account_handle="@KJSSport")
PERSONAL = Draft(text="Sports day!", account_type="personal")
RULE = "name-only-pupil-face"


@pytest.fixture(scope="module")
def policy():
    return default_policy()


@pytest.fixture(scope="module")
def people():
    return enrolled_people(2)


@pytest.fixture(scope="module")
def rows(policy, people):
    return index_rows(people, policy)


def jpeg(image) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def hits(photo: bytes, draft: Draft, policy, index, rule: str = RULE):  # noqa: ANN001
    return [f for f in check_images([ImageInput(0, photo)], draft, policy, index) if f.rule == rule]


@pytest.mark.parametrize("pending, draft, expected", [
    (1, SCHOOL, 1),      # a stranger while one pupil is name-only: check by eye
    (3, SCHOOL, 1),      # still one finding, however many name-only pupils
    (0, SCHOOL, 0),      # nobody is name-only: a stranger passes
    (1, PERSONAL, 0),    # a personal account: the personal-account rule blocks instead
])
def test_a_stranger(policy, rows, pending, draft, expected):
    index = NoPublishIndex.from_rows(rows, pending_manual=pending)
    found = hits(strangers(1)[0].read_bytes(), draft, policy, index)
    assert len(found) == expected
    if found:
        f = found[0]
        assert f.severity == "warn" and f.clause.ref == "2.8"
        assert "this person is not one of them" in f.message
        assert f.image.box is not None and len(f.boxes) == 1


def test_no_templates_at_all_still_asks_for_a_check(policy):
    found = hits(strangers(1)[0].read_bytes(), SCHOOL, policy, NoPublishIndex.from_rows([], pending_manual=2))
    assert len(found) == 1


def test_a_group_photo_is_one_finding_that_counts_and_marks_every_face(policy, rows):
    photo = group_photo(strangers(3), size=(1600, 1000), face_px=150, seed=4)
    found = hits(jpeg(photo.image), SCHOOL, policy, NoPublishIndex.from_rows(rows, pending_manual=1))
    assert len(found) == 1
    n = len(found[0].boxes)
    assert n >= 2 and f"none of the {n} people" in found[0].message
    assert found[0].image.box is None


def test_a_matched_pupil_gets_the_block_not_a_check_by_eye(policy, rows, people):
    index = NoPublishIndex.from_rows(rows, pending_manual=1)
    photo = other_photos(people[0])[0].read_bytes()
    assert not hits(photo, SCHOOL, policy, index)
    assert hits(photo, SCHOOL, policy, index, "no-publish-face")


def test_the_message_never_names_anyone_or_counts_the_name_only_pupils(policy, rows):
    index = NoPublishIndex.from_rows(rows, pending_manual=7)
    f = hits(strangers(1)[0].read_bytes(), SCHOOL, policy, index)[0]
    assert "7" not in f.message + f.suggestion


def test_the_rule_declares_the_page_its_findings_link_to():
    assert NameOnlyPupilFace.link_path == CHECK_BY_EYE_PATH and NameOnlyPupilFace.link_label
