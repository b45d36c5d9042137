"""Make a dynamically quantised ONNX model compute the same scores on every x86 CPU.

`onnxruntime.quantization.quantize_dynamic` multiplies uint8 activations by signed int8 weights
(u8s8). On a CPU with AVX2 but no VNNI, onnxruntime does that with an instruction that adds two
products into 16 bits and saturates (`vpmaddubsw`: 255 x 127 x 2 = 64,770 > 32,767), so large
activations are clipped there and summed exactly on a VNNI CPU: the same model scored a sentence
0.94 on one machine and under its threshold on another, and a threshold calibrated on one kind of
CPU let through or stopped other posts on the other. Weights within [-64, 64] (seven bits, onnxruntime's
`reduce_range`) keep every pair within 16 bits (255 x 64 x 2 = 32,640), so both kinds of CPU compute
the exact product, at u8s8 speed (storing the weights as uint8 instead is exact too, but onnxruntime's
u8u8 kernels ran the models 2.3 times slower here).

tools/language_encoder.py `quantise` ends with this; run alone, it converts a model quantised before:
each column of a weight matrix gets its own scale, so seven bits per column stay as close to the
float weights as eight bits for the whole matrix were (scores move by about as much as between the
float and the int8 model, under 0.1 for 99 % of heads; the thresholds are calibrated on the result).
What stays is noise: float sums in a different order on AVX2 and AVX-512 move a score by up to ~0.02
after six layers of requantised activations (measured under `qemu-x86_64 -cpu Haswell`), hence the
calibration's margin (tools/train_language.py CPU_SPREAD).

    python tools/portable_int8.py MODEL.onnx [OUT.onnx]   # in place without OUT
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

#: |w| <= 64 keeps every pair of products within 16 bits: 255 x 64 x 2 = 32,640 <= 32,767
LOW, HIGH = -64, 64


def wide_weights(model: onnx.ModelProto) -> list[str]:
    """The MatMulInteger weights that can saturate a u8s8 product on an AVX2 CPU (empty when portable)."""
    inits = {i.name: i for i in model.graph.initializer}
    out = []
    for node in model.graph.node:
        weight = inits.get(node.input[1]) if node.op_type == "MatMulInteger" else None
        if weight is not None and weight.data_type == onnx.TensorProto.INT8:
            values = numpy_helper.to_array(weight)
            if values.min() < LOW or values.max() > HIGH:
                out.append(weight.name)
    return out


def narrow(model: onnx.ModelProto) -> int:
    """Requantise every wide MatMulInteger weight to seven bits, one scale per output column (the
    columns' ranges differ widely, so per-column seven bits lose less than one eight-bit scale for the
    whole matrix gains); returns how many were."""
    inits = {i.name: i for i in model.graph.initializer}
    wide = set(wide_weights(model))
    done = set()
    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or node.input[1] not in wide or node.input[1] in done:
            continue
        name, zero_name = node.input[1], node.input[3]
        zero = numpy_helper.to_array(inits[zero_name])
        scale = inits[name.removesuffix("_quantized") + "_scale"]
        weights = (numpy_helper.to_array(inits[name]).astype(np.float32) - zero.astype(np.float32)) \
            * numpy_helper.to_array(scale).astype(np.float32)
        column = np.abs(weights).max(axis=0) / HIGH
        column[column == 0] = 1.0
        inits[name].CopyFrom(numpy_helper.from_array(
            np.clip(np.round(weights / column), LOW, HIGH).astype(np.int8), name))
        scale.CopyFrom(numpy_helper.from_array(column.astype(np.float32), scale.name))
        inits[zero_name].CopyFrom(numpy_helper.from_array(np.zeros(weights.shape[1], np.int8), zero_name))
        done.add(name)
    return len(done)


def main() -> None:
    src = Path(sys.argv[1])
    dst = Path(sys.argv[2]) if len(sys.argv) > 2 else src
    model = onnx.load(str(src))
    n = narrow(model)
    onnx.save(model, str(dst))
    print(f"{dst}: {n} matrix weights narrowed to seven bits")


if __name__ == "__main__":
    main()
