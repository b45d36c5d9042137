"""Where the language model says a rule applies that its word lists and patterns did not see.

A rule calls `flagged_sentences(ctx, text, head, threshold, covered)`: the sentences whose score
for `head` reaches the policy's threshold and that no finding of the rule already covers. The
finding then underlines that sentence (the words the model judged), cites the rule's clause and
says how to fix it, like any other finding; its explanation says `pattern: model` and the score.
"""
from __future__ import annotations

from text_checks.language_model import policy_scores, sentence_scores
from text_checks.textutil import cached_sentences

_MIN_WORDS = 3  # "Brilliant!" or "@someone" alone carries too little for the model to judge


def flagged_sentences(ctx, text: str, head: str, threshold: float,
                      covered: list[tuple[int, int]] | None = None,
                      excused: list[tuple[int, int]] | None = None) -> list[tuple[tuple[int, int], float]]:
    """`excused`: words the rules decided are harmless here (a slur-list word in another sense); a
    sentence holding one is scored again without it before it counts."""
    if threshold >= 1.0 or not text.strip():
        return []
    spans = cached_sentences(ctx, text)
    if not spans:
        return []
    scores = sentence_scores(ctx, text, spans)
    model = ctx.cache["language_model"]
    if head not in model.heads:
        return []  # a model file from before this head existed
    k = model.head(head)
    out = []
    for (s, e), row in zip(spans, scores):
        if row[k] < threshold or len(text[s:e].split()) < _MIN_WORDS:
            continue
        if covered and any(a < e and s < b for a, b in covered):
            continue
        score = float(row[k])
        inside = [(a, b) for a, b in excused or () if s <= a < e]
        if inside:
            sentence = list(text[s:e])
            for a, b in inside:
                sentence[a - s:b - s] = " " * (b - a)
            score = float(policy_scores(model, ctx.policy, [model.tokeniser.ids("".join(sentence))])[0, k])
            if score < threshold:
                continue
        out.append(((s, e), score))
    return out


def model_explanation(head: str, score: float) -> dict:
    return {"pattern": "model", "kind": f"language model: {head}", "score": round(score, 3)}
