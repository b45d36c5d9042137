"""The text engine: merging overlapping findings, policy switches, shared helpers."""
from __future__ import annotations

import pytest

import dataclasses

from checks_common import Clause, Draft, Finding, default_policy
from text_checks import TextChecker, check_text
from text_checks.engine import merge_overlaps
from text_checks.lexicon import word_lists
from text_checks.names import NoPublishNames
from text_checks.textutil import fold, sentences

CLAUSE = Clause("2.4", "Behaviour", "…")


def f(rule, severity, span):
    return Finding(rule=rule, severity=severity, message="m", suggestion="s", clause=CLAUSE, span=span)


def test_same_rule_overlaps_become_one_span():
    merged = merge_overlaps([f("tone", "advice", (0, 10)), f("tone", "advice", (5, 20)), f("tone", "advice", (30, 35))])
    assert [m.span for m in merged] == [(0, 20), (30, 35)]


def test_less_severe_inside_more_severe_is_dropped_and_remembered():
    merged = merge_overlaps([f("derogatory", "warn", (3, 8)), f("discriminatory", "block", (0, 10))])
    assert [m.rule for m in merged] == ["discriminatory"]
    assert merged[0].explanation["merged"] == ["derogatory"]


def test_a_finding_about_the_whole_post_is_not_folded_into_a_severer_one():
    def findings():
        return [f("missing-disclaimer", "warn", (20, 23)), f("sensitive-pupil-info", "block", (0, 40))]

    assert [m.rule for m in merge_overlaps(findings())] == ["sensitive-pupil-info"]
    kept = merge_overlaps(findings(), standalone=frozenset({"missing-disclaimer"}))
    assert [m.rule for m in kept] == ["sensitive-pupil-info", "missing-disclaimer"]
    assert "merged" not in kept[0].explanation


def test_the_rules_that_stand_alone_are_the_disclaimer_and_the_tone():
    from text_checks.registry import TEXT_RULES

    assert {r.id for r in TEXT_RULES if r.stands_alone} == {"missing-disclaimer", "tone"}
    sarcasm_in_an_insult = [f("derogatory", "warn", (0, 60)), f("tone", "advice", (10, 30))]
    assert [m.rule for m in merge_overlaps(sarcasm_in_an_insult, standalone=frozenset({"tone"}))] == [
        "derogatory", "tone"]


def test_the_checker_keeps_a_missing_disclaimer_beside_a_block_on_the_same_words():
    draft = Draft(text="Proud of Ella Brown (Y9, cystic fibrosis) who ran the 5k at King James's School today!",
                  account_type="personal")
    rules = [x.rule for x in TextChecker(default_policy()).check(draft)]
    assert "missing-disclaimer" in rules and "sensitive-pupil-info" in rules


def test_partial_overlap_keeps_both_most_severe_first():
    merged = merge_overlaps([f("tone", "advice", (0, 10)), f("personal-contact", "warn", (8, 20)),
                             f("no-publish-name", "block", (30, 40))])
    assert [m.rule for m in merged] == ["no-publish-name", "personal-contact", "tone"]


def test_equal_severity_inside_is_kept_and_unspanned_findings_survive():
    merged = merge_overlaps([f("defamation-risk", "warn", (0, 20)), f("derogatory", "warn", (5, 9)),
                             f("individual-pupil-contact", "warn", None)])
    assert {m.rule for m in merged} == {"defamation-risk", "derogatory", "individual-pupil-contact"}


def test_policy_switches_rules_off_and_overrides_severity():
    policy = default_policy()
    switched = dataclasses.replace(policy, rule_switches={"tone": {"enabled": False},
                                                          "controversial-topic": {"severity": "warn"}})
    checker = TextChecker(switched)
    assert "tone" not in {r.id for r in checker.rules}
    [finding] = checker.check(Draft(text="Proud to stand on the picket line", account_type="school"))
    assert finding.rule == "controversial-topic" and finding.severity == "warn"


def test_check_text_caches_per_policy_and_accepts_names():
    policy = default_policy()
    names = NoPublishNames([(1, "Samantha Jones")])
    [finding] = check_text(Draft(text="Go Sam Jones!", account_type="school"), policy, names)
    assert finding.rule == "no-publish-name" and finding.span == (3, 12)


def test_fold_keeps_length_and_unifies_apostrophes():
    text = "İstanbul O’Brien"
    assert len(fold(text)) == len(text) and "o'brien" in fold(text)


def test_sentences_split_on_stops_and_lines():
    text = "One. Two!\nThree"
    assert [text[s:e] for s, e in sentences(text)] == ["One.", "Two!", "Three"]


@pytest.mark.parametrize("text, expected", [
    ("Welcome back M.T. from Year 8. Great to see her.", ["Welcome back M.T. from Year 8.", "Great to see her."]),
    ("Mr. Smith and Dr. Patel ran it. Thanks!", ["Mr. Smith and Dr. Patel ran it.", "Thanks!"]),
    ("Year 7.Then lunch", ["Year 7.", "Then lunch"]),
])
def test_sentences_do_not_end_at_an_initial_or_a_title(text, expected):
    assert [text[s:e] for s, e in sentences(text)] == expected


def test_lexicon_word_lists_tell_which_list_fired():
    hits = word_lists().scan(fold("you 1d10t, what a r3t4rd"))
    assert [(h.lexicon, h.disguised) for h in hits] == [("offensive", True), ("slurs", True)]


def test_policy_language_table_extends_the_word_lists():
    from checks_common.policy import default_policy_text, parse_policy

    text = default_policy_text().replace('offensive_words = []', 'offensive_words = ["bampot", "pig ignorant"]') \
        .replace('safe_phrases = []', 'safe_phrases = ["Mrs Coon"]')
    policy = parse_policy(text)
    checker = TextChecker(policy)
    rules = lambda t: [(f.rule, t[f.span[0]:f.span[1]]) for f in checker.check(Draft(text=t, account_type="school"))]  # noqa: E731
    assert rules("What a bampot") == [("derogatory", "bampot")]
    assert rules("They are pig ignorant") == [("derogatory", "pig ignorant")]
    assert rules("Thank you Mrs Coon for the flowers") == []
    assert rules("what a coon") == [("discriminatory", "coon")]
    default = TextChecker(default_policy())
    assert default.check(Draft(text="What a bampot", account_type="school")) == []
