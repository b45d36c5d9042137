"""The offline language model: MiniLM, fine-tuned, run with onnxruntime as a fast and a deep model.

Two files (see docs/language-model.md), fine-tuned by tools/train_language.py on public labelled
sets, our corpus, our school-voice examples and drafts, exported to ONNX and quantised to int8:
`text_checks/models/language.onnx`, the first two transformer layers of all-MiniLM-L6-v2 with its
word-piece embeddings, and `language_deep.onnx`, all six. Each is mean-pooled with one sigmoid output
per head; each file's metadata holds the word-piece vocabulary (BERT uncased) and the head names, so
nothing else is read. The fast model reads everything; the deep model rereads only what the fast one
is in doubt about (`Cascade`), so that most drafts cost two layers and the doubtful few get six.

Unlike a table of word vectors, the encoder reads a sentence in order and in context: "not an idiot"
is not "an idiot", and a word's neighbours change what it means.

`LanguageModel.scores` runs every sentence of a draft in a few padded batches, one onnxruntime
session per model and worker process, loaded the first time a rule asks (`language_model()`), like
the face networks (checks_common/onnx_session.py). The files' SHA-256 are pinned in `MODEL_SHA256`
and `DEEP_MODEL_SHA256` and checked by tests/text/test_language_model.py.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

from checks_common.onnx_session import cpu_session, threads_from_env
from text_checks.wordpiece import WordPiece
from text_checks.textutil import fast_regex

MODEL_PATH = Path(__file__).resolve().parent / "models" / "language.onnx"
MODEL_SHA256 = "1d05908668b962fd0d2ad851ed1ea247e44bedce2cb1c1d485c0cee744388184"
#: The deep model: all six layers, read only where the fast one is in doubt (`Cascade`).
DEEP_MODEL_PATH = MODEL_PATH.with_name("language_deep.onnx")
DEEP_MODEL_SHA256 = "5114b9612fb6c233a5a1a973aa764b4a7385072b8d2c3da3585fc4ee05c3094e"
#: `contempt`: insults as staff write them (a colleague "couldn't organise a fire drill"), learnt from
#: our school-voice drafts only; `insult` learnt mostly from public posts, where rude-but-normal is
#: common, and its threshold sits above what school-voice insults score (docs/language-model.md).
HEADS = ("insult", "identity", "threat", "grievance", "gain", "controversial", "defamation", "press", "hostility",
         "uncredited", "contempt")
MAX_PIECES = 64  # per sentence, [CLS] and [SEP] included: a longer sentence is read from its start
BATCH = 16  # sentences per onnxruntime call, sorted by length so that little padding is computed


_URL = fast_regex(r"https?://\S+|www\.\S+|<url>|\bURL\b")
_MENTION = fast_regex(r"@\w+|<user>|\bMENTION\d+\b")
_ENTITY = fast_regex(r"&(?:amp|lt|gt|quot|#\d+);")
_HASHTAG = fast_regex(r"#(\w+)")
_CAMEL = fast_regex(r"(?<=[a-z])(?=[A-Z])")


def normalise(text: str) -> str:
    """What the model reads, the same at training and at run time: links, @handles and HTML entities
    dropped (in the public tweets a handle mostly means a reply, and replies are where the abuse is:
    the model must not learn that), hashtags as words ("#WhyITeach" -> "Why I Teach")."""
    text = _ENTITY.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    return text


class Tokeniser:
    """[CLS] word pieces [SEP], at most MAX_PIECES, of the normalised text."""

    def __init__(self, vocab: list[str], max_pieces: int = MAX_PIECES) -> None:
        self.wordpiece = WordPiece(vocab)
        self.cls = self.wordpiece.vocab["[CLS]"]
        self.sep = self.wordpiece.vocab["[SEP]"]
        self.max_pieces = max_pieces

    def ids(self, text: str) -> list[int]:
        return [self.cls, *self.wordpiece.encode(normalise(text))[:self.max_pieces - 2], self.sep]


def encode_texts(vocab: list[str], texts: list[str], max_pieces: int = MAX_PIECES) -> list[list[int]]:
    """Word-piece ids of each text, as the model reads them (training reads whole posts, up to 128)."""
    tok = Tokeniser(vocab, max_pieces)
    return [tok.ids(t) for t in texts]


def threads_wanted() -> int:
    """onnxruntime threads for the language model: SECONDLOOK_LANGUAGE_THREADS, default 1.

    One, because a worker serves one request per thread and the batches are small (a draft's
    sentences): on a shared two-core machine a second thread per call costs more in waking and
    waiting than it saves."""
    return threads_from_env("SECONDLOOK_LANGUAGE_THREADS", 1)


class _Reader:
    """What a rule asks of a model, one or two (`heads`, `tokeniser`, `scores_of_ids` each has)."""

    heads: list[str]
    tokeniser: Tokeniser

    def scores_of_ids(self, ids: list[list[int]]) -> np.ndarray:
        raise NotImplementedError

    def scores(self, texts: list[str]) -> np.ndarray:
        """(len(texts), len(heads)) probabilities."""
        return self.scores_of_ids([self.tokeniser.ids(t) for t in texts])

    def head(self, name: str) -> int:
        return self.heads.index(name)


class LanguageModel(_Reader):
    def __init__(self, model: bytes, threads: int | None = None) -> None:
        self.session = cpu_session(model, threads or threads_wanted())
        meta = self.session.get_modelmeta().custom_metadata_map
        self.heads = meta["heads"].split("\n")
        self.tokeniser = Tokeniser(meta["vocab"].split("\n"))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "LanguageModel":
        return cls(path.read_bytes())

    def scores_of_ids(self, ids: list[list[int]]) -> np.ndarray:
        """(len(ids), len(heads)) probabilities; identical inputs are computed once."""
        out = np.zeros((len(ids), len(self.heads)), np.float32)
        unique: dict[tuple[int, ...], list[int]] = {}
        for i, seq in enumerate(ids):
            unique.setdefault(tuple(seq), []).append(i)
        for group in _batches(sorted(unique, key=len)):
            width = len(group[-1])
            x = np.zeros((len(group), width), np.int64)
            m = np.zeros((len(group), width), np.float32)
            for j, seq in enumerate(group):
                x[j, :len(seq)] = seq
                m[j, :len(seq)] = 1.0
            (scores,) = self.session.run(None, {"ids": x, "mask": m})
            for seq, row in zip(group, scores):
                out[unique[seq]] = row
        return out

#: A fast-model score on any head at or above this sends the text to the deep model as well.
GATE = 0.3


class Cascade(_Reader):
    """Two models read as one: the fast model reads every text, and a text it scores at or above
    `gate` on any head is read again by the deep model, whose scores then stand.

    Most of what staff write scores low on every head of the fast model and costs only its two
    layers; the six layers, which tell an insult from a school's ordinary banter much better, are
    spent on the few sentences in doubt. The gate lies below every threshold and below SETTLED, so a
    text the deep model never reads keeps fast scores that fire nothing and settle their passage;
    what the deep model would have found there is the gate's price (docs/language-model.md)."""

    def __init__(self, fast: LanguageModel, deep: LanguageModel, gate: float = GATE) -> None:
        if fast.heads != deep.heads or fast.tokeniser.wordpiece.vocab != deep.tokeniser.wordpiece.vocab:
            raise ValueError("the fast and deep language models must share heads and vocabulary")
        self.fast, self.deep, self.gate = fast, deep, gate
        self.heads = fast.heads
        self.tokeniser = fast.tokeniser

    @classmethod
    def load(cls, fast: Path = MODEL_PATH, deep: Path | None = None) -> "Cascade":
        return cls(LanguageModel.load(fast), LanguageModel.load(deep or DEEP_MODEL_PATH))

    def scores_of_ids(self, ids: list[list[int]]) -> np.ndarray:
        return self.scores_and_fast(ids)[0]

    def scores_and_fast(self, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """(the cascade's scores, the fast model's own), each (len(ids), len(heads))."""
        fast = self.fast.scores_of_ids(ids)
        out = fast.copy()
        doubt = np.flatnonzero((fast >= self.gate).any(1))
        if len(doubt):
            out[doubt] = self.deep.scores_of_ids([ids[i] for i in doubt])
        return out, fast


def _batches(ordered: list[tuple[int, ...]]) -> list[list[tuple[int, ...]]]:
    """Runs of at most BATCH sequences (sorted by length) whose longest is at most 1.5 times their
    shortest: padding is computed like real pieces, and a 64-piece passage beside a 17-piece one
    would cost half again as much in one batch as in two."""
    out: list[list[tuple[int, ...]]] = []
    for seq in ordered:
        if out and len(out[-1]) < BATCH and len(seq) <= 1.5 * len(out[-1][0]):
            out[-1].append(seq)
        else:
            out.append([seq])
    return out


_model: LanguageModel | Cascade | None = None
_lock = threading.Lock()


def language_model() -> Cascade:
    """The shipped models, read the first time a rule asks for them (once per worker process)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Cascade.load()
    return _model


def use_model(model: LanguageModel | Cascade | None) -> None:
    """Swap the process-wide model (the public benchmark scores a model trained without one source)."""
    global _model
    with _lock:
        _model = model


def policy_scores(model: LanguageModel | Cascade, policy, ids: list[list[int]]) -> np.ndarray:
    """Scores to hold against the policy's `model_thresholds`: the cascade's, and where the fast model
    reaches its own threshold (`fast_model_thresholds`) by itself, at least that score carried onto
    the deep thresholds' scale (its threshold to the deep one, 1 to 1). Either model's finding counts:
    each is calibrated to stay silent on the same benign school posts, and the two layers know some
    school-voice wordings (an accusation, a grievance) the six were not sure of."""
    if not isinstance(model, Cascade):
        return model.scores_of_ids(ids)
    out, fast = model.scores_and_fast(ids)
    for k, head in enumerate(model.heads):
        t_fast, t_deep = policy.fast_model_threshold(head), policy.model_threshold(head)
        if t_fast < 1.0 and t_deep < 1.0:
            hit = fast[:, k] >= t_fast
            carried = t_deep + (fast[hit, k] - t_fast) * (1.0 - t_deep) / (1.0 - t_fast)
            out[hit, k] = np.maximum(out[hit, k], carried)
    return out


def candidate(model: Path | None, deep: Path | None) -> tuple[LanguageModel | Cascade, dict[str, dict[str, float]]]:
    """A model to try in place of the shipped one (the benchmarks' --model and --deep) and the policy
    fields it needs, from the .json the training script writes beside a candidate: a cascade of
    `model` (the shipped fast model if None) and `deep` when `deep` is given, with the deep file's
    thresholds (and a candidate fast model's own as the fast thresholds)."""
    import json

    def thresholds(path: Path) -> dict[str, float]:
        return json.loads(path.with_suffix(".json").read_text())

    if deep:
        fields = {"model_thresholds": thresholds(deep)}
        if model:
            fields["fast_model_thresholds"] = thresholds(model)
        return Cascade.load(model or MODEL_PATH, deep), fields
    if model is None:
        raise ValueError("no candidate model given")
    return LanguageModel.load(model), {"model_thresholds": thresholds(model)}


#: A passage scoring below this on insult and identity settles its sentences for the slur-context
#: check (text_checks/rules/language.py SLUR_CONTEXT, 0.35), whatever the thresholds.
SETTLED = 0.35


def passages(lengths: list[int], limit: int = MAX_PIECES) -> list[tuple[int, int]]:
    """Runs [i, j) of consecutive sentences whose pieces fit in `limit` together (one sentence at
    least): what the model reads as a passage, so that a draft's words are read about twice at most."""
    out = []
    start, used = 0, 0
    for i, n in enumerate(lengths):
        if i > start and used + n > limit:
            out.append((start, i))
            start, used = i, 0
        used += n
    if lengths:
        out.append((start, len(lengths)))
    return out


def sentence_scores(ctx, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    """Scores of every sentence of `text`, computed once per draft and text, shared by the rules.

    A sentence's score is the lower of its own and that of its passage (the run of neighbouring
    sentences it belongs to, read together): the heads learnt from whole posts, and a sentence
    alone, or a line of a hard-wrapped paragraph, is often too little for them to read; the passage
    confirms what the sentence suggests. Passages are scored first; the sentences of a passage
    that scores below every head's threshold (and below SETTLED on insult and identity) are not
    run at all: min(sentence, passage) could reach nothing there.
    """
    cache = ctx.cache.setdefault("language_scores", {})
    cached = cache.get(text)
    if cached is None:
        model = ctx.cache["language_model"] = language_model()
        pieces = [model.tokeniser.wordpiece.encode(normalise(text[s:e])) for s, e in spans]
        runs = passages([len(p) for p in pieces], MAX_PIECES - 2)
        wrap = lambda p: [model.tokeniser.cls, *p[:MAX_PIECES - 2], model.tokeniser.sep]  # noqa: E731
        outer = policy_scores(model, ctx.policy, [wrap([i for p in pieces[a:b] for i in p]) for a, b in runs])
        cached = np.zeros((len(spans), len(model.heads)), np.float32)
        settled = np.array([min(ctx.policy.model_threshold(h), SETTLED) if h in ("insult", "identity")
                            else ctx.policy.model_threshold(h) for h in model.heads], np.float32)
        todo = []
        for (a, b), row in zip(runs, outer):
            cached[a:b] = row
            if b - a > 1 and (row >= settled).any():
                todo.extend(range(a, b))
        if todo:
            inner = policy_scores(model, ctx.policy, [wrap(pieces[i]) for i in todo])
            cached[todo] = np.minimum(cached[todo], inner)
        cache[text] = cached
    return cached
