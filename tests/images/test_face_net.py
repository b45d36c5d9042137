"""The onnxruntime engine gives dlib's own encodings, so templates enrolled either way compare."""
from __future__ import annotations

from pathlib import Path

import dlib
import face_recognition_models as models
import numpy as np
import pytest

from image_checks import encoder, face_net
from image_checks.decode import decode
from image_checks.face_detection import find_faces
from image_checks.onnx_session import threads_wanted
from tests.support.image_synth import lfw_people


@pytest.fixture(scope="module")
def real_chips() -> list[np.ndarray]:
    """Aligned chips of six different people's real photos."""
    chips = []
    for photos in list(lfw_people(2).values())[:6]:
        faces = find_faces(decode(photos[0].read_bytes()).rgb)
        chips += [f.chip for f in faces if f.chip is not None][:1]
    assert len(chips) == 6
    return chips


def test_encodings_equal_dlibs_own(real_chips):
    dlib_net = dlib.face_recognition_model_v1(models.face_recognition_model_location())
    expected = np.array([np.array(v) for v in dlib_net.compute_face_descriptor(real_chips, 1)])
    got = encoder.encode_chips(real_chips)
    assert got.shape == (6, 128) and got.dtype == np.float64
    np.testing.assert_allclose(got, expected, atol=1e-5)
    # and they still tell people apart: every other person is far away
    distances = np.linalg.norm(got[:, None] - got[None], axis=2)
    assert (distances[~np.eye(6, dtype=bool)] > 0.5).all()


def test_a_batch_gives_what_each_chip_gives_alone(real_chips):
    batch = encoder.encode_chips(real_chips)
    for chip, row in zip(real_chips, batch):
        np.testing.assert_allclose(encoder.encode_chips([chip])[0], row, atol=1e-5)
    assert encoder.encode_chips([]).shape == (0, 128)


def test_jittered_encodings_average_near_the_plain_one(real_chips):
    plain = encoder.encode_chips(real_chips[:2])
    jittered = encoder.encode_chips(real_chips[:2], num_jitters=5)
    assert jittered.shape == (2, 128)
    assert not np.allclose(jittered, plain)  # really jittered
    assert (np.linalg.norm(jittered - plain, axis=1) < 0.2).all()  # but still the same face


def test_the_model_file_is_read_layer_by_layer():
    layers = face_net.read_layers(Path(models.face_recognition_model_location()).read_bytes())
    kinds = [layer.kind for layer in layers]
    assert kinds[0] == "input" and kinds[-1] == "fc"
    assert kinds.count("conv") == 29 and kinds.count("add_prev") == 14
    assert layers[0].params["side"] == (150, 150)
    assert layers[-1].params["w"].shape == (256, 128)


def test_a_file_that_is_not_the_network_is_refused():
    with pytest.raises(face_net.ModelFormatError):
        face_net.read_layers(b"\x01\x05relu_" + bytes(64))
    with pytest.raises(face_net.ModelFormatError):
        face_net.read_layers(b"not a model at all")


def test_encoding_threads_follow_the_environment(monkeypatch):
    monkeypatch.setenv("SECONDLOOK_FACE_THREADS", "1")
    assert threads_wanted() == 1
    for unset in ("", "0", "many"):
        monkeypatch.setenv("SECONDLOOK_FACE_THREADS", unset)
        assert threads_wanted() >= 1
