"""The language models compute the same products on every x86 CPU (tools/portable_int8.py): no
matrix weight wide enough to saturate onnxruntime's AVX2 u8s8 kernel, and narrowing one keeps the
product close to the float one."""
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

from text_checks.language_model import DEEP_MODEL_PATH, MODEL_PATH
from tools.portable_int8 import HIGH, LOW, narrow, wide_weights


def test_the_shipped_models_have_no_weight_that_can_saturate():
    for path in (MODEL_PATH, DEEP_MODEL_PATH):
        assert wide_weights(onnx.load(str(path))) == [], path.name


def _matmul_model(weights: np.ndarray) -> onnx.ModelProto:
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, weights.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, weights.shape[1]])],
        [numpy_helper.from_array(weights, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _run(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def test_narrowing_keeps_the_product_and_removes_every_wide_weight(tmp_path):
    rng = np.random.default_rng(7)
    weights = rng.normal(0, 0.05, (96, 64)).astype(np.float32)
    weights[:, 3] *= 20  # one column far wider than the rest, as in a transformer's projections
    onnx.save(_matmul_model(weights), str(tmp_path / "float.onnx"))
    quantize_dynamic(str(tmp_path / "float.onnx"), str(tmp_path / "int8.onnx"), weight_type=QuantType.QInt8)
    model = onnx.load(str(tmp_path / "int8.onnx"))
    assert wide_weights(model)  # quantize_dynamic's int8 weights reach ±127
    assert narrow(model) == 1
    assert wide_weights(model) == []
    narrowed = [numpy_helper.to_array(i) for i in model.graph.initializer if i.data_type == TensorProto.INT8]
    assert all(LOW <= a.min() and a.max() <= HIGH for a in narrowed)
    x = rng.normal(0, 1, (8, 96)).astype(np.float32)
    exact = x @ weights
    error = np.abs(_run(model, x) - exact).max() / np.abs(exact).max()
    assert error < 0.03
