"""Every text rule, in one list (ruff's codes table): add a rule here and nowhere else."""
from __future__ import annotations

from text_checks.rule import TextRule
from text_checks.rules.disclaimer import MissingDisclaimer

TEXT_RULES: tuple[type[TextRule], ...] = (
    MissingDisclaimer,
)
