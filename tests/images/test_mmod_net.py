"""dlib's CNN face detector on onnxruntime scores as dlib's own does on the crops it is shown."""
from __future__ import annotations

import numpy as np
import pytest

from image_checks import face_detection
from image_checks.decode import decode
from image_checks.mmod_net import MmodNet
from tests.support.image_synth import group_photo, lfw_people


@pytest.fixture(scope="module")
def crops():
    """Crops as the face pipeline cuts them for a second opinion: small real faces, and background."""
    people = list(lfw_people(1).values())[::40][:6]
    photo = group_photo([p[0] for p in people], size=(1600, 1200), face_px=26, seed=3, background="foliage")
    rgb = decode(photo.jpeg(92)).rgb
    rng = np.random.default_rng(0)
    backgrounds = []
    while len(backgrounds) < 6:
        y, x = int(rng.integers(0, 1170)), int(rng.integers(0, 1570))
        box = (y, x + 26, y + 26, x)
        if all(face_detection._iou(box, t) == 0 for t in photo.truth):
            backgrounds.append(box)
    cut = lambda box: (face_detection._crop(rgb, box, face_detection.CNN_FACE_PX, face_detection.CNN_MARGIN), box)  # noqa: E731
    return [cut(tuple(map(int, t))) for t in photo.truth], [cut(b) for b in backgrounds]


def _verdict(rects, scores, crop, box) -> float | None:
    best = face_detection._central(rects, scores, crop, box)
    return None if best is None else best[1]


def test_faces_and_background_are_told_apart_as_dlib_does(crops):
    dlib_cnn = face_detection._Models.local("cnn")
    net = MmodNet.shared()
    for group, expected in ((crops[0], True), (crops[1], False)):
        for crop, box in group:
            theirs = dlib_cnn(crop.image, 0)
            dlib_score = _verdict([d.rect for d in theirs], [d.confidence for d in theirs], crop, box)
            our_score = _verdict(*net.detect(crop.image), crop, box)
            assert (dlib_score is not None and dlib_score >= face_detection.CNN_CONFIRM) is expected
            assert (our_score is not None and our_score >= face_detection.CNN_CONFIRM) is expected
            if expected:
                assert abs(our_score - dlib_score) < 1e-3  # the same network on the same tiled input


def test_detections_are_in_the_crops_pixels(crops):
    crop, _ = crops[0][0]
    rects, scores = MmodNet.shared().detect(crop.image)
    best = max(range(len(scores)), key=scores.__getitem__)
    h, w = crop.image.shape[:2]
    centre = rects[best].center()
    assert abs(centre.x - w / 2) < w / 6 and abs(centre.y - h / 2) < h / 6
    assert MmodNet.shared().detect(np.zeros((40, 40, 3), dtype=np.uint8)) == ([], [])
