"""The benign-post guard: real education posts nobody here wrote (tests/data/text/benign/README.md).

No language rule (derogatory, discriminatory, threat) may fire on them, and warn or block from any
rule on at most 1 % of them. The language model never trained or calibrated on these posts.
"""
import json
from pathlib import Path

import pytest

from checks_common import Draft, default_policy
from text_checks.engine import TextChecker

POSTS = Path(__file__).resolve().parents[1] / "data" / "text" / "benign" / "teacher_tweets.jsonl"
LANGUAGE_RULES = {"derogatory", "discriminatory", "threat"}


@pytest.fixture(scope="module")
def results():
    checker = TextChecker(default_policy())
    texts = [json.loads(line)["text"] for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(t, checker.check(Draft(text=t, account_type="school"))) for t in texts]


def test_the_sample_is_the_documented_one(results):
    assert len(results) == 400


def test_no_language_rule_fires(results):
    fired = [(t[:80], [f.rule for f in fs if f.rule in LANGUAGE_RULES]) for t, fs in results
             if any(f.rule in LANGUAGE_RULES for f in fs)]
    assert fired == []


def test_warn_or_block_on_at_most_one_percent(results):
    flagged = [(t[:80], [(f.rule, f.severity) for f in fs]) for t, fs in results
               if any(f.severity in {"warn", "block"} for f in fs)]
    assert len(flagged) <= len(results) // 100, flagged
