"""Every rule's facts as the server shows them, derived from the registries (never written here).

The log stores rule ids only (never messages, which may quote the draft), so the review pages
describe a rule from here. Each entry is read from the rule's own class (checks_common/rule.py):
to add a rule, register its class in text_checks/registry.py or image_checks/registry.py.
"""
from __future__ import annotations

from typing import NamedTuple

from checks_common.rule import Rule
from image_checks.registry import IMAGE_RULES as IMAGE_RULE_CLASSES
from text_checks.registry import TEXT_RULES as TEXT_RULE_CLASSES

#: Every rule class, image rules first (the order of DESIGN.md's rule table).
ALL_RULES: tuple[type[Rule], ...] = IMAGE_RULE_CLASSES + TEXT_RULE_CLASSES
RULE_CLASSES: dict[str, type[Rule]] = {r.id: r for r in ALL_RULES}


class RuleEntry(NamedTuple):
    id: str
    severity: str
    clause: str
    what: str
    title: str


RULES: tuple[RuleEntry, ...] = tuple(RuleEntry(r.id, r.severity, r.clause, r.description, r.title)
                                     for r in ALL_RULES)
BY_ID = {r.id: r for r in RULES}
IMAGE_RULES = frozenset(r.id for r in IMAGE_RULE_CLASSES)


def describe(rule_id: str) -> str:
    entry = BY_ID.get(rule_id)
    return entry.what if entry else "a rule not in this version's catalogue"


def clause_of(rule_id: str) -> str | None:
    entry = BY_ID.get(rule_id)
    return entry.clause if entry else None


def design_table() -> str:
    """The rule table of docs/DESIGN.md, as it must read (tests/rules/test_rule_facts.py compares)."""
    rows = ["| id | severity | clause | what |", "|---|---|---|---|"]
    rows += [f"| `{r.id}` | {r.severity} | {r.clause} | {r.what} |" for r in RULES]
    return "\n".join(rows)
