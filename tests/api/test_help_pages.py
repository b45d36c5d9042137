"""Help pages: one per rule, from the rule's own metadata and docstring; linked from every finding."""
from __future__ import annotations

import pytest
from markupsafe import escape

from server.rule_catalogue import ALL_RULES


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_has_a_help_page_from_its_own_words(client, rule):
    res = client.get(f"/help/rules/{rule.id}")
    html = res.get_data(as_text=True)
    assert res.status_code == 200
    assert f"<h1>{escape(rule.title)}</h1>" in html
    for heading in ("What it looks for", "Why the policy asks for this", "For example", "What is fine"):
        assert heading in html, heading
    assert "What the school's policy says" in html


def test_unknown_rule_is_404_and_the_index_lists_every_rule(client):
    assert client.get("/help/rules/no-such-rule", headers={"Accept": "text/html"}).status_code == 404
    index = client.get("/help/rules/").get_data(as_text=True)
    assert index.count('href="/help/rules/') == len(ALL_RULES)


def test_findings_link_to_their_help_page(client, token):
    res = client.post("/api/v1/check", headers={"Authorization": f"Bearer {token}"}, json={
        "text": "The ref was a useless idiot", "platform": "x", "account_type": "personal", "audience": "public"})
    finding = [f for f in res.get_json()["findings"] if f["rule"] == "derogatory"][0]
    assert finding["help_url"] == "http://localhost/help/rules/derogatory" and finding["title"]
    assert client.get(finding["help_url"]).status_code == 200


@pytest.mark.parametrize("rule_id, clause, expected", [
    ("no-publish-face", "2.8", "must not be on any school list"),
    ("pupil-image-personal-account", "2.8", "Under no circumstances should staff share or upload student pictures"),
    ("personal-account-pupil-contact", "2.9", "not permitted to follow or engage with"),
    ("missing-disclaimer", "1, 2.9", "appropriate disclaimer"),
    ("personal-gain", "2.4", "must not be used for personal gain"),
])
def test_the_clause_excerpt_is_the_sentence_that_says_why(rule_id, clause, expected):
    from checks_common import default_policy
    from server.help import relevant_sentence
    text = default_policy().clause(clause).text
    assert expected in relevant_sentence(rule_id, text)


def test_ring_me_from_a_personal_account_says_why_it_is_a_block(client, token):
    res = client.post("/api/v1/check", headers={"Authorization": f"Bearer {token}"}, json={
        "text": "Year 9 parents: any questions, ring me tonight", "platform": "facebook",
        "account_type": "personal", "audience": "public"})
    (finding,) = [f for f in res.get_json()["findings"] if f["severity"] == "block"]
    assert "ring, message or follow you" in finding["message"] and "one to one" in finding["message"]
    assert "engage with" in finding["clause"]["excerpt"]
