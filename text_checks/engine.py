"""Runs every enabled text rule over a draft and merges what they found."""
from __future__ import annotations

import threading
from typing import Any

from checks_common import Draft, Finding, Policy
from text_checks.registry import TEXT_RULES
from text_checks.rule import TextContext, TextRule


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Order findings most severe first, then by position; drop a finding of the same rule whose
    span lies inside another's, so one piece of text is underlined once per rule."""
    ordered = sorted(findings, key=lambda f: (-f.rank, f.span[0] if f.span else -1, f.rule))
    kept: list[Finding] = []
    for f in ordered:
        if f.span and any(
            k.rule == f.rule and k.span and k.span[0] <= f.span[0] and f.span[1] <= k.span[1] for k in kept
        ):
            continue
        kept.append(f)
    return kept


class TextChecker:
    """All text rules compiled for one policy. Build once at start-up; `check` is thread-safe."""

    def __init__(self, policy: Policy, rule_classes: tuple[type[TextRule], ...] = TEXT_RULES) -> None:
        self.policy = policy
        self.rules: list[TextRule] = [cls(policy) for cls in rule_classes if policy.rule_enabled(cls.id)]

    def check(self, draft: Draft, names: Any = None) -> list[Finding]:
        ctx = TextContext(policy=self.policy, names=names)
        findings: list[Finding] = []
        for rule in self.rules:
            findings.extend(rule.find(draft, ctx))
        return merge_overlaps(findings)


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
