"""dlib's face-recognition ResNet, read from its own model file and run by onnxruntime.

Why: the `dlib-bin` wheel is built without BLAS, so dlib spends ~75 ms of one core per face on
this 29-layer network; compiling dlib against OpenBLAS is ruled out (DESIGN.md: no dlib
compile). The network and weights are small and fixed (face_recognition's
`dlib_face_recognition_resnet_model_v1.dat`), so this module reads that file's weights, writes
the same network as an ONNX graph in memory (nothing on disk) and runs it with onnxruntime's
CPU kernels: the encodings equal dlib's to float rounding (tests/images/test_face_net.py compares them
on real faces), so templates enrolled either way stay comparable.

The file is dlib's serialisation of `anet_type` from dlib's dnn_face_recognition_ex.cpp, layers
written from the input up. Only what the forward pass needs is read: each layer's name, then its
parameters; the bookkeeping between layers is skipped. dlib details reproduced exactly:

* input: `(pixel - mean) / 256` per channel (RGB), 150x150 chips;
* `affine_` layers (frozen batch norm) are folded into the convolution before them;
* `add_prev` of tensors of different shapes zero-pads the smaller one (dlib's `tt::add`), which
  happens in every down-sampling block: channels double, and at 8x8 -> 3x3 / 4x4 the convolution
  and the average-pooled shortcut even differ in size;
* `avg_pool_everything` is a global average, then `fc_no_bias<128>`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from image_checks.onnx_session import SharedNetwork, cpu_session

CHIP_SIDE = 150
#: Layer names as dlib writes them ("con_4" etc.; the version suffix is checked separately).
_LAYER_NAME = re.compile(rb"\x01(.)(con_\d|affine_|bn_con2|relu_|max_pool_\d|avg_pool_\d|add_prev_|fc_\d|"
                         rb"input_rgb_image_sized|input_rgb_image_pyramid)", re.DOTALL)


class ModelFormatError(ValueError):
    """The model file is not the dlib network this module knows how to read."""


class _Reader:
    """dlib's serialisation: integers as a control byte (length, sign) and little-endian bytes."""

    def __init__(self, data: bytes, pos: int) -> None:
        self.data = data
        self.pos = pos

    def int(self) -> int:
        control = self.data[self.pos]
        size = control & 0x0F
        value = int.from_bytes(self.data[self.pos + 1:self.pos + 1 + size], "little")
        self.pos += 1 + size
        return -value if control & 0x80 else value

    def float(self) -> float:
        mantissa = self.int()
        exponent = self.int()
        return mantissa * 2.0 ** exponent

    def name(self) -> str:
        size = self.int()
        text = self.data[self.pos:self.pos + size].decode("ascii")
        self.pos += size
        return text

    def tensor(self) -> np.ndarray:
        """A tensor (version 2): its four dimensions, then raw little-endian float32."""
        if self.int() != 2:
            raise ModelFormatError("unknown tensor version")
        dims = [self.int() for _ in range(4)]
        count = int(np.prod(dims))
        values = np.frombuffer(self.data, dtype="<f4", count=count, offset=self.pos)
        self.pos += 4 * count
        return values.astype(np.float32)


@dataclass
class Layer:
    kind: str  # input | conv | affine | relu | max_pool | avg_pool | add_prev | fc
    params: dict = field(default_factory=dict)


def read_layers(data: bytes) -> list[Layer]:
    """The network's layers, input first, with their parameters."""
    layers: list[Layer] = []
    pos = 0
    while True:
        match = _LAYER_NAME.search(data, pos)
        if match is None:
            break
        name = match.group(2).decode()
        if match.group(1)[0] != len(name):
            pos = match.start() + 1
            continue
        reader = _Reader(data, match.end())
        layers.append(_read_layer(name, reader))
        pos = reader.pos
    if not layers or layers[0].kind != "input" or layers[-1].kind not in ("fc", "conv"):
        raise ModelFormatError("not a dlib network this module can read")
    return layers


