"""A TensorFlow.js graph model (model.json + weight shards) rewritten as an ONNX graph in memory.

Why: the second face-recognition network (`image_checks.face_net2`) is published as a TF.js
graph model, and onnxruntime is already how this project runs networks; TensorFlow itself would
be a ~500 MB dependency for one small network. This reads the graph's JSON (a TensorFlow
GraphDef), the weights it names, and writes the nodes the requested output depends on as ONNX
nodes. Nothing is written to disk.

Layout: TF.js graphs are NHWC; ONNX convolutions are NCHW. The input is transposed once, every
rank-4 tensor is then kept NCHW (weights transposed, 1-d constants broadcast per channel, axes
of reductions and squeezes mapped), and tensors of other ranks are left as they are.

Only the operations the shipped networks use are known; any other raises `GraphFormatError`
naming it, rather than guessing its meaning.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: NHWC axis -> NCHW axis, for rank-4 tensors.
_NCHW_AXIS = {0: 0, 1: 2, 2: 3, 3: 1}
_DTYPES = {"float32": np.float32, "int32": np.int32}


class GraphFormatError(ValueError):
    """The model uses something this converter does not know."""


@dataclass
class Node:
    name: str
    op: str
    inputs: list[str]
    attr: dict

    def text(self, key: str, default: str = "") -> str:
        raw = self.attr.get(key, {}).get("s")
        return base64.b64decode(raw).decode() if raw else default

    def ints(self, key: str) -> list[int]:
        return [int(i) for i in self.attr.get(key, {}).get("list", {}).get("i", [])]

    def texts(self, key: str) -> list[str]:
        return [base64.b64decode(s).decode() for s in self.attr.get(key, {}).get("list", {}).get("s", [])]

    def flag(self, key: str) -> bool:
        return bool(self.attr.get(key, {}).get("b", False))


def read_model(model_json: Path) -> tuple[dict[str, Node], dict[str, np.ndarray]]:
    """The graph's nodes by name, and its weights by name (read from the shards beside the JSON)."""
    spec = json.loads(Path(model_json).read_text())
    nodes = {}
    for raw in spec["modelTopology"]["node"]:
        inputs = [i for i in raw.get("input", []) if not i.startswith("^")]  # control edges: none needed
        nodes[raw["name"]] = Node(raw["name"], raw["op"], [i.split(":")[0] for i in inputs], raw.get("attr", {}))
    weights: dict[str, np.ndarray] = {}
    for group in spec["weightsManifest"]:
        data = b"".join((Path(model_json).parent / p).read_bytes() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w.get("quantization"):
                raise GraphFormatError(f"quantised weight {w['name']} is not supported")
            dtype = _DTYPES.get(w["dtype"])
            if dtype is None:
                raise GraphFormatError(f"weight {w['name']} has dtype {w['dtype']}")
            count = int(np.prod(w["shape"], dtype=np.int64))
            weights[w["name"]] = np.frombuffer(data, dtype="<" + np.dtype(dtype).str[1:], count=count,
                                               offset=offset).reshape(w["shape"]).astype(dtype)
            offset += count * np.dtype(dtype).itemsize
    return nodes, weights


class _Builder:
    """Walks the graph from the output back to the input and emits ONNX nodes in order."""

    def __init__(self, nodes: dict[str, Node], weights: dict[str, np.ndarray]) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.weights = nodes, weights
        self.onnx_nodes: list = []
        self.inits: list = []
        self.rank4: dict[str, bool] = {}  # tensor name -> held as NCHW
        self.done: set[str] = set()
        self.input_name: str | None = None

    # --- helpers -------------------------------------------------------------------------
    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def emit(self, op: str, inputs: list[str], out: str, **attrs) -> str:
        self.onnx_nodes.append(self.helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def value(self, name: str) -> np.ndarray | None:
        node = self.nodes[name]
        return self.weights.get(name) if node.op == "Const" else None

    def operand(self, name: str, other_is_nchw: bool) -> str:
        """A tensor for an element-wise op: a 1-d constant is broadcast per channel in NCHW."""
        v = self.value(name)
        if v is None:
            return self.visit(name)
        if other_is_nchw and v.ndim == 1 and v.size > 1:
            return self.const(name + "/nchw", v.reshape(-1, 1, 1))
        if other_is_nchw and v.ndim == 4:
            return self.const(name + "/nchw", v.transpose(0, 3, 1, 2))
        return self.const(name, v)

    def conv(self, node: Node, depthwise: bool) -> str:
        x = self.visit(node.inputs[0])
        w = self.weights[node.inputs[1]]  # HWIO, or H W C M for depthwise
        if depthwise:
            kh, kw, c, m = w.shape
            weight = w.transpose(2, 3, 0, 1).reshape(c * m, 1, kh, kw)
            group = c
        else:
            weight = w.transpose(3, 2, 0, 1)
            group = 1
        strides, dilations = node.ints("strides"), node.ints("dilations") or [1, 1, 1, 1]
        if node.text("data_format", "NHWC") != "NHWC":
            raise GraphFormatError(f"{node.name}: only NHWC convolutions are supported")
        attrs = {"strides": strides[1:3], "dilations": dilations[1:3], "group": group}
        padding = node.text("padding")
        if padding == "SAME":
            attrs["auto_pad"] = "SAME_UPPER"  # TF puts the odd extra pixel at the end, as SAME_UPPER
        elif padding == "VALID":
            attrs["pads"] = [0, 0, 0, 0]
        elif padding == "EXPLICIT":
            p = node.ints("explicit_paddings")
            attrs["pads"] = [p[2], p[4], p[3], p[5]]
        else:
            raise GraphFormatError(f"{node.name}: padding {padding!r}")
        inputs = [x, self.const(node.name + "/W", weight)]
        fused = node.texts("fused_ops") if node.op.lstrip("_").startswith("Fused") else []
        if fused and fused[0] == "BiasAdd":
            inputs.append(self.const(node.name + "/B", self.weights[node.inputs[2]]))
            fused = fused[1:]
        out = self.emit("Conv", inputs, node.name + ("/conv" if fused else ""), **attrs)
        return self.activation(node, fused, out)

    def activation(self, node: Node, fused: list[str], out: str) -> str:
        if not fused:
            return out
        if fused == ["Relu"]:
            return self.emit("Relu", [out], node.name)
        if fused == ["Relu6"]:
            return self.emit("Clip", [out, self.const(node.name + "/lo", np.float32(0)),
                                      self.const(node.name + "/hi", np.float32(6))], node.name)
        raise GraphFormatError(f"{node.name}: fused ops {fused}")

    def axes(self, name: str, nchw: bool) -> list[int]:
        raw = np.atleast_1d(self.weights[name]).astype(int).tolist()
        return [_NCHW_AXIS[a % 4] for a in raw] if nchw else raw

    # --- the walk ------------------------------------------------------------------------
    def visit(self, name: str) -> str:  # noqa: C901 - one branch per operation, flat on purpose
        if name in self.done:
            return name
        node = self.nodes[name]
        op = node.op
        if op == "Placeholder":
            self.input_name = name
            out = self.emit("Transpose", [name + "/nhwc"], name, perm=[0, 3, 1, 2])
            self.rank4[out] = True
        elif op in ("_FusedConv2D", "Conv2D"):
            out = self.conv(node, depthwise=False)
            self.rank4[out] = True
        elif op in ("FusedDepthwiseConv2dNative", "_FusedDepthwiseConv2dNative", "DepthwiseConv2dNative"):
            out = self.conv(node, depthwise=True)
            self.rank4[out] = True
        elif op in ("Relu", "Abs", "Sigmoid", "Rsqrt", "Square", "Identity"):
            x = self.visit(node.inputs[0])
            if op == "Rsqrt":
                out = self.emit("Reciprocal", [self.emit("Sqrt", [x], name + "/sqrt")], name)
            elif op == "Square":
                out = self.emit("Mul", [x, x], name)
            else:
                out = self.emit(op, [x], name)
            self.rank4[out] = self.rank4[x]
        elif op in ("Add", "AddV2", "Sub", "Mul", "Maximum", "Minimum", "RealDiv"):
            tensors = [i for i in node.inputs if self.value(i) is None]
            nchw = any(self.rank4.get(self.visit(i), False) for i in tensors)
            onnx_op = {"AddV2": "Add", "Maximum": "Max", "Minimum": "Min", "RealDiv": "Div"}.get(op, op)
            out = self.emit(onnx_op, [self.operand(i, nchw) for i in node.inputs], name)
            self.rank4[out] = nchw
        elif op == "Squeeze":
            x = self.visit(node.inputs[0])
            dims = [_NCHW_AXIS[d % 4] for d in node.ints("squeeze_dims")] if self.rank4[x] else node.ints("squeeze_dims")
            out = self.emit("Squeeze", [x, self.const(name + "/axes", np.array(dims, dtype=np.int64))], name)
            self.rank4[out] = False
        elif op in ("Sum", "Mean"):
            x = self.visit(node.inputs[0])
            keep = node.flag("keep_dims")
            axes = self.const(name + "/axes", np.array(self.axes(node.inputs[1], self.rank4[x]), dtype=np.int64))
            if op == "Sum":
                out = self.emit("ReduceSum", [x, axes], name, keepdims=int(keep))
            else:
                out = self.emit("ReduceMean", [x], name, keepdims=int(keep),
                                axes=self.axes(node.inputs[1], self.rank4[x]))
            self.rank4[out] = self.rank4[x] and keep
        elif op == "Pad":
            x = self.visit(node.inputs[0])
            p = self.weights[node.inputs[1]].astype(np.int64)  # [[before, after]] per NHWC axis
            order = [0, 3, 1, 2] if self.rank4[x] else list(range(len(p)))
            pads = np.concatenate([p[order, 0], p[order, 1]])
            out = self.emit("Pad", [x, self.const(name + "/pads", pads)], name)
            self.rank4[out] = self.rank4[x]
        elif op == "Reshape":
            x = self.visit(node.inputs[0])
            if self.rank4[x]:  # back to NHWC first, so the flattening order is TF's
                x = self.emit("Transpose", [x], name + "/nhwc", perm=[0, 2, 3, 1])
            shape = self.weights[node.inputs[1]].astype(np.int64)
            out = self.emit("Reshape", [x, self.const(name + "/shape", shape)], name)
            self.rank4[out] = False
        elif op in ("MatMul", "_FusedMatMul"):
            x = self.visit(node.inputs[0])
            if self.rank4[x]:
                raise GraphFormatError(f"{name}: MatMul of a rank-4 tensor")
            w = self.weights[node.inputs[1]]
            if node.flag("transpose_b"):
                w = w.T
            out = self.emit("MatMul", [x, self.const(name + "/W", w)], name + "/mm")
            fused = node.texts("fused_ops")
            if fused and fused[0] == "BiasAdd":
                out = self.emit("Add", [out, self.const(name + "/B", self.weights[node.inputs[2]])], name + "/bias")
                fused = fused[1:]
            out = self.emit("Identity", [self.activation(node, fused, out)], name) if out != name else out
            self.rank4[out] = False
        else:
            raise GraphFormatError(f"operation {op} ({name}) is not supported")
        self.done.add(name)
        return name


def build_onnx(model_json: str | Path, output: str, input_side: int) -> bytes:
    """The serialised ONNX model computing `output` from an NHWC float32 batch named `images`."""
    from onnx import TensorProto, helper

    nodes, weights = read_model(Path(model_json))
    if output not in nodes:
        raise GraphFormatError(f"no node named {output}")
    b = _Builder(nodes, weights)
    b.visit(output)
    if b.input_name is None:
        raise GraphFormatError(f"{output} does not depend on the input")
    for n in b.onnx_nodes:  # the graph input gets the plain name `images`
        n.input[:] = ["images" if i == b.input_name + "/nhwc" else i for i in n.input]
    graph = helper.make_graph(
        b.onnx_nodes, "tfjs_graph",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["n", input_side, input_side, 3])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, None)], b.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="secondlook")
    return model.SerializeToString()
