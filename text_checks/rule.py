"""The base every text rule builds on: it declares id, severity, clause and message once."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from checks_common import Draft, Finding, Policy
from checks_common.rule import Rule


@dataclass
class TextContext:
    """What a rule may look at besides the draft: the policy, and what the school has compiled.

    `names` is the no-publish name matcher the server builds from the database (or None).
    `cache` lets one rule's work (e.g. where the school is mentioned) be reused by another.
    """

    policy: Policy
    names: Any = None
    cache: dict[str, Any] = field(default_factory=dict)


class TextRule(Rule):
    """A text rule. Subclasses set the class attributes and implement `find`.

    The docstring of each rule says What it does / Why (the clause) / Example / Passes.
    """

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        span: tuple[int, int] | None,
        *,
        message: str | None = None,
        suggestion: str | None = None,
        explanation: dict[str, Any] | None = None,
        redact_as: str | None = None,
        fix: dict[str, Any] | None = None,
    ) -> Finding:
        return self.finding_for(message=message, suggestion=suggestion, explanation=explanation, fix=fix,
                                span=span, redact_as=redact_as)
