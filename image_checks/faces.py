"""Finding and encoding faces: a fast proposer, dlib to confirm, 128-d encodings from aligned chips.

Why not `face_recognition.face_locations(img, 1)` on the whole photo: on a 12 MP class photo it
misses half the small faces and takes seconds (see docs/images.md). Instead:

1. OpenCV's Haar cascade proposes face boxes on the full-resolution grey image (cheap, multi-
   threaded inside OpenCV, finds faces from ~20 px), and dlib's HOG detector runs once on a
   downscaled copy for the large faces.
2. Each proposal is confirmed by dlib's HOG detector on a crop around it, rescaled so the face is
   ~100 px (what HOG sees best). Unconfirmed proposals are dropped (Haar's false alarms).
3. Each confirmed face gets dlib's landmarks and an aligned 150x150 chip from the same crop; the
   chips are encoded by dlib's ResNet (the face_recognition model), in batch, optionally split
   across a helper process (dlib holds the GIL while encoding, so threads do not help).

Boxes are always in pixels of the oriented full-resolution image. Nothing is written to disk.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterator

import cv2
import dlib
import face_recognition_models as models
import numpy as np

#: Width the HOG confirmer wants a face to be in its crop.
CONFIRM_FACE_PX = 100
#: Largest side of the copy the whole-image HOG pass runs on.
OVERVIEW_SIDE = 800
#: Size of the square the blur measure is taken on (face box resized to it).
BLUR_SIDE = 64


@dataclass
class Face:
    """A face found in an image: its box, quality, and (when clear enough) its 128-d encoding."""

    box: tuple[int, int, int, int]  # top, right, bottom, left in full-resolution pixels
    width: int
    sharpness: float = 0.0
    yaw: float = 0.0
    quality: str = "ok"  # ok | too_small (not encoded) | small | blurred | turned
    chip: np.ndarray | None = field(default=None, repr=False)
    encoding: np.ndarray | None = field(default=None, repr=False)


class _Models:
    """dlib models, loaded once per process (each detector object used by one thread at a time)."""

    _lock = threading.Lock()
    _local = threading.local()
    _shared: dict[str, object] = {}

    @classmethod
    def shared(cls, name: str):  # noqa: ANN206
        """Landmark models are read-only when used (and the 68-point one is 100 MB): one per process."""
        obj = cls._shared.get(name)
        if obj is None:
            with cls._lock:
                obj = cls._shared.get(name)
                if obj is None:
                    path = (models.pose_predictor_model_location() if name == "shape68"
                            else models.pose_predictor_five_point_model_location())
                    obj = cls._shared[name] = dlib.shape_predictor(path)
        return obj

    @classmethod
    def local(cls, name: str):  # noqa: ANN206
        """Detectors, cascades and the encoder keep state while they run: one per thread."""
        obj = getattr(cls._local, name, None)
        if obj is None:
            if name == "hog":
                obj = dlib.get_frontal_face_detector()
            elif name == "haar":
                obj = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_alt2.xml")
            elif name == "cnn":
                obj = dlib.cnn_face_detection_model_v1(models.cnn_face_detector_model_location())
            elif name == "encoder":
                obj = dlib.face_recognition_model_v1(models.face_recognition_model_location())
            else:
                raise KeyError(name)
            setattr(cls._local, name, obj)
        return obj


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    t, r, btm, l = max(a[0], b[0]), min(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])
    if r <= l or btm <= t:
        return 0.0
    inter = (r - l) * (btm - t)
    area = lambda x: (x[1] - x[3]) * (x[2] - x[0])  # noqa: E731
    return inter / float(area(a) + area(b) - inter)


def dedupe(boxes: list[tuple[int, int, int, int]], threshold: float = 0.3) -> list[tuple[int, int, int, int]]:
    """Greedy de-duplication, larger boxes first (the same face found twice, or by two passes)."""
    kept: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes, key=lambda b: -(b[1] - b[3]) * (b[2] - b[0])):
        if all(_iou(box, k) < threshold and not _inside(box, k) for k in kept):
            kept.append(box)
    return kept


def _inside(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """True when a's centre lies in b (a face box found inside another face box)."""
    cy, cx = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] <= cy <= b[2] and b[3] <= cx <= b[1]


def propose(rgb: np.ndarray, min_face_px: int, model: str = "hog") -> list[tuple[int, int, int, int]]:
    """Candidate face boxes (top, right, bottom, left): Haar on full resolution + dlib on an overview."""
    h, w = rgb.shape[:2]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    min_side = max(16, int(min_face_px * 0.75))
    proposals: list[tuple[int, int, int, int]] = []
    rects = _Models.local("haar").detectMultiScale(gray, scaleFactor=1.1, minNeighbors=2,
                                                   minSize=(min_side, min_side))
    for x, y, fw, fh in rects if len(rects) else []:
        proposals.append((int(y), int(x + fw), int(y + fh), int(x)))
    scale = min(1.0, OVERVIEW_SIDE / max(h, w))
    small = rgb if scale == 1.0 else cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    if model == "cnn":
        dets = [d.rect for d in _Models.local("cnn")(small, 1)]
    else:
        dets = list(_Models.local("hog")(small, 1 if max(small.shape[:2]) < 500 else 0))
    for r in dets:
        proposals.append((int(r.top() / scale), int(r.right() / scale), int(r.bottom() / scale), int(r.left() / scale)))
    return dedupe(proposals, 0.5)


@dataclass
class _Crop:
    image: np.ndarray
    x0: int
    y0: int
    scale: float


