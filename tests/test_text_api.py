"""A few text rules end to end through POST /api/v1/check: spans in UTF-16, no names, fixes."""
from __future__ import annotations

from tests.helpers import draft


def test_several_rules_one_answer_most_severe_first(client, auth):
    text = "🎉 Jack in 9B was excluded again at King James's, call me on 07911 123456"
    res = client.post("/api/v1/check", json=draft(text), headers=auth).json
    rules = [f["rule"] for f in res["findings"]]
    assert res["verdict"] == "block"
    assert rules[0] == "sensitive-pupil-info"
    assert {"personal-contact", "missing-disclaimer"} <= set(rules)
    phone = next(f for f in res["findings"] if f["rule"] == "personal-contact")
    start = text.index("07911") + 1  # one astral emoji = one extra UTF-16 unit
    assert phone["span"] == {"start": start, "end": start + len("07911 123456")}
    fix = next(f for f in res["findings"] if f["rule"] == "missing-disclaimer")["fix"]
    assert fix["kind"] == "append" and "Views my own" in fix["text"]


def test_clean_school_post_passes(client, auth):
    text = "Dick Whittington panto tonight! Well done to our U14s in Scunthorpe."
    res = client.post("/api/v1/check", json=draft(text, account_type="school"), headers=auth).json
    assert res["verdict"] == "pass" and res["findings"] == []
