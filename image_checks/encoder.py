"""128-d encodings of aligned face chips: dlib's ResNet, run by onnxruntime (see `face_net`).

Matching uses SFace (`face_sface`, the default) or the ArcFace network (`face_arc`); dlib's
encodings still spot the same photo enrolled twice and match pupils enrolled before either existed.

One onnxruntime session per process encodes a whole batch of chips at once on every core
(`SECONDLOOK_FACE_THREADS` caps the threads, e.g. one per gunicorn worker on a busy server);
it releases the GIL, so other requests go on meanwhile. Measured on the 2-core machine this was
built on: ~8 ms a face in a batch of 30, ~10 ms for a single face, against ~75-90 ms a face for
dlib-bin's own (BLAS-less) implementation — with the same encodings to ~1e-6.

`num_jitters > 1` averages the encodings of that many randomly jittered copies of the chip
(dlib's `jitter_image`: small shifts, zooms, rotations and mirroring — what dlib's
`compute_face_descriptor(chip, num_jitters)` does), for steadier enrolment templates.
"""
from __future__ import annotations

import dlib
import numpy as np

from image_checks.face_net import FaceNet


def encode_chips(chips: list[np.ndarray], num_jitters: int = 1) -> np.ndarray:
    """Encodings (float64, one row per chip, in order) of 150x150 RGB uint8 chips."""
    if len(chips) == 0:
        return np.zeros((0, 128))
    net = FaceNet.shared()
    if num_jitters <= 1:
        return net.encode(chips)
    jittered = [copy for chip in chips for copy in dlib.jitter_image(np.ascontiguousarray(chip), num_jitters)]
    return net.encode(jittered).reshape(len(chips), num_jitters, 128).mean(axis=1)


def warm_up(landmarks: int = 5, finder: str = "yunet") -> None:
    """Load the detectors (in every detection thread), the landmark models and the networks, so
    that the first check does not pay for them."""
    from image_checks import face_detection
    from image_checks.face_arc import ARC_SIDE, encode_arc
    from image_checks.face_sface import encode_sface

    face_detection._Models.shared("shape68")  # enrolment cuts dlib's chip on the 68 points
    if landmarks != 68 and finder == "haar-hog":  # dlib's 5-point model serves only that finder
        face_detection._Models.shared("shape")
    face_detection.warm_up()
    encode_chips([np.zeros((150, 150, 3), dtype=np.uint8)])
    encode_arc([np.zeros((ARC_SIDE, ARC_SIDE, 3), dtype=np.uint8)])
    encode_sface([np.zeros((ARC_SIDE, ARC_SIDE, 3), dtype=np.uint8)])
