"""Measures the text rules on a labelled corpus (tests/data/text_corpus.jsonl): per-rule precision
and recall, and which drafts disagree. Used by the regression test and by bench/text_quality.py.

A draft counts as a true positive for a rule when the rule was expected and fired with a span that
overlaps every expected span of that rule (or, for a rule expected without a span, fired at all).
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checks_common import Draft, Policy, default_policy
from text_checks.engine import TextChecker
from text_checks.names import NoPublishNames

#: Fictional pupils on the corpus's no-publish list.
CORPUS_NO_PUBLISH = [(1, "Samantha Jones"), (2, "Oliver O'Brien"), (3, "Amelia Hartley-Ward"),
                     (4, "Kacper Nowak"), (5, "Isla MacLeod")]
CORPUS_PUPIL_HANDLES = ("@jbloggs09", "@ellie_h2011")
CORPUS_PARENT_HANDLES = ("@sarahbmum", "@dave_parent")


def corpus_policy(base: Policy | None = None) -> Policy:
    """The default policy plus the corpus's roster handles."""
    base = base or default_policy()
    return dataclasses.replace(base, pupil_handles=CORPUS_PUPIL_HANDLES, parent_handles=CORPUS_PARENT_HANDLES)


def load_corpus(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class RuleScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Evaluation:
    scores: dict[str, RuleScore] = field(default_factory=dict)
    disagreements: list[dict[str, Any]] = field(default_factory=list)


def _overlaps(a: list[int] | tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(rows: list[dict[str, Any]], checker: TextChecker | None = None,
             names: NoPublishNames | None = None) -> Evaluation:
    checker = checker or TextChecker(corpus_policy())
    names = names or NoPublishNames(CORPUS_NO_PUBLISH)
    result = Evaluation()
    for rule in checker.rules:
        result.scores[rule.id] = RuleScore()
    for row in rows:
        draft = Draft(text=row["text"], account_type=row["account_type"], audience=row["audience"],
                      account_handle=row.get("account_handle"))
        findings = checker.check(draft, names)
        fired: dict[str, list] = {}
        for f in findings:
            fired.setdefault(f.rule, []).append(f.span)
        expected: dict[str, list] = {}
        for e in row["expected"]:
            expected.setdefault(e["rule"], []).append(e["span"])
        for rule in set(fired) | set(expected):
            score = result.scores.setdefault(rule, RuleScore())
            if rule in expected and rule in fired:
                spans = [s for s in fired[rule] if s]
                ok = all(exp is None or any(_overlaps(exp, s) for s in spans) for exp in expected[rule])
                if ok:
                    score.tp += 1
                else:
                    score.fn += 1
                    score.fp += 1
            elif rule in expected:
                score.fn += 1
            else:
                score.fp += 1
        if set(fired) != set(expected) or any(
                rule in fired and not all(exp is None or any(s and _overlaps(exp, s) for s in fired[rule])
                                          for exp in spans) for rule, spans in expected.items()):
            result.disagreements.append({"id": row["id"], "text": row["text"], "expected": sorted(expected),
                                         "fired": sorted(fired), "gap": row.get("gap"),
                                         "spans": {r: [list(s) if s else None for s in v] for r, v in fired.items()}})
    return result
