"""Meta-test (refined-github's build/features.test.ts): every fact about a rule is written in its rule.

A rule's class declares id, severity, clause, title, description, log mask, message and docstring
(checks_common/rule.py); everything else reads them from the registries. This fails when a rule is
not registered or declares too little, when DESIGN.md's table or a docs table disagrees with the
rules, and when code or docs outside the rules write a rule's facts again: a dict, set or list of
rule ids, a comparison with a rule id, a rule's description copied out, a rule's mask in code.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

from checks_common import SEVERITIES, default_policy
from checks_common.rule import Rule
from server.nearmiss.redaction import _LABEL
from server.rule_catalogue import ALL_RULES, design_table

ROOT = Path(__file__).resolve().parents[2]
FACTS = ("id", "severity", "clause", "title", "description", "mask", "message")
IDS = {rule.id for rule in ALL_RULES}
#: Where a rule's facts may be written: the rules, and the registries that list them.
RULE_HOMES = [ROOT / "text_checks" / "rules", ROOT / "image_checks" / "rules",
              ROOT / "text_checks" / "registry.py", ROOT / "image_checks" / "registry.py"]
#: The code that must read rule facts from the rules, never write them.
CODE = ["server", "checks_common", "text_checks", "image_checks", "extension"]


def defined_rules() -> set[type[Rule]]:
    """Every concrete rule class defined in text_checks/rules and image_checks/rules."""
    found = set()
    for package in ("text_checks.rules", "image_checks.rules"):
        pkg = importlib.import_module(package)
        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            found |= {c for _, c in inspect.getmembers(module, inspect.isclass)
                      if issubclass(c, Rule) and c.__module__ == module.__name__ and "id" in vars(c)}
    return found


def test_every_rule_defined_is_registered_once_with_a_unique_id():
    assert defined_rules() == set(ALL_RULES)
    assert len(ALL_RULES) == len(IDS)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", i) for i in IDS)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_declares_every_fact_itself(rule):
    missing = [fact for fact in FACTS if fact not in vars(rule)]
    assert not missing, f"{rule.__name__} does not declare {missing}"
    assert rule.severity in SEVERITIES
    assert rule.title and len(rule.title) <= 60 and rule.title[0].isupper() and "\n" not in rule.title
    assert rule.description and len(rule.description) <= 100 and "\n" not in rule.description
    assert rule.mask is None or (_LABEL.fullmatch(rule.mask) and rule.mask != "[redacted]")
    for part in ("What it does", "Why", "Example", "Passes"):
        assert part in (rule.__doc__ or ""), f"{rule.id} docstring lacks {part!r}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_clause_is_spelt_as_the_api_answers_it(rule):
    policy = default_policy()
    refs = [r.strip() for r in rule.clause.split(",")]
    assert all(ref in policy.clauses for ref in refs), f"{rule.id} cites a clause the policy lacks"
    assert policy.clause(rule.clause).ref == rule.clause


def test_design_table_is_the_registries_table():
    assert design_table() in (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8"), (
        "docs/DESIGN.md's rule table differs from the rules: paste server.rule_catalogue.design_table()")


DOC_ROW = re.compile(r"^\|\s*`([a-z-]+)`\s*\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|", re.M)


def test_every_docs_table_row_agrees_with_its_rule():
    by_id = {r.id: r for r in ALL_RULES}
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for rule_id, severity, clause in DOC_ROW.findall(doc.read_text(encoding="utf-8")):
            if rule_id in by_id and severity in SEVERITIES:
                assert (severity, clause) == (by_id[rule_id].severity, by_id[rule_id].clause), (doc.name, rule_id)


# --- the scan: no rule fact written outside its rule ---------------------------------------------

def _is_home(path: Path) -> bool:
    return any(path == home or home in path.parents for home in RULE_HOMES)


def code_files():
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in {".py", ".js", ".html", ".json"} and "node_modules" not in path.parts \
                    and not _is_home(path):
                yield path


def python_rule_id_tables(source: str, ids: set[str] = IDS) -> list[str]:
    """Places in Python source that write rule facts: a dict keyed by, or a collection of, rule
    ids, and a comparison with a rule id (`finding.rule == "image-location"`)."""
    def rule_ids(nodes):
        return [n.value for n in nodes if isinstance(n, ast.Constant) and n.value in ids]

    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict) and rule_ids(node.keys):
            hits.append(f"line {node.lineno}: dict keyed by {rule_ids(node.keys)}")
        elif isinstance(node, (ast.Set, ast.List, ast.Tuple)) and len(rule_ids(node.elts)) >= 2:
            hits.append(f"line {node.lineno}: collection of {rule_ids(node.elts)}")
        elif isinstance(node, ast.Compare) and rule_ids([node.left, *node.comparators]):
            hits.append(f"line {node.lineno}: compares with {rule_ids([node.left, *node.comparators])}")
        elif isinstance(node, ast.Call) and rule_ids(node.args) and len(node.args) >= 3:
            hits.append(f"line {node.lineno}: a rule's facts passed as arguments {rule_ids(node.args)}")
    return hits


def script_rule_id_tables(source: str, ids: set[str] = IDS) -> list[str]:
    """The same for JavaScript, HTML and JSON: a rule id used as a key or compared with."""
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    pattern = re.compile(rf"""["'`]({alternatives})["'`]\s*:|[=!]==?\s*["'`]({alternatives})["'`]""")
    return [f"{m.group(1) or m.group(2)} at {m.start()}" for m in pattern.finditer(source)]


def copied_facts(text: str, python: bool = True) -> list[str]:
    """Rule descriptions written out again, and rule masks used as values in code (a docstring may
    quote a mask as an example)."""
    copied = [r.description for r in ALL_RULES if r.description in text]
    masks = {r.mask for r in ALL_RULES if r.mask}
    if python:
        tree = ast.parse(text)
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        values = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                  and id(n) not in docstrings]
        return copied + sorted(m for m in masks if any(m in v for v in values))
    return copied + sorted(m for m in masks if m in text)


def test_no_code_writes_a_rule_fact():
    problems = []
    for path in code_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        python = path.suffix == ".py"
        found = python_rule_id_tables(text) if python else script_rule_id_tables(text)
        problems += [f"{path.relative_to(ROOT)}: {hit}" for hit in found + copied_facts(text, python)]
    assert not problems, "rule facts written outside the rules:\n" + "\n".join(problems)


def test_no_doc_copies_a_rule_description():
    problems = []
    for doc in sorted((ROOT / "docs").rglob("*.md")):
        text = doc.read_text(encoding="utf-8")
        if doc.name == "DESIGN.md":
            text = text.replace(design_table(), "")  # the derived table, checked above
        problems += [f"{doc.relative_to(ROOT)}: {d!r}" for d in
                     (r.description for r in ALL_RULES) if d in text]
    assert not problems, "rule descriptions copied into the docs:\n" + "\n".join(problems)


def test_the_scan_finds_what_the_old_code_wrote():
    """The scanner itself can fail: the shapes issue 15 found (catalogue, masks, an id test) are caught."""
    old_catalogue = 'RULES = (RuleEntry("tone", "advice", "2.7", "x"),)\nIMAGE = frozenset({"tone", "derogatory"})'
    old_masks = 'DEFAULT_MASKS = {"derogatory": "[offensive word]"}'
    old_engine = 'if finding.rule == "image-location" and stripped:\n    pass'
    assert len(python_rule_id_tables(old_catalogue)) == 2
    assert python_rule_id_tables(old_masks) and python_rule_id_tables(old_engine)
    assert script_rule_id_tables('const TITLES = {"tone": "Tone"};') and script_rule_id_tables('if (f.rule === "tone")')
    assert copied_facts(f"what = {ALL_RULES[0].description!r}") and copied_facts('MASK = "[offensive word]"')
    assert not python_rule_id_tables('finding = Finding(rule=rule.id, severity="warn")')
