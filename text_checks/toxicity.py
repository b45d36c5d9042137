"""The offensive-language model shipped inside alt-profanity-check, scored without scikit-learn.

The wheel ships a TF-IDF vectoriser and a sigmoid-calibrated linear SVM (five cross-validation
folds). Calling it through scikit-learn costs ~3 ms per draft, most of it overhead; the model is
linear, so we read its weights once (lazily, the first time a rule needs it) into a dict
word -> (idf, weights per fold) and score a draft in microseconds with the same arithmetic:
l2-normalised tf-idf, w·x + b per fold, Platt sigmoid, mean over folds. `tests/test_text_toxicity.py`
checks the scores agree with the package's own `predict_prob`.

`contributions` also says which word pushed the score up most, so a finding can underline that
word and the explanation can name it.
"""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from text_checks.textutil import fast_regex

_TOKEN = fast_regex(r"(?u)\b\w\w+\b")  # the vectoriser's own token_pattern


@dataclass(frozen=True)
class Score:
    probability: float
    top_word: str | None          # the word contributing most to the score
    top_span: tuple[int, int] | None


class ToxicityModel:
    """Linear model weights: `vocab[word] = (idf, (w_fold1, … w_foldN))`."""

    def __init__(self, vocab: dict[str, tuple[float, tuple[float, ...]]], intercepts: tuple[float, ...],
                 platt: tuple[tuple[float, float], ...]) -> None:
        self.vocab = vocab
        self.intercepts = intercepts
        self.platt = platt
        # For `reaches`: the largest positive weight of each word over the folds, squared.
        self._pos_sq = {w: max(0.0, max(ws)) ** 2 for w, (_idf, ws) in vocab.items()}

    @classmethod
    def from_package(cls) -> "ToxicityModel":
        from profanity_check import profanity_check as pc  # loads the joblib files once

        vectorizer, model = pc.vectorizer, pc.model
        folds = model.calibrated_classifiers_
        coefs = [c.estimator.coef_.ravel() for c in folds]
        intercepts = tuple(float(c.estimator.intercept_[0]) for c in folds)
        platt = tuple((float(c.calibrators[0].a_), float(c.calibrators[0].b_)) for c in folds)
        idf = vectorizer.idf_
        vocab = {word: (float(idf[i]), tuple(float(w[i]) for w in coefs))
                 for word, i in vectorizer.vocabulary_.items()}
        return cls(vocab, intercepts, platt)

    def score(self, text: str) -> Score:
        counts: dict[str, list] = {}
        for m in _TOKEN.finditer(text.lower()):
            word = m.group()
            if word in self.vocab:
                entry = counts.get(word)
                if entry is None:
                    counts[word] = [1, m.span()]
                else:
                    entry[0] += 1
        if not counts:
            return Score(self._probability(list(self.intercepts)), None, None)
        weights = {w: self.vocab[w][0] * c[0] for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in weights.values()))
        folds = len(self.intercepts)
        decision = list(self.intercepts)
        best_word, best = None, 0.0
        for word, tfidf in weights.items():
            x = tfidf / norm
            ws = self.vocab[word][1]
            contribution = 0.0
            for k in range(folds):
                decision[k] += ws[k] * x
                contribution += ws[k] * x
            if contribution > best:
                best_word, best = word, contribution
        span = counts[best_word][1] if best_word else None
        return Score(self._probability(decision), best_word, span)

    def reaches(self, text: str, threshold: float) -> Score | None:
        """The score of `text` when it can reach `threshold`, else None, usually without scoring.

        The tf-idf vector has unit length and no negative entries, so by Cauchy-Schwarz each fold's
        decision is at most its intercept plus the norm of the positive weights of the words present;
        when even that bound stays under the threshold in every fold, the exact score cannot reach it.
        """
        total = 0.0
        pos_sq = self._pos_sq
        for word in _TOKEN.findall(text.lower()):
            total += pos_sq.get(word, 0.0)
        bound = math.sqrt(total)
        best = max(1.0 / (1.0 + math.exp(a * (b0 + bound) + b)) for b0, (a, b) in zip(self.intercepts, self.platt))
        if best < threshold:
            return None
        score = self.score(text)
        return score if score.probability >= threshold else None

    def _probability(self, decision: list[float]) -> float:
        total = 0.0
        for d, (a, b) in zip(decision, self.platt):
            total += 1.0 / (1.0 + math.exp(a * d + b))
        return total / len(decision)


_model: ToxicityModel | None = None
_lock = threading.Lock()


def toxicity_model() -> ToxicityModel:
    """The model, read from the installed package the first time it is asked for."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = ToxicityModel.from_package()
    return _model
