"""What every rule, text or image, declares about itself, and how it turns that into a Finding.

A rule states its id, severity, policy clause, message and suggestion once (ruff's rule table);
the school's policy file may switch it off or change its severity, which `finding_for` applies.
"""
from __future__ import annotations

from typing import Any, ClassVar

from checks_common.finding import Finding
from checks_common.policy import Policy


class Rule:
    """Base of TextRule and ImageRule. The docstring says What it does / Why / Example / Passes."""

    id: ClassVar[str]
    severity: ClassVar[str]
    clause: ClassVar[str]
    message: ClassVar[str]
    suggestion: ClassVar[str] = ""

    def __init__(self, policy: Policy) -> None:
        """Compile whatever the rule needs from the policy, once."""
        self.policy = policy

    def finding_for(self, *, message: str | None = None, suggestion: str | None = None,
                    explanation: dict[str, Any] | None = None, extra: dict[str, Any] | None = None,
                    **where: Any) -> Finding:
        """A Finding of this rule, with the policy's severity and clause; `where` is span or image."""
        return Finding(
            rule=self.id,
            severity=self.policy.severity_for(self.id, self.severity),
            message=message or self.message,
            suggestion=self.suggestion if suggestion is None else suggestion,
            clause=self.policy.clause(self.clause),
            explanation=explanation or {},
            extra=extra or {},
            **where,
        )
