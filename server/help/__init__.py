"""Help pages: one per rule, rendered from the rule's own metadata (title, description,
severity, clause) and its docstring (What it does / Why / Example / Passes). Each finding the API
answers links here (`help_url`), so the extension's and phone page's cards can say "Why?".

Public: they explain the school's policy, never anything about a pupil or a check.
"""
from __future__ import annotations

import inspect
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, render_template

from server import services
from server.rule_catalogue import ALL_RULES, RULE_CLASSES

bp = Blueprint("help", __name__, url_prefix="/help")

SECTIONS = ("What it does", "Why", "Example", "Passes")
_HEADING = re.compile(r"^(What it does|Why(?: \([^)]*\))?|Example|Passes)\s*:\s*", re.M)
SECTION_TITLES = {"What it does": "What it looks for", "Why": "Why the policy asks for this",
                  "Example": "For example", "Passes": "What is fine"}


def doc_sections(rule: type) -> list[tuple[str, str]]:
    """The docstring's sections as (heading, paragraph text), in the docstring's order."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    parts = _HEADING.split(doc)
    found = []
    for heading, body in zip(parts[1::2], parts[2::2]):
        key = "Why" if heading.startswith("Why") else heading
        text = " ".join(line.strip() for line in body.strip().splitlines())
        found.append((SECTION_TITLES.get(key, key), _plain(text)))
    return found


_WORD = re.compile(r"[a-z]{4,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_COMMON = frozenset("that this with from their there they your have must should school staff social media "
                    "policy post posts account accounts users where which other".split())


@lru_cache(maxsize=512)
def relevant_sentence(rule_id: str, clause_text: str) -> str:
    """The sentence of a clause that says why this rule fires, so a card can show it first: the one
    sharing most words with what the rule says of itself (its Why, message and title)."""
    rule = RULE_CLASSES.get(rule_id)
    sentences = [s.strip() for s in _SENTENCE_END.split(clause_text or "") if s.strip()]
    if rule is None or len(sentences) < 2:
        return sentences[0] if sentences else ""
    why = " ".join(text for heading, text in doc_sections(rule) if heading == SECTION_TITLES["Why"])
    own = Counter(w for w in _WORD.findall(f"{why} {why} {rule.message} {rule.title}".lower()) if w not in _COMMON)
    return max(sentences, key=lambda s: sum(own[w] for w in set(_WORD.findall(s.lower()))))


def _plain(text: str) -> str:
    """Docstrings name settings and rules in backticks: drop the marks for people."""
    return text.replace("`", "")


@bp.get("/rules/")
def rules_index() -> Any:
    return render_template("help/rules.html", rules=sorted(ALL_RULES, key=lambda r: r.title.lower()))


@bp.get("/rules/<rule_id>")
def rule_help(rule_id: str) -> Any:
    rule = RULE_CLASSES.get(rule_id)
    if rule is None:
        abort(404)
    policy = services.policy()
    return render_template("help/rule.html", rule=rule, clause=policy.clause(rule.clause),
                           severity=policy.severity_for(rule.id, rule.severity), sections=doc_sections(rule))


def init_app(app: Any) -> None:
    app.register_blueprint(bp)
