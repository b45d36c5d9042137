"""Faces found by YuNet (`image_checks.detector_yunet`): boxes, quality and the aligned chips.

The same `Face` objects as the Haar + HOG finder (`image_checks.faces`), so everything after
detection (encoding, matching, the rules, enrolment) is unchanged:

* the box is YuNet's box mapped onto dlib HOG's framing (`HOG_FRAME`: measured on LFW, HOG's box
  is YuNet's shifted down by 16 % of its height and cut at the chin), so that the policy's face
  widths (`min_face_px`, `clear_face_px`, calibrated on HOG's boxes) keep their meaning;
* the ArcFace chip is aligned on landmarks: with `landmarks = 68` (the default) on dlib's 68
  landmarks fitted in that box, the very alignment every stored template was made with; with
  `landmarks = 5` on YuNet's own five points (no dlib at all, ~2 ms a face less; its points lie
  ~9 % of the eye distance from dlib's, see tests/test_detector_yunet.py);
* yaw from the same landmarks, sharpness as before.

Detections scoring between `UNCERTAIN_SCORE` and `FACE_SCORE`, and faces narrower than the
policy's `min_face_px`, are kept as `too_small`/`uncertain` faces (never encoded): the
unverifiable-face rule tells staff the photo was not fully checked there.
"""
from __future__ import annotations

from typing import Iterator

import dlib
import numpy as np

from image_checks import detector_yunet, face_arc
from image_checks.faces import Face, FaceSettings, _cnn_agrees, _crop, _hog_verdict, _Models, _pool, _yaw, sharpness

#: YuNet score from which a detection is a face (WIDER FACE's threshold in OpenCV's demo is 0.9;
#: on group photos true small faces scored 0.55-0.8, see docs/images.md).
FACE_SCORE = 0.6
#: Detections from this score up are "perhaps a face": reported as unverifiable, never cleared.
UNCERTAIN_SCORE = 0.45
#: Detections from FACE_SCORE up to this, and at least `VERIFY_MIN_PX` wide, need a second opinion
#: (dlib's HOG or its CNN on a crop, as the Haar + HOG finder confirms its proposals): a hedge or a
#: toy scored up to ~0.8.
SURE_SCORE = 0.85
VERIFY_MIN_PX = 24
#: At most this many second opinions per photo (best scores first); the rest stay "uncertain".
MAX_VERIFY = 24
#: Smallest face YuNet is asked to find (pixels of the image).
DETECT_MIN_FACE = 14
#: dlib HOG's box in units of YuNet's (left, top, right, bottom), medians over 80 LFW faces.
HOG_FRAME = (-0.04, 0.156, 1.048, 0.964)
#: Faces in a crop are resized so that HOG's box is this wide for the landmark fit (as `faces`).
LANDMARK_FACE_PX = 100


def hog_box(box: np.ndarray, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """(top, right, bottom, left) of the HOG-framed box for a YuNet box (x0, y0, x1, y1), clipped."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    l, t, r, b = x0 + HOG_FRAME[0] * w, y0 + HOG_FRAME[1] * h, x0 + HOG_FRAME[2] * w, y0 + HOG_FRAME[3] * h
    hh, ww = shape[:2]
    return max(0, int(round(t))), min(ww, int(round(r))), min(hh, int(round(b))), max(0, int(round(l)))


def iter_faces(rgb: np.ndarray, settings: FaceSettings = FaceSettings()) -> Iterator[Face]:
    """Faces one by one, largest first (see the module's docstring)."""
    det = detector_yunet.detect(rgb, min(DETECT_MIN_FACE, settings.min_face_px), UNCERTAIN_SCORE)
    order = np.argsort(-(det.boxes[:, 2] - det.boxes[:, 0]))
    boxes = [hog_box(b, rgb.shape) for b in det.boxes]
    doubtful = [i for i in np.argsort(-det.scores) if FACE_SCORE <= det.scores[i] < SURE_SCORE
                and boxes[i][1] - boxes[i][3] >= VERIFY_MIN_PX][:MAX_VERIFY]
    agreed = dict(zip(doubtful, _pool().map(lambda i: _second_opinion(rgb, boxes[i]), doubtful)))
    shape68 = _Models.shared("shape68") if settings.landmarks == 68 or settings.dlib_chips else None
    for i in order:
        box = boxes[i]
        width = box[1] - box[3]
        if width <= 2 or box[2] - box[0] <= 2:
            continue
        face = Face(box=box, width=width, score=float(det.scores[i]))
        points5 = det.landmarks[i]
        face.sharpness = sharpness(rgb, box)
        score = det.scores[i]
        face_like = score >= SURE_SCORE or (score >= FACE_SCORE and (width < VERIFY_MIN_PX or agreed.get(i, False)))
        if not face_like:
            if not settings.keep_uncertain:
                continue
            face.quality = "uncertain"  # perhaps a face: never cleared, never encoded
            yield face
            continue
        if width < settings.min_face_px:
            face.quality = "too_small"
            face.yaw = _yaw5(points5)
            yield face
            continue
        crop = _crop(rgb, box, LANDMARK_FACE_PX)
        shape = None
        if shape68 is not None:
            top, right, bottom, left = box
            rect = dlib.rectangle(int((left - crop.x0) * crop.scale), int((top - crop.y0) * crop.scale),
                                  int((right - crop.x0) * crop.scale), int((bottom - crop.y0) * crop.scale))
            shape = shape68(crop.image, rect)
        if settings.landmarks == 68:
            face.yaw = _yaw(shape)
            face.arc_chip = face_arc.align(crop.image, [(p.x, p.y) for p in shape.parts()])
        else:
            face.yaw = _yaw5(points5)
            face.arc_chip = face_arc.align5(rgb, points5)
        if settings.dlib_chips:
            face.chip = dlib.get_face_chip(crop.image, shape, 150, 0.25)
        if width < settings.clear_face_px:
            face.quality = "small"
        elif face.sharpness < settings.min_sharpness:
            face.quality = "blurred"
        elif abs(face.yaw) > settings.max_yaw:
            face.quality = "turned"
        yield face


def _second_opinion(rgb: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """dlib's HOG on a crop around the box, else its CNN: is there a face?"""
    verdict = _hog_verdict(rgb, box)
    return verdict.confirmed or _cnn_agrees(rgb, verdict.refined() if verdict.rect is not None else box)


def _yaw5(points: np.ndarray) -> float:
    """As `faces._yaw`, from YuNet's eyes and nose tip."""
    eye_a, eye_b, nose = points[0], points[1], points[2]
    eye_dist = float(np.linalg.norm(eye_b - eye_a)) or 1.0
    axis = (eye_b - eye_a) / eye_dist
    return float(np.dot(nose - (eye_a + eye_b) / 2, axis) / eye_dist)
