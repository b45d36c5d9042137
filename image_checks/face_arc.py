"""The ArcFace-style recognition network: 512-d unit encodings of faces aligned on five points.

Why a second network: dlib's ResNet (`face_net`) reached ~97 % of enrolled pupils' other photos
caught at <= 2 % false alarms on LFW (bench/face_quality.py), short of the 99 % goal, and no
lever on top of it (cohort offsets, centroids, mirroring, jitter) closed the gap. This network,
trained with an additive-angular-margin loss as ArcFace is, separates people far better on the same
photos: 99.0 % caught at 0.7 % false alarms, 99.3 % at 1.5 % (100 random LFW splits, see
docs/images.md). It is a small (1.2 M parameters, 4.9 MB) MobileFaceNet-like network, ~7 ms a
face on two cores.

The model file `face_arc.onnx` beside this module is `model/fr_feature.onnx` from the npm
package `faceplugin-face-recognition-js` 0.0.1 (MIT licence), byte for byte (SHA-256 in
`MODEL_SHA256`). Its export fixes the batch size to 1 (a `Reshape` to `[1, -1]`); that one
constant is rewritten in memory to `[0, -1]` so that a whole photo's faces run as one batch.

Input, as the package's own code prepares it: a 112x112 RGB crop warped by the similarity that
puts the eyes, the nose tip and the mouth corners on ArcFace's reference points
(`REFERENCE_POINTS`), scaled to (pixel - 127) / 128. The five points are YuNet's own (`align5`,
`[faces] landmarks = 5`, the default) or taken from dlib's 68-point landmarks (`align`).
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from image_checks.onnx_session import SharedNetwork, cpu_session

ARC_SIDE = 112
ARC_SIZE = 512
ARC_BYTES = ARC_SIZE * 4  # stored as little-endian float32
MODEL_FILE = Path(__file__).with_name("face_arc.onnx")
MODEL_SHA256 = "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581"
#: Faces per run of the network (bounds its memory; per-face cost measured alike from 8 to 512).
BATCH = 32
#: Faces of one photo encoded with their mirror image too, largest first. The mirror adds 0.2-0.4
#: points caught at the same false alarms, and costs a second run of the network per face: on a
#: stadium crowd (200+ faces large enough to encode at 12 MP) that was ~2 s of a ~7 s check.
#: A class photo's faces (~30) all keep it; a crowd's smaller faces are encoded once.
MIRRORED_FACES = 32
#: Where the eye centres, nose tip and mouth corners go in the 112x112 crop (ArcFace's template).
REFERENCE_POINTS = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                             [41.5493, 92.3655], [70.7299, 92.2041]])


def five_points(landmarks68: np.ndarray) -> np.ndarray:
    """Eye centres (image left first), nose tip and mouth corners from dlib's 68 landmarks."""
    p = np.asarray(landmarks68, dtype=np.float64).reshape(68, 2)
    return np.array([p[36:42].mean(axis=0), p[42:48].mean(axis=0), p[30], p[48], p[54]])


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 2x3 rotation+scale+shift matrix taking `src` points nearest to `dst` (least squares,
    Umeyama's method, no reflection)."""
    src, dst = np.asarray(src, dtype=np.float64), np.asarray(dst, dtype=np.float64)
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    s0, d0 = src - mu_s, dst - mu_d
    u, sv, vt = np.linalg.svd(d0.T @ s0 / len(src))
    sign = np.diag([1.0, -1.0 if np.linalg.det(u) * np.linalg.det(vt) < 0 else 1.0])
    rotation = u @ sign @ vt
    scale = float((sv * np.diag(sign)).sum() / s0.var(axis=0).sum())
    shift = mu_d - scale * rotation @ mu_s
    return np.hstack([scale * rotation, shift[:, None]])


def align(image: np.ndarray, landmarks68: np.ndarray) -> np.ndarray:
    """The 112x112 RGB crop the network expects, from an image and the face's 68 landmarks in it."""
    matrix = similarity(five_points(landmarks68), REFERENCE_POINTS)
    return cv2.warpAffine(np.ascontiguousarray(image), matrix, (ARC_SIDE, ARC_SIDE), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def align5(image: np.ndarray, points5: np.ndarray) -> np.ndarray:
    """The 112x112 RGB crop from five points in `image` (eye centres, image left first; nose tip;
    mouth corners), e.g. YuNet's landmarks."""
    matrix = similarity(np.asarray(points5, dtype=np.float64).reshape(5, 2), REFERENCE_POINTS)
    return cv2.warpAffine(np.ascontiguousarray(image), matrix, (ARC_SIDE, ARC_SIDE), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def batched_model(data: bytes) -> bytes:
    """The model with its batch size freed: the flattening `Reshape` keeps dimension 0 as it is."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load_from_string(data)
    inits = {i.name: i for i in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Reshape" and node.input[1] in inits:
            shape = numpy_helper.to_array(inits[node.input[1]])
            if shape.tolist() == [1, -1]:
                inits[node.input[1]].CopyFrom(numpy_helper.from_array(np.array([0, -1], dtype=np.int64),
                                                                      node.input[1]))
    free_batch_dim(model)
    del model.graph.value_info[:]
    return model.SerializeToString()


def free_batch_dim(model) -> None:  # noqa: ANN001
    """Let the graph's inputs and outputs take any number of faces (dimension 0)."""
    for value in list(model.graph.input) + list(model.graph.output):
        value.type.tensor_type.shape.dim[0].dim_param = "n"


def unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (all-zero rows stay zero)."""
    rows = np.asarray(rows, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


class AlignedFaceNetwork(SharedNetwork):
    """A network that reads the five-point-aligned 112x112 crop (this one, and SFace in
    `face_sface`): one onnxruntime session per process, built from the model file as `prepared`
    rewrites it, run `batch` faces at a time."""

    threads: int | None = None
    size = ARC_SIZE

    def __init__(self, model_path: str | Path) -> None:
        self.session = cpu_session(self.prepared(Path(model_path).read_bytes()), self.threads)
        self.input_name = self.session.get_inputs()[0].name

    @staticmethod
    def prepared(data: bytes) -> bytes:
        raise NotImplementedError

    @staticmethod
    def scaled(batch: np.ndarray) -> np.ndarray:
        """The network's input from RGB pixel values (float32, faces x 112 x 112 x 3)."""
        return batch

    def run(self, crops: list[np.ndarray] | np.ndarray, batch: int) -> np.ndarray:
        """The network's outputs (not normalised) for 112x112 RGB uint8 crops, `batch` at a time: a
        crowd's 400 faces in one run held ~60 MB of input and several times that in activations,
        for no gain in speed (measured alike, 14-16 ms of CPU a face on the busy machine)."""
        if len(crops) == 0:
            return np.zeros((0, self.size))
        out = []
        for start in range(0, len(crops), batch):
            pixels = self.scaled(np.stack(crops[start:start + batch]).astype(np.float32))
            out.append(self.session.run(None, {self.input_name: np.ascontiguousarray(pixels.transpose(0, 3, 1, 2))})[0])
        return np.vstack(out)


class ArcNet(AlignedFaceNetwork):
    """The ArcFace-style network in one onnxruntime session per process."""

    prepared = staticmethod(batched_model)

    @staticmethod
    def model_location() -> str:
        return str(MODEL_FILE)

    @staticmethod
    def scaled(batch: np.ndarray) -> np.ndarray:
        return (batch - 127.0) / 128.0

    def raw(self, crops: list[np.ndarray] | np.ndarray) -> np.ndarray:
        """The network's 512-d outputs (not normalised), `BATCH` faces per run."""
        return self.run(crops, BATCH)

    def encode(self, crops: list[np.ndarray] | np.ndarray, mirrored: bool | int = True) -> np.ndarray:
        """Unit 512-d encodings (float64), one per crop; with `mirrored`, of the crop and its mirror
        image together (measured: +0.2-0.4 points caught at the same false alarms, and a mirrored
        selfie encodes as the original). A number for `mirrored`: only the first that many crops
        with their mirror (callers put a photo's largest faces first; `MIRRORED_FACES`)."""
        crops = list(crops)
        if not crops:
            return np.zeros((0, ARC_SIZE))
        n = len(crops) if mirrored is True else min(int(mirrored), len(crops))
        if n <= 0:
            return unit(self.raw(crops))
        both = unit(self.raw(crops + [np.ascontiguousarray(c[:, ::-1]) for c in crops[:n]]))
        paired = unit(both[:n] + both[len(crops):])
        return np.vstack([paired, both[n:len(crops)]])


def encode_arc(crops: list[np.ndarray], mirrored: bool | int = True) -> np.ndarray:
    """Unit 512-d encodings of aligned 112x112 crops (see `ArcNet.encode`)."""
    return ArcNet.shared().encode(crops, mirrored)



def template_from_bytes(data: bytes, size: int, network: str) -> np.ndarray:
    """A stored template of a crop network: `size` little-endian float32, read as float64."""
    if len(data) != size * 4:
        raise ValueError(f"an {network} template is {size * 4} bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<f4").astype(np.float64)


def template_to_bytes(encoding: np.ndarray, size: int) -> bytes:
    return np.asarray(encoding, dtype="<f4").reshape(size).tobytes()


def arc_from_bytes(data: bytes) -> np.ndarray:
    """A stored ArcFace template (512 little-endian float32)."""
    return template_from_bytes(data, ARC_SIZE, "ArcFace")


def arc_to_bytes(encoding: np.ndarray) -> bytes:
    return template_to_bytes(encoding, ARC_SIZE)