def _crop(rgb: np.ndarray, box: tuple[int, int, int, int], face_px: int, margin: float = 0.6) -> _Crop:
    top, right, bottom, left = box
    size = max(right - left, bottom - top, 1)
    m = int(size * margin)
    h, w = rgb.shape[:2]
    x0, y0 = max(0, left - m), max(0, top - m)
    x1, y1 = min(w, right + m), min(h, bottom + m)
    scale = face_px / size
    region = rgb[y0:y1, x0:x1]
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    image = cv2.resize(region, (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale))),
                       interpolation=interp)
    return _Crop(np.ascontiguousarray(image), x0, y0, scale)


def _confirm(rgb: np.ndarray, box: tuple[int, int, int, int]) -> tuple[tuple[int, int, int, int], _Crop, dlib.rectangle] | None:
    """dlib HOG on a rescaled crop around a proposal; returns the refined box, or None."""
    crop = _crop(rgb, box, CONFIRM_FACE_PX)
    dets = _Models.local("hog")(crop.image, 0)
    if not len(dets):
        dets = _Models.local("hog")(crop.image, 1)  # a second chance at twice the size (same coordinates)
    if not len(dets):
        return None
    ch, cw = crop.image.shape[:2]
    best = min(dets, key=lambda d: abs((d.left() + d.right()) / 2 - cw / 2) + abs((d.top() + d.bottom()) / 2 - ch / 2))
    s = crop.scale
    refined = (crop.y0 + int(best.top() / s), crop.x0 + int(best.right() / s),
               crop.y0 + int(best.bottom() / s), crop.x0 + int(best.left() / s))
    if _iou(refined, box) < 0.2 and not _inside(refined, box):
        return None
    return refined, crop, best


def sharpness(rgb: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Variance of the Laplacian of the face box at (at most) 64 px: low means blurred or featureless."""
    top, right, bottom, left = box
    h, w = rgb.shape[:2]
    region = rgb[max(0, top):min(h, bottom), max(0, left):min(w, right)]
    if region.size == 0:
        return 0.0
    gray = cv2.cvtColor(region, cv2.COLOR_RGB2GRAY)
    side = min(BLUR_SIDE, gray.shape[0], gray.shape[1])  # never upscale: a small face is not a blurred one
    gray = cv2.resize(gray, (side, side), interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def _yaw(shape: dlib.full_object_detection) -> float:
    """How far the nose sits from the eyes' midpoint, in eye distances (0 frontal, ~0.5 profile)."""
    pts = np.array([(shape.part(i).x, shape.part(i).y) for i in range(shape.num_parts)], dtype=float)
    if shape.num_parts == 5:
        eye_a, eye_b, nose = pts[0:2].mean(axis=0), pts[2:4].mean(axis=0), pts[4]
    else:
        eye_a, eye_b, nose = pts[36:42].mean(axis=0), pts[42:48].mean(axis=0), pts[30]
    eye_dist = np.linalg.norm(eye_b - eye_a) or 1.0
    mid = (eye_a + eye_b) / 2
    axis = (eye_b - eye_a) / eye_dist
    return float(np.dot(nose - mid, axis) / eye_dist)


@dataclass(frozen=True)
class FaceSettings:
    """The knobs of the pipeline (from the policy's [faces] table)."""

    min_face_px: int = 24
    clear_face_px: int = 40
    min_sharpness: float = 30.0
    max_yaw: float = 0.45
    model: str = "hog"
    landmarks: int = 68
    num_jitters: int = 1


def iter_faces(rgb: np.ndarray, settings: FaceSettings = FaceSettings()) -> Iterator[Face]:
    """Faces one by one as they are confirmed (so encoding can start before detection ends).

    Each has its quality and, unless too small, an aligned chip to encode. A face whose box
    overlaps one already given (the same face proposed twice) is skipped.
    """
    given: list[tuple[int, int, int, int]] = []
    shape_model = _Models.shared("shape68" if settings.landmarks == 68 else "shape")
    for box in propose(rgb, settings.min_face_px, settings.model):
        confirmed = _confirm(rgb, box)
        if confirmed is None:
            continue
        refined, crop, rect = confirmed
        refined = _clip(refined, rgb.shape)
        if any(_iou(refined, g) >= 0.3 or _inside(refined, g) or _inside(g, refined) for g in given):
            continue
        given.append(refined)
        width = refined[1] - refined[3]
        face = Face(box=refined, width=width)
        shape = shape_model(crop.image, rect)
        face.yaw = _yaw(shape)
        face.sharpness = sharpness(rgb, face.box)
        if width < settings.min_face_px:
            face.quality = "too_small"  # an encoding of so few pixels would be noise: not encoded
        else:
            if width < settings.clear_face_px:
                face.quality = "small"  # encoded, but a non-match is not trusted (see docs/images.md)
            elif face.sharpness < settings.min_sharpness:
                face.quality = "blurred"
            elif abs(face.yaw) > settings.max_yaw:
                face.quality = "turned"
            # blurred and turned faces are still encoded: a clear match must still block
            face.chip = dlib.get_face_chip(crop.image, shape, 150, 0.25)
        yield face


def find_faces(rgb: np.ndarray, settings: FaceSettings = FaceSettings()) -> list[Face]:
    """Every face in an RGB image (see `iter_faces`)."""
    return list(iter_faces(rgb, settings))


def _clip(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    top, right, bottom, left = box
    return max(0, top), min(w, right), min(h, bottom), max(0, left)


def encode_chips(chips: list[np.ndarray], num_jitters: int = 1) -> np.ndarray:
    """128-d encodings (float64) of aligned 150x150 chips, in one batch."""
    if not chips:
        return np.zeros((0, 128))
    vectors = _Models.local("encoder").compute_face_descriptor(chips, num_jitters)
    return np.array([np.array(v) for v in vectors], dtype=np.float64)
