"""possible-no-publish-face: the uncertain band (faces to check by eye: test_name_only_pupil_face.py)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images
from image_checks.index import NoPublishIndex
from tests.support.image_synth import enrolled_people, index_rows, other_photos, strangers

SCHOOL = Draft(text="Trip!", account_type="school", account_handle="@KJSSport")


@pytest.fixture(scope="module")
def policy():
    return default_policy()


@pytest.fixture(scope="module")
def setup(policy):
    people = enrolled_people(3)
    rows = index_rows(people, policy)
    return people, rows, NoPublishIndex.from_rows(rows)


def found(findings, rule="possible-no-publish-face"):
    return [f for f in findings if f.rule == rule]


def test_face_in_the_uncertain_band_warns(policy, setup):
    """A real distance placed between the two thresholds gives a warning, not a block."""
    people, _, index = setup
    photo = other_photos(people[2])[0].read_bytes()
    block = found(check_images([ImageInput(0, photo)], SCHOOL, policy, index), "no-publish-face")
    assert block, "the enrolled person's other photo should match at the default thresholds"
    # find the real distance band and place the thresholds around it
    low = float(block[0].explanation["distance_band"].split("-")[0])
    banded = replace(policy, face_match_threshold=max(0.05, low - 0.01), face_possible_threshold=low + 0.1)
    findings = check_images([ImageInput(0, photo)], SCHOOL, banded, index)
    hits = found(findings)
    assert len(hits) == 1 and hits[0].severity == "warn" and hits[0].clause.ref == "2.8"
    assert hits[0].image.box is not None
    assert not found(findings, "no-publish-face")


def test_strangers_do_not_warn(policy, setup):
    _, _, index = setup
    for photo in strangers(4):
        assert not found(check_images([ImageInput(0, photo.read_bytes())], SCHOOL, policy, index))


def test_personal_account_is_left_to_the_personal_account_rule(policy, setup):
    _, rows, _ = setup
    pending = NoPublishIndex.from_rows(rows, pending_manual=1)
    findings = check_images([ImageInput(0, strangers(1)[0].read_bytes())], Draft(text="x"), policy, pending)
    assert not found(findings) and found(findings, "pupil-image-personal-account")


def test_a_stranger_is_never_called_close_to_a_listed_pupil_while_some_are_name_only(policy, setup):
    """The name-only case has its own rule, so reviewers never read it as "close to a listed pupil"."""
    _, rows, _ = setup
    pending = NoPublishIndex.from_rows(rows, pending_manual=1)
    findings = check_images([ImageInput(0, strangers(1)[0].read_bytes())], SCHOOL, policy, pending)
    assert not found(findings) and found(findings, "name-only-pupil-face")
