"""Harmless school posts written to trip keyword checks (tests/data/text/hard_negatives.jsonl: 240
posts a helper wrote on 7 December 2026 from a list of kinds only, never seeing the rules: sincere
praise that sounds sarcastic, sport banter that sounds violent, respectful mentions of protected
groups, medical words about no pupil, venues' postcodes…). The rules were adjusted against them, so
they guard against regressions rather than measure: nothing may block, no language rule may fire,
and warn from any rule on at most 2 % of them.
"""
import json
from pathlib import Path

import pytest

from checks_common import Draft
from tests.support.evaluation import CORPUS_NO_PUBLISH, corpus_policy
from text_checks.engine import TextChecker
from text_checks.names import NoPublishNames

POSTS = Path(__file__).resolve().parents[1] / "data" / "text" / "hard_negatives.jsonl"
LANGUAGE_RULES = {"derogatory", "discriminatory", "threat"}


@pytest.fixture(scope="module")
def results():
    checker = TextChecker(corpus_policy())
    names = NoPublishNames(CORPUS_NO_PUBLISH)
    rows = [json.loads(line) for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], checker.check(Draft(text=r["text"], account_type=r["account_type"], audience=r["audience"]), names))
            for r in rows]


def test_the_set_is_the_documented_one(results):
    assert len(results) == 240


def test_nothing_blocks(results):
    assert [(t[:80], [f.rule for f in fs]) for t, fs in results if any(f.severity == "block" for f in fs)] == []


def test_no_language_rule_fires(results):
    assert [(t[:80], [f.rule for f in fs]) for t, fs in results if any(f.rule in LANGUAGE_RULES for f in fs)] == []


def test_warn_on_at_most_two_percent(results):
    warned = [(t[:80], [(f.rule, f.severity) for f in fs]) for t, fs in results if any(f.severity == "warn" for f in fs)]
    assert len(warned) <= len(results) * 2 // 100, warned
