"""The offline language model: static word-piece vectors distilled from MiniLM + small trained heads.

One file, `text_checks/models/language.npz` (see docs/language-model.md), holds
- `table` (int8, one row per word piece of BERT's uncased vocabulary) and `scale` (one per row):
  all-MiniLM-L6-v2 distilled to a static table by tools/language_distil.py;
- `vocab`: the word pieces, one per line;
- `heads`, `W1`, `b1`, `W2`, `b2`: a one-hidden-layer network (ReLU) per head over the features
  [mean of the piece vectors, max of the piece vectors, mean of |vectors|] of a sentence, trained by
  tools/train_language.py on public labelled sets, our corpus and our own school-voice examples.

`LanguageModel.sentence_scores` scores every sentence of a draft in one matrix product, so a
5,000-character draft costs about what a tweet does. It is loaded once per worker, the first time a
rule asks for it (`language_model()`), like the face networks (image_checks/onnx_session.py).
The file's SHA-256 is pinned in `MODEL_SHA256` and checked by tests/text/test_language_model.py.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

from text_checks.wordpiece import WordPiece

MODEL_PATH = Path(__file__).resolve().parent / "models" / "language.npz"
MODEL_SHA256 = "30126d70f3a5cee8b99b09f626d311070eb191570852dce3f4f4e2661e9efe43"
HEADS = ("insult", "identity", "threat", "grievance", "gain", "controversial", "defamation", "press")
MAX_PIECES = 128  # `features` reads at most 4 × this many pieces of a text


_URL = re.compile(r"https?://\S+|www\.\S+|<url>|\bURL\b")
_MENTION = re.compile(r"@\w+|<user>|\bMENTION\d+\b")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+);")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def normalise(text: str) -> str:
    """What the model reads, the same at training and at run time: links, @handles and HTML entities
    dropped (in the public tweets a handle mostly means a reply, and replies are where the abuse is:
    the model must not learn that), hashtags as words ("#WhyITeach" -> "Why I Teach")."""
    text = _ENTITY.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    return text


class LanguageModel:
    def __init__(self, table: np.ndarray, vocab: list[str], heads: list[str], W1: np.ndarray, b1: np.ndarray,
                 W2: np.ndarray, b2: np.ndarray, mu: np.ndarray, sd: np.ndarray) -> None:
        self.table = table.astype(np.float32)
        self.tokeniser = WordPiece(vocab)
        self.heads = list(heads)
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2
        self.mu, self.sd = mu, sd
        self._skip = {self.tokeniser.vocab.get(t, -1) for t in ("[UNK]", "[CLS]", "[SEP]", "[PAD]")}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "LanguageModel":
        with np.load(path, allow_pickle=False) as z:
            table = z["table"].astype(np.float32) * z["scale"][:, None]
            vocab = str(z["vocab"]).split("\n")
            return cls(table, vocab, str(z["heads"]).split("\n"), z["W1"], z["b1"], z["W2"], z["b2"], z["mu"], z["sd"])

    def with_heads(self, heads: list[str], W1, b1, W2, b2, mu, sd) -> "LanguageModel":
        """The same word vectors with other heads (the benchmark trains some with one source held out)."""
        other = object.__new__(LanguageModel)
        other.__dict__.update(self.__dict__)
        other.heads, other.W1, other.b1, other.W2, other.b2, other.mu, other.sd = list(heads), W1, b1, W2, b2, mu, sd
        return other

    def pieces(self, text: str) -> list[int]:
        return [i for i in self.tokeniser.encode(normalise(text)) if i not in self._skip]

    def features(self, texts: list[str]) -> np.ndarray:
        """One feature row per text: [mean, max, mean |x|] of its word-piece vectors."""
        return self.features_of_pieces([self.pieces(t)[:4 * MAX_PIECES] for t in texts])

    def features_of_pieces(self, pieces: list[list[int]]) -> np.ndarray:
        """The same from word-piece ids."""
        return self.features_of_stats(*self.segment_stats(pieces))

    def segment_stats(self, pieces: list[list[int]]):
        """Per text: sum, maximum and sum of |x| of its piece vectors, and its number of pieces; all
        texts in one gather and three segment reductions (along contiguous rows: fast)."""
        dims = self.table.shape[1]
        k = len(pieces)
        sums, maxs, abss = (np.zeros((k, dims), np.float32) for _ in range(3))
        counts = np.array([len(p) for p in pieces], np.float32)
        present = [i for i, ids in enumerate(pieces) if ids]
        if present:
            ids = np.fromiter((j for i in present for j in pieces[i]), np.int64, int(counts[present].sum()))
            cols = np.ascontiguousarray(self.table[ids].T)  # (dims, pieces)
            starts = np.concatenate(([0], np.cumsum(counts[present].astype(np.int64))[:-1]))
            sums[present] = np.add.reduceat(cols, starts, axis=1).T
            maxs[present] = np.maximum.reduceat(cols, starts, axis=1).T
            abss[present] = np.add.reduceat(np.abs(cols), starts, axis=1).T
        return sums, maxs, abss, counts

    @staticmethod
    def features_of_stats(sums, maxs, abss, counts) -> np.ndarray:
        n = np.maximum(counts, 1.0)[:, None]
        return np.hstack([sums / n, maxs, abss / n]).astype(np.float32)

    def predict_features(self, X: np.ndarray) -> np.ndarray:
        h = np.maximum(0.0, ((X - self.mu) / self.sd) @ self.W1 + self.b1)
        z = h @ self.W2 + self.b2
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def scores(self, texts: list[str]) -> np.ndarray:
        """(len(texts), len(heads)) probabilities."""
        if not texts:
            return np.zeros((0, len(self.heads)), np.float32)
        return self.predict_features(self.features(texts))

    def head(self, name: str) -> int:
        return self.heads.index(name)


_model: LanguageModel | None = None
_lock = threading.Lock()


def language_model() -> LanguageModel:
    """The shipped model, read the first time a rule asks for it (once per worker process).

    Loading it also keeps numpy's BLAS to one thread in this process: the model's products are tiny
    (a few sentences × 768 × 384), and on a busy two-core machine waking a second BLAS thread for
    each cost 10-100 times the arithmetic (measured: 16 ms instead of 1 ms per draft); a worker
    serves one request per thread anyway.
    """
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from threadpoolctl import threadpool_limits

                threadpool_limits(1, user_api="blas")
                _model = LanguageModel.load()
    return _model


def use_model(model: LanguageModel | None) -> None:
    """Swap the process-wide model (the public benchmark scores heads trained without one source)."""
    global _model
    with _lock:
        _model = model


def sentence_scores(ctx, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    """Scores of every sentence of the draft, computed once per draft and shared by the rules.

    A sentence's score is the lower of its own and that of the passage around it (the sentence with
    the one before and after): the heads learnt from whole posts, and a short sentence alone ("We
    raised £412!") is too little for them to read; the passage confirms what the sentence suggests.
    """
    cached = ctx.cache.get("language_scores")
    if cached is None:
        model = ctx.cache["language_model"] = language_model()
        sums, maxs, abss, counts = model.segment_stats([model.pieces(text[s:e]) for s, e in spans])
        n = len(spans)
        # the passage around sentence i: sentences i-1, i, i+1 (their pieces pooled together)
        pad = lambda a, fill: np.concatenate([np.full((1,) + a.shape[1:], fill, a.dtype), a,  # noqa: E731
                                              np.full((1,) + a.shape[1:], fill, a.dtype)])
        ps, pm, pa, pc = pad(sums, 0), pad(maxs, -np.inf), pad(abss, 0), pad(counts, 0)
        window = (ps[:-2] + ps[1:-1] + ps[2:], np.maximum(np.maximum(pm[:-2], pm[1:-1]), pm[2:]),
                  pa[:-2] + pa[1:-1] + pa[2:], pc[:-2] + pc[1:-1] + pc[2:])
        wmax = np.where(np.isfinite(window[1]), window[1], 0.0).astype(np.float32)
        feats = np.vstack([model.features_of_stats(sums, maxs, abss, counts),
                           model.features_of_stats(window[0], wmax, window[2], window[3])])
        scores = model.predict_features(feats)
        cached = ctx.cache["language_scores"] = np.minimum(scores[:n], scores[n:])
    return cached
