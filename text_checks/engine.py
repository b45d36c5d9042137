"""Runs every enabled text rule over a draft and merges what they found."""
from __future__ import annotations

import threading
from bisect import bisect_right
from dataclasses import replace
from typing import Any

from checks_common import Draft, Finding, Policy
from text_checks.registry import TEXT_RULES
from text_checks.rule import TextContext, TextRule


def merge_overlaps(findings: list[Finding], standalone: frozenset[str] = frozenset()) -> list[Finding]:
    """One underline per piece of text, the most severe rule first.

    - Findings of the same rule whose spans overlap become one finding over the union of the spans.
    - A finding whose span lies inside the span of a strictly more severe finding is dropped (the
      more severe one already stops the post there); its rule id is kept in the survivor's
      explanation under "merged", for the log.
    - Findings without a span (about the whole draft) are always kept, and so are those of the rules
      in `standalone`, which a fix of the severer finding's words would not fix (a missing
      disclaimer, the tone).
    The result is ordered most severe first, then by position, then by rule id.
    """
    by_rule: dict[str, list[Finding]] = {}
    unspanned: list[Finding] = []
    for f in findings:
        (by_rule.setdefault(f.rule, []) if f.span else unspanned).append(f)
    joined: list[Finding] = []
    for group in by_rule.values():
        group.sort(key=lambda f: f.span)
        current = group[0]
        for f in group[1:]:
            if f.span[0] < current.span[1]:
                current = replace(current, span=(current.span[0], max(current.span[1], f.span[1])))
            else:
                joined.append(current)
                current = f
        joined.append(current)
    # Tier by tier, most severe first: a finding is dropped when a kept finding of a higher tier
    # contains its span. Within a fixed set of higher spans sorted by start, the one reaching
    # furthest among those starting at or before a finding decides, so each test is one bisect.
    kept: list[Finding] = []
    for rank in sorted({f.rank for f in joined}, reverse=True):
        higher = sorted(kept, key=lambda k: k.span[0])
        starts = [k.span[0] for k in higher]
        reach: list[Finding] = []
        for k in higher:
            reach.append(k if not reach or k.span[1] > reach[-1].span[1] else reach[-1])
        for f in sorted((f for f in joined if f.rank == rank), key=lambda f: (f.span[0], f.rule)):
            i = bisect_right(starts, f.span[0]) - 1
            if i >= 0 and reach[i].span[1] >= f.span[1] and f.rule not in standalone:
                merged = reach[i].explanation.setdefault("merged", [])
                if f.rule not in merged:
                    merged.append(f.rule)
                continue
            kept.append(f)
    return sorted(kept + unspanned, key=lambda f: (-f.rank, f.span[0] if f.span else -1, f.rule))


class TextChecker:
    """All text rules compiled for one policy. Build once at start-up; `check` is thread-safe."""

    def __init__(self, policy: Policy, rule_classes: tuple[type[TextRule], ...] = TEXT_RULES) -> None:
        self.policy = policy
        self.rules: list[TextRule] = [cls(policy) for cls in rule_classes if policy.rule_enabled(cls.id)]
        self._standalone = frozenset(r.id for r in self.rules if r.stands_alone)

    def check(self, draft: Draft, names: Any = None) -> list[Finding]:
        ctx = TextContext(policy=self.policy, names=names)
        findings: list[Finding] = []
        for rule in self.rules:
            findings.extend(rule.find(draft, ctx))
        return merge_overlaps(findings, self._standalone)


_checkers: dict[int, tuple[Policy, TextChecker]] = {}
_lock = threading.Lock()


def check_text(draft: Draft, policy: Policy, names: Any = None) -> list[Finding]:
    """Check `draft` against `policy`; the compiled rules are cached per policy object."""
    with _lock:
        entry = _checkers.get(id(policy))
        if entry is None or entry[0] is not policy:
            entry = (policy, TextChecker(policy))
            _checkers[id(policy)] = entry
    return entry[1].check(draft, names)
