"""What every rule, text or image, declares about itself, and how it turns that into a Finding.

A rule states every fact about itself once, in its class (ruff's rule table): id, severity, policy
clause, title, one-line description, the near-miss log's mask over its span, message and suggestion;
its docstring (What it does / Why / Example / Passes) is its help text. The rule catalogue of the
review pages, the log's masks and the check of DESIGN.md's table are derived from the registries
(text_checks/registry.py, image_checks/registry.py); tests/rules/test_rule_facts.py fails if a fact
is written anywhere else. The school's policy file may switch a rule off or change its severity,
which `finding_for` applies.
"""
from __future__ import annotations

from typing import Any, ClassVar

from checks_common.finding import Finding
from checks_common.policy import Policy


class Rule:
    """Base of TextRule and ImageRule. The docstring says What it does / Why / Example / Passes."""

    #: kebab-case, unique across text and image rules; the log and the API name the rule by it
    id: ClassVar[str]
    #: one of checks_common.SEVERITIES; the policy file may override it
    severity: ClassVar[str]
    #: the policy clauses it enforces, spelt as the API answers them (`Policy.clause(…).ref`):
    #: "2.4, 2.5", "Don'ts"
    clause: ClassVar[str]
    #: a short human title ("Offensive language")
    title: ClassVar[str]
    #: one line on what it finds, for the review pages and DESIGN.md's rule table
    description: ClassVar[str]
    #: the near-miss log's mask over its span ("[phone]"), or None when the span may be kept as
    #: written (words that are not personal data and show a reviewer why it fired). No default:
    #: a rule must decide.
    mask: ClassVar[str | None]
    message: ClassVar[str]
    suggestion: ClassVar[str] = ""
    #: True when a severer finding over the same words does not make this one redundant, because
    #: fixing those words would not fix it: a disclaimer the post lacks (its span only shows where),
    #: or the tone of the words (a warning about an insult says nothing of the sarcasm around it).
    #: Such a finding is never folded into the severer one.
    stands_alone: ClassVar[bool] = False

    def __init__(self, policy: Policy) -> None:
        """Compile whatever the rule needs from the policy, once."""
        self.policy = policy

    def finding_for(self, *, message: str | None = None, suggestion: str | None = None,
                    explanation: dict[str, Any] | None = None, fix: dict[str, Any] | None = None,
                    **where: Any) -> Finding:
        """A Finding of this rule, with the policy's severity and clause; `where` is span or image."""
        return Finding(
            rule=self.id,
            severity=self.policy.severity_for(self.id, self.severity),
            message=message or self.message,
            suggestion=self.suggestion if suggestion is None else suggestion,
            clause=self.policy.clause(self.clause),
            explanation=explanation or {},
            fix=fix,
            **where,
        )