def _read_layer(name: str, r: _Reader) -> Layer:
    if name.startswith("input_rgb_image"):
        mean = np.array([r.float(), r.float(), r.float()], dtype=np.float32)
        side = (r.int(), r.int()) if name.endswith("_sized") else None  # a pyramid input takes any size
        return Layer("input", {"mean": mean, "side": side})
    if name.startswith("con_"):
        params = r.tensor()
        filters, rows, cols, stride_y, stride_x, pad_y, pad_x = (r.int() for _ in range(7))
        channels = (params.size - filters) // (filters * rows * cols)
        weights = params[:filters * channels * rows * cols].reshape(filters, channels, rows, cols)
        return Layer("conv", {"w": weights, "b": params[-filters:].copy(), "stride": (stride_y, stride_x),
                              "pad": (pad_y, pad_x)})
    if name == "affine_":
        params = r.tensor()
        half = params.size // 2
        return Layer("affine", {"gamma": params[:half], "beta": params[half:]})
    if name == "bn_con2":  # frozen batch norm: as dlib does when it loads one into an affine_ layer
        params = r.tensor()
        for _ in range(10):
            r.int()  # the gamma and beta views' shapes
        _means, _invstds, running_means, running_variances = (r.tensor() for _ in range(4))
        r.int(), r.int()  # update counters
        for _ in range(4):
            r.float()  # learning-rate and weight-decay multipliers
        eps = r.float()
        half = params.size // 2
        gamma = params[:half] / np.sqrt(running_variances + eps)
        return Layer("affine", {"gamma": gamma.astype(np.float32),
                                "beta": (params[half:] - gamma * running_means).astype(np.float32)})
    if name == "relu_":
        return Layer("relu")
    if name.startswith(("max_pool_", "avg_pool_")):
        rows, cols, stride_y, stride_x, pad_y, pad_x = (r.int() for _ in range(6))
        return Layer(name[:8], {"window": (rows, cols), "stride": (stride_y, stride_x), "pad": (pad_y, pad_x)})
    if name == "add_prev_":
        return Layer("add_prev")
    if name.startswith("fc_"):
        outputs, inputs = r.int(), r.int()
        params = r.tensor()
        return Layer("fc", {"w": params[:inputs * outputs].reshape(inputs, outputs)})
    raise ModelFormatError(f"unexpected layer {name}")


def _out_side(side: int, window: int, stride: int, pad: int) -> int:
    return 1 + (side + 2 * pad - window) // stride


