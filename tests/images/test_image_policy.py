"""The [faces] table of the policy file: defaults, and mistakes refused with the key's name."""
from __future__ import annotations

import pytest

from checks_common.policy import PolicyError, default_policy, default_policy_text, parse_policy


def test_defaults_are_the_calibrated_ones():
    policy = default_policy()
    assert (policy.face_match_threshold, policy.face_possible_threshold) == (1.06, 1.10)
    assert policy.face_settings["landmarks"] == 5 and policy.face_settings["clear_face_px"] >= policy.min_face_px


@pytest.mark.parametrize("old, new, key", [
    ("max_megapixels = 50\n", "max_megapixels = 50\ntypo_threshold = 0.5\n", "typo_threshold"),
    ('detector = "hog"', 'detector = "yolo"', "detector"),
    ("landmarks = 5", "landmarks = 7", "landmarks"),
    ("max_megapixels = 50\n", "max_megapixels = 500\n", "max_megapixels"),
])
def test_bad_faces_keys_are_refused(old, new, key):
    text = default_policy_text()
    assert old in text
    with pytest.raises(PolicyError, match=key):
        parse_policy(text.replace(old, new, 1))


def test_thresholds_must_be_ordered():
    text = default_policy_text().replace("possible_threshold = 1.10", "possible_threshold = 1.0")
    with pytest.raises(PolicyError, match="possible_threshold"):
        parse_policy(text)
    text = default_policy_text().replace("clear_face_px = 40", "clear_face_px = 10")
    with pytest.raises(PolicyError, match="clear_face_px"):
        parse_policy(text)


def test_a_threshold_on_the_old_dlib_scale_is_refused_with_the_conversion():
    """A school's policy file from before the ArcFace network (match_threshold = 0.47) would match
    nobody on the new scale: it stops the server with a message saying how to convert it."""
    text = default_policy_text().replace("match_threshold = 1.06", "match_threshold = 0.47")
    with pytest.raises(PolicyError, match=r"faces\.match_threshold: .*ArcFace scale.*2\.25"):
        parse_policy(text)
