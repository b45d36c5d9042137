"""The catalogue meta-test: registry, DESIGN.md's rule table, the policy and the tests agree."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checks_common import SEVERITIES, default_policy
from text_checks.registry import TEXT_RULES

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT / "docs" / "DESIGN.md"



def design_table() -> dict[str, tuple[str, str]]:
    """id -> (severity, clause refs as written) from the Rules table of DESIGN.md."""
    rows = {}
    for line in DESIGN.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([a-z0-9-]+)`\s*\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def clause_refs(text: str) -> set[str]:
    return {r.strip() for r in re.split(r"[,/]", text) if r.strip()}


def image_rules():
    try:
        from image_checks.registry import IMAGE_RULES
    except ImportError:
        return None
    return IMAGE_RULES


ALL_RULES = list(TEXT_RULES) + list(image_rules() or ())
#: The text rules of DESIGN.md's table: every row that is not an image rule.
TEXT_IDS = set(design_table()) - {r.id for r in image_rules() or ()}


def test_ids_are_unique():
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))


def test_every_text_rule_of_the_design_is_registered():
    assert {r.id for r in TEXT_RULES} == TEXT_IDS
    assert TEXT_IDS <= set(design_table())


def test_registry_and_design_table_agree_when_image_rules_exist():
    images = image_rules()
    if images is None:
        pytest.skip("image_checks.registry.IMAGE_RULES is not there yet")
    assert {r.id for r in ALL_RULES} == set(design_table())


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_declares_itself(rule):
    assert rule.severity in SEVERITIES
    assert rule.message and rule.clause
    doc = rule.__doc__ or ""
    for part in ("What it does", "Why", "Example", "Passes"):
        assert part in doc, f"{rule.id} docstring lacks {part!r}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_matches_design_table_and_policy_clauses(rule):
    table = design_table()
    assert rule.id in table
    severity, clauses = table[rule.id]
    assert rule.severity == severity
    assert clause_refs(rule.clause) == clause_refs(clauses)
    policy = default_policy()
    for ref in clause_refs(rule.clause):
        assert ref in policy.clauses, f"{rule.id} cites clause {ref} that the default policy lacks"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_has_a_test_file(rule):
    path = Path(__file__).parent / f"test_{rule.id.replace('-', '_')}.py"
    assert path.exists(), f"missing {path.name}"


@pytest.mark.parametrize("rule", TEXT_RULES, ids=lambda r: r.id)
def test_text_rule_test_file_is_a_table_of_fires_and_passes(rule):
    source = (Path(__file__).parent / f"test_{rule.id.replace('-', '_')}.py").read_text(encoding="utf-8")
    assert "def test_fires" in source and "def test_passes" in source
    assert "FIRES = [" in source and "PASSES = [" in source
