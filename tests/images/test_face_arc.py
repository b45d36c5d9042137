"""The ArcFace network: the shipped file, five-point alignment, batching, and real faces told apart."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from checks_common import default_policy
from image_checks import face_arc


def test_the_shipped_model_is_the_published_file():
    assert hashlib.sha256(face_arc.MODEL_FILE.read_bytes()).hexdigest() == face_arc.MODEL_SHA256


def test_similarity_recovers_a_rotation_scale_and_shift():
    angle, scale, shift = 0.3, 1.7, np.array([12.0, -4.0])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    src = np.random.default_rng(0).uniform(0, 100, (5, 2))
    dst = src @ (scale * rot).T + shift
    np.testing.assert_allclose(face_arc.similarity(src, dst), np.hstack([scale * rot, shift[:, None]]), atol=1e-9)


def test_alignment_puts_the_five_points_on_arcfaces_template():
    """Landmarks of a face twice the template's size, shifted: the warp maps them onto the template."""
    landmarks = np.zeros((68, 2))
    target = face_arc.REFERENCE_POINTS * 2 + [30, 50]
    landmarks[36:42] = target[0]
    landmarks[42:48] = target[1]
    landmarks[30], landmarks[48], landmarks[54] = target[2], target[3], target[4]
    np.testing.assert_allclose(face_arc.five_points(landmarks), target)
    matrix = face_arc.similarity(face_arc.five_points(landmarks), face_arc.REFERENCE_POINTS)
    np.testing.assert_allclose(np.hstack([target, np.ones((5, 1))]) @ matrix.T, face_arc.REFERENCE_POINTS, atol=1e-9)
    image = np.zeros((400, 400, 3), dtype=np.uint8)
    assert face_arc.align(image, landmarks).shape == (112, 112, 3)


def test_every_face_found_gets_an_aligned_crop(people_crops):
    for crops in people_crops.values():
        assert all(c.shape == (112, 112, 3) and c.dtype == np.uint8 for c in crops)


def test_a_batch_gives_what_each_crop_gives_alone(people_crops):
    crops = [c for cs in people_crops.values() for c in cs]
    together = face_arc.encode_arc(crops)
    alone = np.vstack([face_arc.encode_arc([c]) for c in crops])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-6)
    assert together.shape == (len(crops), face_arc.ARC_SIZE)


def test_a_mirrored_face_encodes_as_the_original(people_crops):
    crop = next(iter(people_crops.values()))[0]
    np.testing.assert_allclose(face_arc.encode_arc([crop[:, ::-1]]), face_arc.encode_arc([crop]), atol=1e-5)


def test_the_same_person_is_within_the_match_threshold_and_others_are_not(people_crops):
    policy = default_policy()
    names = list(people_crops)
    enc = {n: face_arc.encode_arc(people_crops[n]) for n in names}
    for name in names:
        same = np.linalg.norm(enc[name][0] - enc[name][1])
        assert same <= policy.face_match_threshold, name
        for other in names:
            if other != name:
                assert np.linalg.norm(enc[name][0] - enc[other][1]) > policy.face_possible_threshold, (name, other)


def test_template_bytes_round_trip_and_wrong_sizes_are_refused():
    v = face_arc.unit(np.arange(1, face_arc.ARC_SIZE + 1, dtype=np.float64))
    data = face_arc.arc_to_bytes(v)
    assert len(data) == face_arc.ARC_BYTES
    np.testing.assert_allclose(face_arc.arc_from_bytes(data), v, atol=1e-7)
    with pytest.raises(ValueError):
        face_arc.arc_from_bytes(data[:-4])


def test_a_crowd_runs_in_batches_with_the_same_encodings(people_crops, monkeypatch):
    """More faces than one run of the network takes (`BATCH`): the same encodings as one at a time."""
    crops = [c for cs in people_crops.values() for c in cs]
    alone = np.vstack([face_arc.encode_arc([c]) for c in crops])
    monkeypatch.setattr(face_arc, "BATCH", 3)
    np.testing.assert_allclose(face_arc.encode_arc(crops), alone, atol=1e-5)


def test_only_the_first_faces_are_encoded_with_their_mirror(people_crops):
    """A crowd: the largest faces (put first) keep the mirror-image encoding, the rest are encoded once."""
    crops = [c for cs in people_crops.values() for c in cs]
    assert np.allclose(face_arc.encode_arc(crops, mirrored=len(crops) + 5), face_arc.encode_arc(crops), atol=1e-5)
    mixed = face_arc.encode_arc(crops, mirrored=2)
    np.testing.assert_allclose(mixed[:2], face_arc.encode_arc(crops[:2]), atol=1e-5)
    np.testing.assert_allclose(mixed[2:], face_arc.encode_arc(crops[2:], mirrored=False), atol=1e-5)
    assert not np.allclose(mixed[2:], face_arc.encode_arc(crops[2:]), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(mixed, axis=1), 1.0, atol=1e-6)
