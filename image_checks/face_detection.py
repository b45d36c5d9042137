"""Finding faces: YuNet (default, at the end of this module) or a fast proposer with dlib to
confirm; landmarks and the aligned chips to encode. The Haar + HOG finder:

Why not `face_recognition.face_locations(img, 1)` on the whole photo: on a 12 MP class photo it
misses half the small faces and takes seconds (see docs/images.md). Instead:

1. OpenCV's Haar cascade (`frontalface_default`) proposes face boxes on a pyramid of the grey
   image: full resolution for faces of ~24-50 px, each halving for the next octave (multi-threaded
   inside OpenCV); the `alt2` cascade adds its windows for the smallest faces. Every raw window counts (minNeighbors=0): the faces Haar finds worst (glasses,
   sunglasses, a cap, a tilted head) often get only one or two windows. Windows are grouped into
   proposals without OpenCV's "small box inside a big box" pruning (it dropped real faces inside
   a false box around a head and shoulders). dlib's HOG detector also runs once on a downscaled
   copy for the large faces.
2. Each proposal is confirmed by dlib's HOG detector on a crop around it, rescaled so the face is
   ~100 px (what HOG sees best), on both cores. A weak HOG score gets a second look at twice the
   size, and a face HOG still doubts (glasses at ~24 px) gets a second opinion from dlib's CNN
   detector on a small crop (at most 12 per image, ~9 ms each). Unconfirmed proposals are
   dropped (Haar's false alarms).
3. Each confirmed face gets dlib's 68 landmarks and two aligned chips from the same crop: a
   112x112 crop on ArcFace's five reference points (`image_checks.face_arc`, the network that
   matching uses) and dlib's 150x150 chip (`image_checks.encoder`: dlib's ResNet on onnxruntime,
   for pupils enrolled before the ArcFace network). Both are encoded elsewhere.

Boxes are always in pixels of the oriented full-resolution image. Nothing is written to disk.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterator

import cv2
import dlib
import face_recognition_models as models
import numpy as np

from image_checks import face_arc
from image_checks.detector_yunet import YuNet, detect as detect_yunet
from image_checks.mmod_net import MmodNet

#: Width the HOG confirmer wants a face to be in its crop.
CONFIRM_FACE_PX = 100
#: HOG scores (dlib's `adjust_threshold` scale; a face is >= 0) from which a proposal is looked at
#: again at twice the size, and from which a doubtful face is shown to the CNN. On synthetic class
#: photos true faces that needed the CNN scored -0.66 to -0.05; no false proposal got a CNN hit.
WEAK_HOG_SCORE = -0.9
DOUBTFUL_HOG_SCORE = -0.7
#: CNN confidence that confirms a doubtful face (true ones at 24-26 px scored 0.64-1.0).
CNN_CONFIRM = 0.3
#: Width of the face in the CNN's crop (its window is ~80 px: smaller finds nothing), and its
#: margin; a CNN look costs ~9 ms (dlib's weights on onnxruntime, `mmod_net`; dlib-bin took ~110 ms).
CNN_FACE_PX = 110
CNN_MARGIN = 0.4
#: At most this many CNN second opinions per image, most promising first: bounds the cost on
#: photos full of face-like clutter (a shelf of toys asked for ~20; class photos needed <= 3;
#: 12 looks cost ~0.1 s).
MAX_CNN_CHECKS = 12
#: Largest Haar window on each pyramid level. Above a scale of 2 OpenCV scans every pixel instead
#: of every other one, which made the larger faces cost 2-3x the small ones on textured photos.
HAAR_MAX_WINDOW = 50
#: Largest window of the second cascade (alt2), run on the full-resolution image only.
SMALL_FACE_WINDOW = 36
#: Largest side of the copy the whole-image HOG pass runs on.
OVERVIEW_SIDE = 800
#: Size of the square the blur measure is taken on (face box resized to it).
BLUR_SIDE = 64


@dataclass
class Face:
    """A face found in an image: its box, quality, and (when clear enough) its aligned chips:
    `chip` for dlib's network (150x150), `arc_chip` for the ArcFace network (112x112)."""

    box: tuple[int, int, int, int]  # top, right, bottom, left in full-resolution pixels
    width: int
    sharpness: float = 0.0
    yaw: float = 0.0
    quality: str = "ok"  # ok | too_small, uncertain, unchecked (not encoded) | small | blurred | turned
    score: float = 1.0  # the detector's confidence (YuNet's score; 1 for the Haar + HOG finder)
    chip: np.ndarray | None = field(default=None, repr=False)
    arc_chip: np.ndarray | None = field(default=None, repr=False)
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
        """Detectors and cascades keep state while they run: one per thread."""
        obj = getattr(cls._local, name, None)
        if obj is None:
            if name == "hog":
                obj = dlib.get_frontal_face_detector()
            elif name == "haar":
                obj = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
            elif name == "haar_alt2":
                obj = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_alt2.xml")
            elif name == "cnn":
                obj = dlib.cnn_face_detection_model_v1(models.cnn_face_detector_model_location())
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


