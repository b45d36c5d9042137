"""Faces in drafts are aligned on YuNet's five points (`[faces] landmarks = 5`, the default): real
LFW people enrolled with the 68-point alignment (as templates before issue 19 were) or with the
five points are matched by their other photos, and nobody else's photo is taken for them."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from checks_common import default_policy
from image_checks import face_arc
from image_checks.analyse import face_settings
from image_checks.decode import decode
from image_checks.face_detection import find_faces
from image_checks.index import NoPublishIndex
from tests.support.image_synth import lfw_people


def _encode(photo, landmarks: int) -> np.ndarray:  # noqa: ANN001
    """The central face's ArcFace encoding (face and mirror, as drafts and enrolment do)."""
    settings = replace(face_settings(default_policy()), landmarks=landmarks)
    faces = [f for f in find_faces(decode(photo.read_bytes()).rgb, settings) if f.arc_chip is not None]
    face = min(faces, key=lambda f: abs((f.box[1] + f.box[3]) / 2 - 125) + abs((f.box[0] + f.box[2]) / 2 - 125))
    return face_arc.encode_arc([face.arc_chip])[0]


@pytest.fixture(scope="module")
def people():
    """Eight LFW people with >= 3 photos: templates from their first two photos under each alignment,
    and their third photo aligned on five points; plus one photo each of eight one-photo people."""
    listed = list(lfw_people(3).items())[::7][:8]
    strangers = [photos[0] for photos in lfw_people(1).values() if len(photos) == 1][::15][:8]
    templates = {n: [np.array([_encode(p, n) for p in photos[:2]]) for _, photos in listed] for n in (68, 5)}
    probes = np.array([_encode(photos[2], 5) for _, photos in listed])
    others = np.array([_encode(p, 5) for p in strangers])
    return templates, probes, others


@pytest.mark.parametrize("template_landmarks", [68, 5])
def test_other_photos_match_their_own_pupil_and_strangers_nobody(people, template_landmarks):
    templates, probes, others = people
    rows = templates[template_landmarks]
    ids = np.repeat(np.arange(len(rows)), 2)
    index = NoPublishIndex(np.zeros((len(ids), 128)), ids, arc_matrix=np.vstack(rows), arc_ids=ids)
    policy = default_policy()
    score, who = index.nearest(probes)
    caught = (score <= policy.face_possible_threshold) & (who == np.arange(len(probes)))
    assert caught.sum() >= len(probes) - 1, list(zip(score.round(3), who))  # LFW has hard pairs: one may miss
    score, _ = index.nearest(others)
    assert (score > policy.face_match_threshold).all(), score.round(3)  # no stranger blocked
