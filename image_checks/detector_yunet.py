"""YuNet: a learned face detector with a flat cost per megapixel, and five landmarks per face.

Why: the Haar + HOG pipeline (`image_checks.face_detection`) costs more the busier a photo is (texture
wakes up Haar's cascade; every proposal is then confirmed by HOG), ~6 s on a real 12 MP group
photo, and misses tilted, turned and shaded mid-sized faces. YuNet is a small (75 k parameters)
anchor-free CNN trained on WIDER FACE: its cost is set by the pixels, not by what they show, and
it gives the eye centres, nose tip and mouth corners that the ArcFace alignment uses directly.

The model file `face_yunet.onnx` beside this module is `onnx/yunet_s_dynamic.onnx` of
github.com/ShiqiYu/libfacedetection.train at commit 0047ac24afb1a50a0c6105001c89d1b5b805dbf1
(Apache-2.0), byte for byte (`MODEL_SHA256`); its fixed-size twin `yunet_s_640_640.onnx` is byte
for byte opencv_zoo's `face_detection_yunet_2023mar.onnx`, the model of OpenCV's
`cv2.FaceDetectorYN`. It runs on onnxruntime (~3x faster here than OpenCV's DNN module).

How a photo is scanned (`detect`): a pyramid of the image, each level a third of the one
before, the first one upscaled so that the smallest face wanted is ~`NET_MIN_FACE` px (what the
network still finds reliably), down to a level whose long side is <= `TOP_SIDE`. Each level runs
in horizontal strips of at most `STRIP_PIXELS` pixels overlapping by more than the largest face
that level is meant for (bounded memory whatever the photo's size). A face counts on the level
where its size is in that level's range; overlapping detections are merged (non-maximum
suppression). Boxes, scores and landmarks come back in pixels of the image given.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from image_checks.onnx_session import SharedNetwork, cpu_session

MODEL_FILE = Path(__file__).with_name("face_yunet.onnx")
MODEL_SHA256 = "daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3"
SOURCE = ("github.com/ShiqiYu/libfacedetection.train", "0047ac24afb1a50a0c6105001c89d1b5b805dbf1",
          "onnx/yunet_s_dynamic.onnx", "Apache-2.0")
STRIDES = (8, 16, 32)
#: Face width (network pixels) from which YuNet finds faces reliably; smaller ones are upscaled.
NET_MIN_FACE = 14
#: Largest face (network pixels) a level is trusted for; bigger ones are the next level's.
NET_MAX_FACE = NET_MIN_FACE * 6
#: Pyramid step between levels.
LEVEL_STEP = 3.0
#: The last level's long side.
TOP_SIDE = 640
#: At most this many pixels of one level go through the network at once.
STRIP_PIXELS = 2_000_000
#: Non-maximum suppression: boxes overlapping a better one by this IoU are the same face.
NMS_IOU = 0.3


@dataclass
class Detections:
    """Faces found: boxes (x0, y0, x1, y1), scores (0-1) and five landmarks each (eye on the image's
    left, the other eye, nose tip, mouth corner on the left, the other corner), image pixels."""

    boxes: np.ndarray  # n x 4 float
    scores: np.ndarray  # n
    landmarks: np.ndarray  # n x 5 x 2

    def __len__(self) -> int:
        return len(self.scores)

    def take(self, keep: np.ndarray) -> "Detections":
        return Detections(self.boxes[keep], self.scores[keep], self.landmarks[keep])

    @classmethod
    def empty(cls) -> "Detections":
        return cls(np.zeros((0, 4)), np.zeros(0), np.zeros((0, 5, 2)))

    @classmethod
    def concat(cls, parts: list["Detections"]) -> "Detections":
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty()
        return cls(np.vstack([p.boxes for p in parts]), np.concatenate([p.scores for p in parts]),
                   np.vstack([p.landmarks for p in parts]))


def model_sha256() -> str:
    return hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest()


class YuNet(SharedNetwork):
    """The network in one onnxruntime session per process."""

    def __init__(self, model_path: str | Path) -> None:
        self.session = cpu_session(Path(model_path).read_bytes())
        self.input_name = self.session.get_inputs()[0].name
        self.output_names = [o.name for o in self.session.get_outputs()]

    @staticmethod
    def model_location() -> str:
        return str(MODEL_FILE)

    def run(self, bgr: np.ndarray, min_score: float) -> Detections:
        """The network once on a BGR uint8 image (padded to a multiple of 32), decoded, before NMS."""
        h, w = bgr.shape[:2]
        ph, pw = -(-h // 32) * 32, -(-w // 32) * 32
        blob = np.zeros((1, 3, ph, pw), dtype=np.float32)
        blob[0, :, :h, :w] = bgr.transpose(2, 0, 1)
        out = dict(zip(self.output_names, self.session.run(None, {self.input_name: blob})))
        del blob
        parts = []
        for stride in STRIDES:
            cols = pw // stride
            cls = np.clip(out[f"cls_{stride}"][0, :, 0], 0, 1)
            obj = np.clip(out[f"obj_{stride}"][0, :, 0], 0, 1)
            score = np.sqrt(cls * obj)
            idx = np.flatnonzero(score >= min_score)
            if not len(idx):
                continue
            col, row = (idx % cols).astype(np.float64), (idx // cols).astype(np.float64)
            bbox = out[f"bbox_{stride}"][0, idx].astype(np.float64)
            kps = out[f"kps_{stride}"][0, idx].astype(np.float64).reshape(-1, 5, 2)
            cx, cy = (col + bbox[:, 0]) * stride, (row + bbox[:, 1]) * stride
            bw, bh = np.exp(bbox[:, 2]) * stride, np.exp(bbox[:, 3]) * stride
            boxes = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], axis=1)
            marks = np.stack([(kps[:, :, 0] + col[:, None]) * stride, (kps[:, :, 1] + row[:, None]) * stride], axis=2)
            parts.append(Detections(boxes, score[idx].astype(np.float64), marks))
        return Detections.concat(parts)


def _levels(shape: tuple[int, ...], min_face: float) -> list[float]:
    """Scales of the pyramid's levels (image pixels x scale = network pixels)."""
    scale = NET_MIN_FACE / max(min_face, 1.0)
    levels = [scale]
    while max(shape[:2]) * levels[-1] > TOP_SIDE:
        levels.append(levels[-1] / LEVEL_STEP)
    return levels