def _pyramid_windows(gray: np.ndarray, min_side: int) -> list[tuple[int, int, int, int]]:
    """Every raw window of the default cascade (x, y, w, h in full-resolution pixels), one pyramid
    level per octave."""
    cascade = _Models.local("haar")
    windows: list[tuple[int, int, int, int]] = []
    level, scale = gray, 1.0
    while min(level.shape[:2]) >= min_side:
        found = cascade.detectMultiScale(level, scaleFactor=1.1, minNeighbors=0, minSize=(min_side, min_side),
                                         maxSize=(HAAR_MAX_WINDOW, HAAR_MAX_WINDOW))
        windows.extend(tuple(int(v / scale) for v in w) for w in (found if len(found) else []))
        level = cv2.resize(level, (level.shape[1] // 2, level.shape[0] // 2), interpolation=cv2.INTER_AREA)
        scale /= 2
    return windows


def _small_face_windows(gray: np.ndarray, min_side: int) -> list[tuple[int, int, int, int]]:
    """Every raw window of the `alt2` cascade for the smallest faces, at full resolution (each
    cascade alone missed some 24 px faces, depending on the JPEG quality; the two together none)."""
    found = _Models.local("haar_alt2").detectMultiScale(gray, scaleFactor=1.1, minNeighbors=0, minSize=(min_side, min_side),
                                                        maxSize=(SMALL_FACE_WINDOW, SMALL_FACE_WINDOW))
    return [tuple(int(v) for v in w) for w in (found if len(found) else [])]


def _overview_boxes(rgb: np.ndarray, model: str) -> list[tuple[int, int, int, int]]:
    """dlib's detector once on a copy at most OVERVIEW_SIDE wide: the large (and turned) faces."""
    h, w = rgb.shape[:2]
    scale = min(1.0, OVERVIEW_SIDE / max(h, w))
    small = rgb if scale == 1.0 else cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    if model == "cnn":
        dets = [d.rect for d in _Models.local("cnn")(small, 1)]
    else:
        dets = list(_Models.local("hog")(small, 1 if max(small.shape[:2]) < 500 else 0))
    return [(int(r.top() / scale), int(r.right() / scale), int(r.bottom() / scale), int(r.left() / scale)) for r in dets]


def group_windows(windows: list[tuple[int, int, int, int]], eps: float = 0.2) -> list[tuple[int, int, int, int]]:
    """Average each group of similar windows (OpenCV's rule) into a (top, right, bottom, left) box.

    Unlike `cv2.groupRectangles` a group of one window is kept, and a small group inside a big
    one is not dropped. Compared in blocks of rows, so thousands of windows stay a few MB.
    """
    if not windows:
        return []
    a = np.asarray(windows, dtype=np.float32)
    x0, y0, x1, y1 = a[:, 0], a[:, 1], a[:, 0] + a[:, 2], a[:, 1] + a[:, 3]
    parent = list(range(len(a)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for start in range(0, len(a), 256):
        rows = slice(start, start + 256)
        delta = eps * (np.minimum(a[rows, 2, None], a[:, 2]) + np.minimum(a[rows, 3, None], a[:, 3])) / 2
        similar = ((np.abs(x0[rows, None] - x0) <= delta) & (np.abs(y0[rows, None] - y0) <= delta)
                   & (np.abs(x1[rows, None] - x1) <= delta) & (np.abs(y1[rows, None] - y1) <= delta))
        for i, j in zip(*np.nonzero(similar)):
            if start + i < j:
                parent[root(int(start + i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(a)):
        groups.setdefault(root(i), []).append(i)
    boxes = []
    for members in groups.values():
        gx, gy, gw, gh = a[members].mean(axis=0)
        boxes.append((int(gy), int(gx + gw), int(gy + gh), int(gx)))
    return boxes


def _dedupe_overlapping(boxes: list[tuple[int, int, int, int]], threshold: float = 0.5) -> list[tuple[int, int, int, int]]:
    """Drop boxes that overlap a larger one by `threshold` IoU (not boxes merely inside one)."""
    kept: list[tuple[int, int, int, int]] = []
    for box in sorted(set(boxes), key=lambda b: -(b[1] - b[3]) * (b[2] - b[0])):
        if all(_iou(box, k) < threshold for k in kept):
            kept.append(box)
    return kept


def propose(rgb: np.ndarray, min_face_px: int, model: str = "hog") -> list[tuple[int, int, int, int]]:
    """Candidate face boxes (top, right, bottom, left), largest first: Haar pyramid + dlib on an overview.

    The second cascade and the overview run in the pool while this thread runs the pyramid: each
    OpenCV call spends part of its time single-threaded (building its scaled images).
    """
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    min_side = max(16, int(min_face_px * 0.75))
    pool = _pool()
    small_faces = pool.submit(_small_face_windows, gray, min_side)
    overview = pool.submit(_overview_boxes, rgb, model)
    windows = _pyramid_windows(gray, min_side) + small_faces.result()
    return _dedupe_overlapping(group_windows(windows) + overview.result())


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


def _central(dets, scores, crop: _Crop, box: tuple[int, int, int, int]) -> tuple[dlib.rectangle, float] | None:  # noqa: ANN001
    """The best-scoring detection whose centre lies within half a face width of the proposal's
    centre (a crop at the image's edge is not centred on it)."""
    top, right, bottom, left = box
    px, py = ((left + right) / 2 - crop.x0) * crop.scale, ((top + bottom) / 2 - crop.y0) * crop.scale
    reach = max(right - left, bottom - top, 1) * crop.scale / 2
    best = None
    for rect, score in zip(dets, scores):
        cx, cy = (rect.left() + rect.right()) / 2, (rect.top() + rect.bottom()) / 2
        if abs(cx - px) < reach and abs(cy - py) < reach and (best is None or score > best[1]):
            best = (rect, score)
    return best


@dataclass
class _Verdict:
    """What the HOG confirmer made of a proposal: a face (score >= 0), a doubt, or nothing."""

    box: tuple[int, int, int, int]  # the proposal
    crop: _Crop
    rect: dlib.rectangle | None = None  # best central HOG detection, in crop pixels
    score: float = -np.inf

    @property
    def confirmed(self) -> bool:
        return self.rect is not None and self.score >= 0

    def refined(self) -> tuple[int, int, int, int]:
        s, r = self.crop.scale, self.rect
        return (self.crop.y0 + int(r.top() / s), self.crop.x0 + int(r.right() / s),
                self.crop.y0 + int(r.bottom() / s), self.crop.x0 + int(r.left() / s))


def _hog_verdict(rgb: np.ndarray, box: tuple[int, int, int, int]) -> _Verdict:
    """dlib HOG on a rescaled crop around a proposal; a weak score gets a second look at twice the size."""
    crop = _crop(rgb, box, CONFIRM_FACE_PX)
    verdict = _Verdict(box, crop)
    hog = _Models.local("hog")
    for upsample in (0, 1):
        dets, scores, _ = hog.run(crop.image, upsample, WEAK_HOG_SCORE)
        best = _central(dets, scores, crop, box)
        if best is not None and best[1] > verdict.score:
            verdict.rect, verdict.score = best
        if verdict.confirmed or verdict.rect is None:
            break  # a face, or not even a weak one: twice the size is not worth its 4x cost
    return verdict


def _cnn_agrees(rgb: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """dlib's CNN (mmod) detector, on onnxruntime, on a small crop around HOG's box: a face there?
    (HOG's box, not the proposal's: Haar's boxes vary more in size, and a tight crop cut faces.)"""
    crop = _crop(rgb, box, CNN_FACE_PX, CNN_MARGIN)
    rects, scores = MmodNet.shared().detect(crop.image)
    best = _central(rects, scores, crop, box)
    return best is not None and best[1] >= CNN_CONFIRM


def _confirmed(rgb: np.ndarray, proposals: list[tuple[int, int, int, int]]) -> Iterator[_Verdict]:
    """Verdicts on the proposals, in their order, HOG on both cores; then the doubtful ones the CNN
    confirms (at most MAX_CNN_CHECKS, best HOG score first). dlib releases the GIL while it runs."""
    pool = _pool()
    doubtful, faces = [], []
    for verdict in pool.map(lambda b: _hog_verdict(rgb, b), proposals):
        if verdict.confirmed:
            faces.append(verdict.refined())
            yield verdict
        elif verdict.rect is not None and verdict.score >= DOUBTFUL_HOG_SCORE:
            doubtful.append(verdict)
    # a doubt about part of a face already found (an eye, a cheek) is not worth a CNN look
    doubtful = [v for v in doubtful if not any(_inside(v.refined(), f) or _iou(v.refined(), f) >= 0.3 for f in faces)]
    doubtful = sorted(doubtful, key=lambda v: -v.score)[:MAX_CNN_CHECKS]
    for verdict, agrees in zip(doubtful, pool.map(lambda v: _cnn_agrees(rgb, v.refined()), doubtful)):
        if agrees:
            yield verdict


_pools: dict[int, ThreadPoolExecutor] = {}


def _pool() -> ThreadPoolExecutor:
    """Two workers (two cores; dlib's detectors run outside the GIL), one pool per process: a
    pool's threads do not survive a fork, so a forked worker makes its own."""
    pid = os.getpid()
    if pid not in _pools:
        with _Models._lock:
            if pid not in _pools:
                _pools[pid] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="faces")
    return _pools[pid]


def warm_up() -> None:
    """Load the detectors in this thread and in both pool threads (each thread has its own), so
    that the first check does not pay for it (~0.5 s)."""
    names = ("hog", "haar", "haar_alt2")  # dlib's own CNN only for the optional `detector = "cnn"` overview
    MmodNet.shared()
    YuNet.shared()
    _Models.shared("shape68")
    both_busy = threading.Barrier(2)

    def load(_: int) -> None:
        for name in names:
            _Models.local(name)
        try:
            both_busy.wait(timeout=5)  # holds this worker so the other task goes to the other one
        except threading.BrokenBarrierError:
            pass

    list(_pool().map(load, range(2)))
    for name in names:
        _Models.local(name)


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
    landmarks: int = 5
    num_jitters: int = 1
    finder: str = "yunet"  # "yunet" (`_yunet_faces`) or "haar-hog" (Haar proposals confirmed by HOG)
    dlib_chips: bool = True  # also dlib's 150x150 chip (for pupils with dlib-only templates)
    keep_uncertain: bool = False  # also yield YuNet's "perhaps a face" detections (quality "uncertain")


def iter_faces(rgb: np.ndarray, settings: FaceSettings = FaceSettings()) -> Iterator[Face]:
    """Faces one by one as they are confirmed (so encoding can start before detection ends).

    Each has its quality and, unless too small, an aligned chip to encode. A face whose box
    overlaps one already given (the same face proposed twice) is skipped.
    """
    if settings.finder == "yunet":
        yield from _yunet_faces(rgb, settings)
        return
    given: list[tuple[int, int, int, int]] = []
    shape_model = _Models.shared("shape68" if settings.landmarks == 68 else "shape")
    for verdict in _confirmed(rgb, propose(rgb, settings.min_face_px, settings.model)):
        crop, rect = verdict.crop, verdict.rect
        refined = _clip(verdict.refined(), rgb.shape)
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
            shape68 = shape if settings.landmarks == 68 else _Models.shared("shape68")(crop.image, rect)
            face.arc_chip = face_arc.align(crop.image, [(p.x, p.y) for p in shape68.parts()])
        yield face


def find_faces(rgb: np.ndarray, settings: FaceSettings = FaceSettings()) -> list[Face]:
    """Every face in an RGB image (see `iter_faces`)."""
    return list(iter_faces(rgb, settings))


def _clip(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    top, right, bottom, left = box
    return max(0, top), min(w, right), min(h, bottom), max(0, left)


# --- The YuNet finder (`finder = "yunet"`, the default) ---------------------------------------
#
# Faces found by YuNet (`image_checks.detector_yunet`): boxes, quality and the aligned chips, as the
# same `Face` objects as the Haar + HOG finder above, so everything after detection (encoding,
# matching, the rules, enrolment) is unchanged:
#
# * the box is YuNet's box mapped onto dlib HOG's framing (`HOG_FRAME`: measured on LFW, HOG's box
#   is YuNet's shifted down by 16 % of its height and cut at the chin), so that the policy's face
#   widths (`min_face_px`, `clear_face_px`, calibrated on HOG's boxes) keep their meaning;
# * the ArcFace chip is aligned on landmarks: with `landmarks = 68` on dlib's 68 landmarks fitted
#   in that box, the alignment templates enrolled before issue 19 were made with; with
#   `landmarks = 5` (the default) on YuNet's own five points (no dlib at all, ~3 ms a face less;
#   recognition measured alike, see docs/images.md; its points lie
#   ~9 % of the eye distance from dlib's, see tests/images/test_detector_yunet.py);
# * yaw from the same landmarks, sharpness as before.
#
# Detections scoring between `UNCERTAIN_SCORE` and `FACE_SCORE`, and faces narrower than the
# policy's `min_face_px`, are kept as `too_small`/`uncertain` faces (never encoded): the
# unverifiable-face rule tells staff the photo was not fully checked there.

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


def _yunet_faces(rgb: np.ndarray, settings: FaceSettings) -> Iterator[Face]:
    """Faces found by YuNet, one by one, largest first (see the section's comment above)."""
    det = detect_yunet(rgb, min(DETECT_MIN_FACE, settings.min_face_px), UNCERTAIN_SCORE)
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
