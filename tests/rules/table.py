"""Helpers for the per-rule table tests: run one rule (or all) over a text, get spans as substrings."""
from __future__ import annotations

from functools import lru_cache

from checks_common import Draft
from text_checks.engine import TextChecker
from tests.support.evaluation import CORPUS_NO_PUBLISH, corpus_policy
from text_checks.names import NoPublishNames
from text_checks.registry import TEXT_RULES

NAMES = NoPublishNames(CORPUS_NO_PUBLISH)


@lru_cache(maxsize=None)
def checker(rule_id: str | None = None) -> TextChecker:
    classes = tuple(c for c in TEXT_RULES if rule_id is None or c.id == rule_id)
    return TextChecker(corpus_policy(), classes)


def fired(rule_id: str, text: str, account: str = "personal", audience: str = "public",
          handle: str | None = None) -> list[str]:
    """The words each finding of `rule_id` covers (None for a finding without a span)."""
    draft = Draft(text=text, account_type=account, audience=audience, account_handle=handle)
    return [text[f.span[0]:f.span[1]] if f.span else None
            for f in checker(rule_id).check(draft, NAMES) if f.rule == rule_id]


def findings(rule_id: str, text: str, account: str = "personal", audience: str = "public"):
    draft = Draft(text=text, account_type=account, audience=audience)
    return [f for f in checker(rule_id).check(draft, NAMES) if f.rule == rule_id]