def _strips(height: int, width: int, overlap: int) -> list[tuple[int, int]]:
    """Row ranges [y0, y1) covering `height`, each at most STRIP_PIXELS / width rows (but at least
    4 x overlap), consecutive ones sharing `overlap` rows."""
    rows = max(STRIP_PIXELS // max(width, 1), 4 * overlap, 64)
    if rows >= height:
        return [(0, height)]
    out, y0 = [], 0
    while True:
        y1 = min(height, y0 + rows)
        out.append((y0, y1))
        if y1 >= height:
            return out
        y0 = y1 - overlap


def nms(det: Detections, iou: float = NMS_IOU) -> Detections:
    if not len(det):
        return det
    b = det.boxes
    keep = cv2.dnn.NMSBoxes([[float(x0), float(y0), float(x1 - x0), float(y1 - y0)] for x0, y0, x1, y1 in b],
                            det.scores.astype(float).tolist(), 0.0, iou)
    return det.take(np.asarray(keep, dtype=np.int64).reshape(-1))


def detect(rgb: np.ndarray, min_face: float = 14.0, min_score: float = 0.5) -> Detections:
    """Every face of at least ~`min_face` px in an RGB image (see the module's docstring)."""
    net = YuNet.shared()
    h, w = rgb.shape[:2]
    found = []
    levels = _levels(rgb.shape, min_face)
    for n, scale in enumerate(levels):
        lw, lh = max(1, round(w * scale)), max(1, round(h * scale))
        interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        overlap = int(NET_MAX_FACE * 1.5)
        for y0, y1 in _strips(lh, lw, overlap):
            # each strip is resized from its own rows of the image: no whole upscaled copy
            sy0, sy1 = int(np.floor(y0 / scale)), min(h, int(np.ceil(y1 / scale)) + 1)
            part = rgb[sy0:sy1]
            target = (lw, max(1, round((sy1 - sy0) * scale)))
            level = cv2.resize(part, target, interpolation=interp) if scale != 1 else part
            det = YuNet.shared().run(np.ascontiguousarray(level[:, :, ::-1]), min_score)
            if len(det):
                sx, sy = w / lw, (sy1 - sy0) / target[1]
                det.boxes[:, [0, 2]] *= sx
                det.boxes[:, [1, 3]] = det.boxes[:, [1, 3]] * sy + sy0
                det.landmarks[:, :, 0] *= sx
                det.landmarks[:, :, 1] = det.landmarks[:, :, 1] * sy + sy0
                size = (det.boxes[:, 2] - det.boxes[:, 0]) * scale  # network pixels
                in_range = size <= NET_MAX_FACE if n + 1 < len(levels) else np.ones(len(det), bool)
                if n > 0:
                    in_range &= size >= NET_MIN_FACE * 0.8
                found.append(det.take(np.flatnonzero(in_range)))
            del level
    del net
    return nms(Detections.concat(found))