def build_onnx(layers: list[Layer]) -> bytes:
    """The network as a serialised ONNX model: input `images` (N,3,H,W) float32 RGB 0-255, output
    `output` (N,128) for the recognition network, (N,1,H',W') scores for the detector."""
    from onnx import TensorProto, helper, numpy_helper

    nodes: list = []
    inits: list = []
    counter = iter(range(10_000))

    def const(array: np.ndarray, hint: str) -> str:
        name = f"{hint}_{next(counter)}"
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], **attrs) -> str:
        out = f"{op.lower()}_{next(counter)}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def pad_to(name: str, shape: tuple[int, int, int], target: tuple[int, int, int]) -> str:
        """Zero-pad (channels, rows, cols) at the end, as dlib's add of unequal tensors does."""
        if shape == target:
            return name
        pads = [0, 0, 0, 0, 0, target[0] - shape[0], target[1] - shape[1], target[2] - shape[2]]
        return node("Pad", [name, const(np.array(pads, dtype=np.int64), "pads")], mode="constant")

    first = layers[0]
    mean = first.params["mean"].reshape(1, 3, 1, 1)
    current = node("Mul", [node("Sub", ["images", const(mean, "mean")]), const(np.array(1 / 256, dtype=np.float32), "scale")])
    side = first.params["side"] or (1024, 1024)  # shapes are tracked only for add_prev's padding
    shape = (3, *side)
    block_in, block_shape = current, shape
    shortcut: tuple[str, tuple[int, int, int]] | None = None
    i = 1
    while i < len(layers):
        layer = layers[i]
        p = layer.params
        if layer.kind == "conv":
            w, b = p["w"], p["b"]
            if i + 1 < len(layers) and layers[i + 1].kind == "affine":
                gamma, beta = layers[i + 1].params["gamma"], layers[i + 1].params["beta"]
                w = w * gamma[:, None, None, None]
                b = b * gamma + beta
                i += 1
            (sy, sx), (py, px) = p["stride"], p["pad"]
            current = node("Conv", [current, const(w.astype(np.float32), "w"), const(b.astype(np.float32), "b")],
                           strides=[sy, sx], pads=[py, px, py, px], kernel_shape=list(w.shape[2:]))
            shape = (w.shape[0], _out_side(shape[1], w.shape[2], sy, py), _out_side(shape[2], w.shape[3], sx, px))
        elif layer.kind == "relu":
            current = node("Relu", [current])
            if i > 0 and layers[i - 1].kind in ("add_prev", "max_pool"):
                block_in, block_shape = current, shape
        elif layer.kind == "max_pool":
            (wy, wx), (sy, sx), (py, px) = p["window"], p["stride"], p["pad"]
            current = node("MaxPool", [current], kernel_shape=[wy, wx], strides=[sy, sx], pads=[py, px, py, px])
            shape = (shape[0], _out_side(shape[1], wy, sy, py), _out_side(shape[2], wx, sx, px))
            block_in, block_shape = current, shape
        elif layer.kind == "avg_pool":
            (wy, wx), (sy, sx), (py, px) = p["window"], p["stride"], p["pad"]
            if wy == 0:  # avg_pool_everything
                current = node("Flatten", [node("GlobalAveragePool", [current])])
                shape = (shape[0], 1, 1)
            else:  # the shortcut of a down-sampling block: pooled block input
                pooled = node("AveragePool", [block_in], kernel_shape=[wy, wx], strides=[sy, sx],
                              pads=[py, px, py, px])
                shortcut = (pooled, (block_shape[0], _out_side(block_shape[1], wy, sy, py),
                                     _out_side(block_shape[2], wx, sx, px)))
        elif layer.kind == "add_prev":
            other, other_shape = shortcut if shortcut is not None else (block_in, block_shape)
            target = tuple(max(a, b) for a, b in zip(shape, other_shape))
            current = node("Add", [pad_to(current, shape, target), pad_to(other, other_shape, target)])
            shape, shortcut = target, None
        elif layer.kind == "fc":
            current = node("MatMul", [current, const(p["w"], "fc")])
        else:
            raise ModelFormatError(f"unexpected {layer.kind} layer")
        i += 1
    nodes[-1].output[0] = "output"
    rows, cols = first.params["side"] or ("h", "w")
    graph = helper.make_graph(
        nodes, "dlib_network", [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["n", 3, rows, cols])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="secondlook")
    return model.SerializeToString()


class DlibNetwork(SharedNetwork):
    """A dlib network from face_recognition's models, in one onnxruntime session per process."""

    threads: int | None = None  # None: threads_wanted()

    def __init__(self, model_path: str | Path) -> None:
        layers = read_layers(Path(model_path).read_bytes())
        self.input_mean = layers[0].params["mean"]  # per RGB channel, subtracted by the network itself
        self.session = cpu_session(build_onnx(layers), self.threads)


class FaceNet(DlibNetwork):
    """The recognition network (`dlib_face_recognition_resnet_model_v1.dat`)."""

    @staticmethod
    def model_location() -> str:
        import face_recognition_models as models

        return models.face_recognition_model_location()

    def encode(self, chips: list[np.ndarray] | np.ndarray) -> np.ndarray:
        """128-d encodings (float64, as dlib returns them) of 150x150 RGB uint8 chips."""
        if len(chips) == 0:
            return np.zeros((0, 128))
        batch = np.ascontiguousarray(np.stack(chips).transpose(0, 3, 1, 2), dtype=np.float32)
        return self.session.run(None, {"images": batch})[0].astype(np.float64)
