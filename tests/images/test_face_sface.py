"""SFace, the network that matches by default: the shipped file, its weights decoded in memory as
the stored form decodes them, batching, and real faces told apart on the policy's scale."""
from __future__ import annotations

import hashlib

import numpy as np
import onnx
import pytest

from checks_common import default_policy
from image_checks import face_sface
from image_checks.face_arc import unit
from image_checks.index import SFACE_SCALE, SFACE_SHIFT, NoPublishIndex
from image_checks.onnx_session import cpu_session


def test_the_shipped_model_is_the_published_file():
    assert hashlib.sha256(face_sface.MODEL_FILE.read_bytes()).hexdigest() == face_sface.MODEL_SHA256


def _as_stored(data: bytes) -> bytes:
    """The stored model as onnxruntime runs it unchanged (int8 blocks decoded on every run); only
    the graph inputs that no node reads are dropped, since onnxruntime demands a value for them."""
    model = onnx.load_from_string(data)
    read = {x for node in model.graph.node for x in node.input}
    inputs = [i for i in model.graph.input if i.name in read]
    del model.graph.input[:]
    model.graph.input.extend(inputs)
    return model.SerializeToString()


def test_weights_decoded_in_memory_give_what_the_stored_form_gives(people_crops):
    stored = cpu_session(_as_stored(face_sface.MODEL_FILE.read_bytes()), 1)
    crops = [c for cs in people_crops.values() for c in cs]
    expected = unit(np.vstack([stored.run(None, {"data": c.astype(np.float32).transpose(2, 0, 1)[None]})[0]
                               for c in crops]))
    np.testing.assert_allclose(face_sface.encode_sface(crops), expected, atol=1e-5)


def test_dequantizing_per_block_per_axis_and_per_tensor():
    q = np.array([[1, -2, 3, 4], [5, 6, -7, 8]], dtype=np.int8)
    by_block = face_sface._dequantized(q, np.array([[0.5, 2.0], [1.0, 0.25]], np.float32),
                                       np.array([[1, 0], [0, 2]], np.int8), axis=1, block=2)
    np.testing.assert_allclose(by_block, [[0.0, -1.5, 6.0, 8.0], [5.0, 6.0, -2.25, 1.5]])
    by_axis = face_sface._dequantized(q, np.array([0.5, 2.0], np.float32), np.array([0, 1], np.int8), axis=0, block=0)
    np.testing.assert_allclose(by_axis, [[0.5, -1.0, 1.5, 2.0], [8.0, 10.0, -16.0, 14.0]])
    whole = face_sface._dequantized(q, np.array(0.5, np.float32), np.array(1, np.int8), axis=1, block=0)
    np.testing.assert_allclose(whole, (q.astype(np.float32) - 1) * 0.5)


def test_a_batch_gives_what_each_crop_gives_alone(people_crops, monkeypatch):
    crops = [c for cs in people_crops.values() for c in cs]
    alone = np.vstack([face_sface.encode_sface([c]) for c in crops])
    np.testing.assert_allclose(face_sface.encode_sface(crops), alone, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(alone, axis=1), 1.0, atol=1e-6)
    monkeypatch.setattr(face_sface, "BATCH", 3)  # a crowd: more faces than one run takes
    np.testing.assert_allclose(face_sface.encode_sface(crops), alone, atol=1e-5)
    assert face_sface.encode_sface([]).shape == (0, face_sface.SFACE_SIZE)


def test_the_same_person_blocks_and_others_are_not_even_possible(people_crops):
    """Through the index, on the policy's scale: each person's second photo against a list of
    the five people's first photos."""
    policy = default_policy()
    names = list(people_crops)
    first = face_sface.encode_sface([people_crops[n][0] for n in names])
    index = NoPublishIndex(np.zeros((len(names), 128)), np.arange(len(names)), sface_matrix=first,
                           sface_ids=np.arange(len(names)), network="sface")
    second = face_sface.encode_sface([people_crops[n][1] for n in names])
    scores = index.sface_scores(second)
    for i, name in enumerate(names):
        assert scores[i, i] <= policy.face_match_threshold, name
        others = np.delete(scores[i], i)
        assert (others > policy.face_possible_threshold).all(), name


def test_sface_distances_are_put_on_the_policy_scale():
    """The calibrated SFace distances 0.98 (block) and 1.05 (warn) land on 1.06 and 1.10."""
    assert SFACE_SCALE * 0.98 + SFACE_SHIFT == pytest.approx(1.06)
    assert SFACE_SCALE * 1.05 + SFACE_SHIFT == pytest.approx(1.10)


def test_template_bytes_round_trip_and_wrong_sizes_are_refused():
    v = unit(np.arange(1, face_sface.SFACE_SIZE + 1, dtype=np.float64))
    data = face_sface.sface_to_bytes(v)
    assert len(data) == face_sface.SFACE_BYTES
    np.testing.assert_allclose(face_sface.sface_from_bytes(data), v, atol=1e-7)
    with pytest.raises(ValueError):
        face_sface.sface_from_bytes(data[:-4])
