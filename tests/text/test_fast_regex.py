"""fast_regex: a first-character lookahead that changes no match, only how fast a miss fails."""
import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import text_checks
import text_checks.rules
from text_checks.textutil import fast_regex

DATA = Path(__file__).resolve().parents[1] / "data"
_PREFIX = re.compile(r"\(\?=\(\?i:\[(?:\\.|[^\]\\])*\]\)\)\(\?:(.*)\)", re.DOTALL)

CASES = [
    # (pattern, flags, first characters the lookahead admits, or None for the pattern left as it is)
    (r"\b(?:ab|c[de]|(?:x)?y)", 0, "acxy"),
    (r"\bfoo|bar", 0, "bf"),  # a top-level alternation: the lookahead leads both
    (r"(?:mr|mrs)\s+\w+", re.IGNORECASE, "m"),
    (r"a*b", 0, "ab"),
    (r"[🔪🔫]|\bknow", 0, "k🔪🔫"),
    (r"(?<=\s)x", 0, "x"),  # a lookbehind is zero width
    (r"\w+x", 0, None),  # any word character could start it
    (r"a?", 0, None),  # can match nothing
    (r"(?i)abc", 0, None),  # global flags must stay first
    (r"[^a]b", 0, None),
]


def _plain(pattern: re.Pattern) -> re.Pattern:
    m = _PREFIX.fullmatch(pattern.pattern)
    return re.compile(m.group(1), pattern.flags) if m else pattern


@pytest.mark.parametrize("pattern, flags, firsts", CASES)
def test_lookahead_admits_exactly_the_first_characters(pattern, flags, firsts):
    fast = fast_regex(pattern, flags)
    if firsts is None:
        assert fast.pattern == pattern
    else:
        assert fast.pattern.startswith("(?=(?i:[") and _plain(fast).pattern == pattern
        admitted = re.match(r"\(\?=\(\?i:\[(.*?)\]\)\)", fast.pattern).group(1).replace("\\", "")
        assert set(admitted) == set(firsts)


def test_groups_and_scoped_case_are_kept():
    fast = fast_regex(r"(?P<who>we|i)\s+(?i:found)|(?P<what>x)")
    assert fast.groupindex == {"who": 1, "what": 2}
    assert fast.search("I found it") is None and fast.search("we FOUND it").group("who") == "we"
    # "(?i:…)" inside: the lookahead is case-insensitive too, or "Found" would be missed
    assert fast_regex(r"\b(?i:found)\b").search("Found it") is not None


def _texts() -> list[str]:
    out = []
    for path in [DATA / "text_corpus.jsonl", DATA / "text" / "hard_negatives.jsonl",
                 DATA / "text" / "benign" / "teacher_tweets.jsonl", DATA / "text" / "blind_drafts.jsonl"]:
        out += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _module_patterns():
    modules = [f"text_checks.{m.name}" for m in pkgutil.iter_modules(text_checks.__path__) if not m.ispkg]
    modules += [f"text_checks.rules.{m.name}" for m in pkgutil.iter_modules(text_checks.rules.__path__)]
    for name in modules:
        for attr, value in vars(importlib.import_module(name)).items():
            if isinstance(value, re.Pattern) and _PREFIX.fullmatch(value.pattern):
                yield pytest.param(value, id=f"{name.rsplit('.', 1)[-1]}.{attr}")


@pytest.mark.parametrize("pattern", list(_module_patterns()))
def test_every_rule_pattern_matches_as_without_the_lookahead(pattern):
    plain = _plain(pattern)
    for text in _texts():
        for t in (text, text.lower(), text.upper()):
            assert [m.span() for m in pattern.finditer(t)] == [m.span() for m in plain.finditer(t)], t
