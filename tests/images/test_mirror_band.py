"""Faces are encoded plain first, with their mirror image only near a listed pupil: the same
decisions as encoding every face with its mirror image (image_checks.analyse.MIRROR_BAND)."""
from __future__ import annotations

import numpy as np
import pytest

from checks_common import default_policy
from image_checks import face_arc
from image_checks.analyse import MIRROR_BAND, _encode_and_match
from image_checks.decode import decode
from image_checks.face_detection import find_faces
from image_checks.index import NoPublishIndex
from tests.support.image_synth import lfw_people


def _central(photo) -> np.ndarray:  # noqa: ANN001
    faces = [f for f in find_faces(decode(photo.read_bytes()).rgb) if f.arc_chip is not None]
    return min(faces, key=lambda f: abs((f.box[1] + f.box[3]) / 2 - 125) + abs((f.box[0] + f.box[2]) / 2 - 125)).arc_chip


@pytest.fixture(scope="module")
def listed_and_faces():
    """Four LFW people enrolled from their first photo (face + mirror, as enrolment does); faces:
    their second photos and the first photos of eight other people."""
    people = list(lfw_people(2).items())
    listed, others = people[:4], people[4:12]
    templates = face_arc.encode_arc([_central(photos[0]) for _, photos in listed])
    ids = np.arange(len(listed))
    index = NoPublishIndex(np.zeros((len(ids), 128)), ids, arc_matrix=templates, arc_ids=ids)
    chips = [_central(photos[1]) for _, photos in listed] + [_central(photos[0]) for _, photos in others]
    return index, chips


def test_with_mirror_is_the_face_and_mirror_encoding(listed_and_faces):
    _, chips = listed_and_faces
    plain = face_arc.encode_arc(chips, mirrored=False)
    np.testing.assert_allclose(face_arc.with_mirror(plain, chips), face_arc.encode_arc(chips), atol=1e-5)


def test_scores_near_the_list_are_the_mirrored_ones_and_others_beyond_the_band(listed_and_faces):
    index, chips = listed_and_faces
    policy = default_policy()
    arc, nearest = _encode_and_match(chips, index, None, policy)
    full, _ = index.nearest(face_arc.encode_arc(chips))
    limit = policy.face_possible_threshold + MIRROR_BAND
    near = full <= policy.face_possible_threshold
    assert near[:4].sum() >= 3 and not near[4:].any()  # the listed people's other photos are near their templates
    np.testing.assert_allclose(nearest[near], full[near], atol=1e-5)
    # a face encoded plain only is one whose plain score was beyond the band: its decision is the same
    assert ((nearest <= policy.face_possible_threshold) == near).all()
    assert ((np.abs(nearest - full) < 1e-5) | (nearest > limit)).all()
    assert (nearest > limit).any()  # some strangers were encoded once, not twice
