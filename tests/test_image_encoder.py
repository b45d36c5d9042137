"""Encoding with a helper process gives the same encodings, in order, as encoding here."""
from __future__ import annotations

import numpy as np

from image_checks import encoder
from image_checks.faces import encode_chips as encode_here


def test_streaming_with_a_helper_matches_local(monkeypatch):
    monkeypatch.setenv("SECONDLOOK_FACE_HELPERS", "1")
    chips = [np.random.default_rng(i).integers(0, 255, (150, 150, 3), dtype=np.uint8) for i in range(5)]
    stream = encoder.StreamingEncoder()
    assert stream.pool is not None
    for chip in chips:
        stream.add(chip)
    assert len(stream.sent) == 2  # every other chip went to the helper at once
    np.testing.assert_allclose(stream.finish(), encode_here(chips), atol=1e-6)


def test_without_helpers_everything_is_encoded_here(monkeypatch):
    monkeypatch.setenv("SECONDLOOK_FACE_HELPERS", "0")
    chips = [np.full((150, 150, 3), 90, dtype=np.uint8), np.full((150, 150, 3), 160, dtype=np.uint8)]
    stream = encoder.StreamingEncoder()
    assert stream.pool is None
    for chip in chips:
        stream.add(chip)
    assert not stream.sent
    result = stream.finish()
    assert result.shape == (2, 128)
    np.testing.assert_allclose(result, encode_here(chips), atol=1e-6)
    assert encoder.encode_chips([]).shape == (0, 128)
