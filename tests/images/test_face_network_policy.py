"""[faces] network = "sface" | "arcface" | "dlib": which network's templates the check matches with."""
from __future__ import annotations

from dataclasses import replace

import pytest

from checks_common import Draft, PolicyError, default_policy
from checks_common.policy import default_policy_text, parse_policy
from image_checks import ImageInput, check_images
from image_checks.index import NoPublishIndex
from tests.support.image_synth import enrol_encodings, enrolled_people, other_photos

SCHOOL = Draft(text="Sports day", account_type="school", account_handle="@KJSKnaresboro")


def _policy(network: str):  # noqa: ANN202
    policy = default_policy()
    return replace(policy, face_settings={**policy.face_settings, "network": network})


@pytest.fixture(scope="module")
def crossed_index():
    """One pupil whose SFace templates are person A's, ArcFace templates person B's and dlib
    templates person C's: which of the three is blocked says which network matched."""
    a, b, c = enrolled_people(3)
    policy = default_policy()
    rows = [(1, dlib_c, arc_b, sface_a) for (_, _, sface_a), (_, arc_b, _), (dlib_c, _, _)
            in zip(enrol_encodings(a, policy), enrol_encodings(b, policy), enrol_encodings(c, policy))]
    return NoPublishIndex.from_rows(rows), a, b, c


def _blocked(name: str, network: str, index: NoPublishIndex) -> bool:
    photo = other_photos(name)[0].read_bytes()
    return any(f.rule == "no-publish-face" for f in check_images([ImageInput(0, photo)], SCHOOL, _policy(network), index))


def test_sface_by_default(crossed_index):
    index, a, b, c = crossed_index
    assert default_policy().face_settings["network"] == "sface"
    assert _blocked(a, "sface", index) and not _blocked(b, "sface", index) and not _blocked(c, "sface", index)


def test_arcface_matches_with_arcface_templates(crossed_index):
    index, a, b, c = crossed_index
    assert _blocked(b, "arcface", index) and not _blocked(a, "arcface", index) and not _blocked(c, "arcface", index)


def test_dlib_matches_with_dlib_templates_only(crossed_index):
    index, a, b, c = crossed_index
    assert _blocked(c, "dlib", index) and not _blocked(a, "dlib", index) and not _blocked(b, "dlib", index)


def test_an_unknown_network_is_refused():
    text = default_policy_text().replace('network = "sface"', 'network = "facenet"')
    assert text != default_policy_text()
    with pytest.raises(PolicyError, match="network"):
        parse_policy(text)
