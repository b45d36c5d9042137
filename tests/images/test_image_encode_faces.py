"""encode_faces: a draft face is encoded as the mean of its chip's and its mirror image's encodings."""
from __future__ import annotations

import numpy as np
import pytest

from checks_common import default_policy
from image_checks.analyse import encode_faces, face_settings
from image_checks.decode import decode
from image_checks.encoder import encode_chips
from image_checks.face_detection import find_faces
from tests.support.image_synth import strangers


@pytest.fixture(scope="module")
def chips():
    out = []
    for photo in strangers(2):
        faces = find_faces(decode(photo.read_bytes()).rgb, face_settings(default_policy()))
        out.append(next(f.chip for f in faces if f.chip is not None))
    return out


def test_mean_of_face_and_mirror(chips):
    both = encode_faces(chips)
    assert both.shape == (2, 128)
    for chip, encoding in zip(chips, both):
        alone, mirrored = encode_chips([chip, np.ascontiguousarray(chip[:, ::-1])])
        assert np.allclose(encoding, (alone + mirrored) / 2, atol=1e-6)


def test_a_mirrored_photo_gives_the_same_encoding(chips):
    """Which way round a photo was taken (a selfie is often mirrored) no longer moves its encoding."""
    flipped = [np.ascontiguousarray(chip[:, ::-1]) for chip in chips]
    assert np.allclose(encode_faces(chips), encode_faces(flipped), atol=1e-6)


def test_no_faces():
    assert encode_faces([]).shape == (0, 128)
