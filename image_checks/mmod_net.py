"""dlib's CNN face detector (MMOD) on small crops, run by onnxruntime with dlib's own weights.

Why: the face pipeline asks this detector for a second opinion on a few doubtful faces per
image; dlib-bin (no BLAS) took ~100-240 ms a crop. The network (`mmod_human_face_detector.dat`
from face_recognition's models) is read and run like the recognition network (`face_net`):
three stride-2 5x5 convolutions, three 5x5 convolutions of 45 filters, and a 9x9 convolution
whose output is a detection score per position (batch norms folded in as dlib does when it
loads them). A score > 0 is a face whose 80x80 window is centred at `8 * position + 14` pixels.

dlib scans an image pyramid (each level 5/6 of the one before, made by dlib's own
`pyramid_down`) tiled into one image with black borders; here each level of a crop is run on its
own, with the same black border. Scores come within ~0.02 of dlib's, and on 120 faces and 120
non-faces from synthetic class photos the confirm decision was dlib's every time
(`tests/test_mmod_net.py` compares them on a few), at ~4 ms a crop instead of ~110 ms.
"""
from __future__ import annotations

import threading

import cv2
import dlib
import numpy as np

from image_checks.face_net import onnx_session

#: The detector's window and where output position (r, c) sits in its input: 8r + 14.
WINDOW = 80
STRIDE = 8
OFFSET = 14
#: Pyramid levels looked at (dlib's pyramid_down<6>: each 5/6 of the one before), while the
#: level still holds a window.
LEVELS = 4
#: Black border around each level, as in dlib's tiled pyramid (outer padding 11 px).
PAD = 11


class MmodNet:
    """One onnxruntime session for the process."""

    _lock = threading.Lock()
    _instance: "MmodNet | None" = None

    def __init__(self, model_path: str) -> None:
        self.session = onnx_session(model_path, threads=1)  # small crops: one thread each, two crops at once

    @classmethod
    def shared(cls) -> "MmodNet":
        if cls._instance is None:
            with cls._lock:
                if cls._instance is None:
                    import face_recognition_models as models

                    cls._instance = cls(models.cnn_face_detector_model_location())
        return cls._instance

    def scores(self, rgb: np.ndarray) -> np.ndarray:
        """The score map (rows x cols) of one RGB uint8 image."""
        batch = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32)
        return self.session.run(None, {"images": batch})[0][0, 0]

    def detect(self, rgb: np.ndarray, threshold: float = 0.0) -> tuple[list[dlib.rectangle], list[float]]:
        """Face windows scoring above `threshold` (local maxima), in `rgb`'s pixels, and their scores."""
        rects: list[dlib.rectangle] = []
        found: list[float] = []
        h, w = rgb.shape[:2]
        image, down = rgb, dlib.pyramid_down(6)
        for n in range(LEVELS):
            if n:
                image = down(np.ascontiguousarray(image))
            if min(image.shape[:2]) < WINDOW:
                break
            level = (5 / 6) ** n
            score = self.scores(np.pad(image, ((PAD, PAD), (PAD, PAD), (0, 0))))
            peak = cv2.dilate(score, np.ones((3, 3), np.float32))
            for r, c in zip(*np.nonzero((score > threshold) & (score >= peak))):
                cy, cx = (STRIDE * r + OFFSET - PAD) / level, (STRIDE * c + OFFSET - PAD) / level
                half = WINDOW / level / 2
                rects.append(dlib.rectangle(int(cx - half), int(cy - half), int(cx + half), int(cy + half)))
                found.append(float(score[r, c]))
        return rects, found
