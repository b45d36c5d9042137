"""GET /api/v1/checks/mine: staff see their own near-misses (redacted), nobody else's."""
from __future__ import annotations

import pytest

from tests.support.helpers import draft
from tests.support.nearmiss_seed import add_check

MENTION = "Proud of our Year 9s at King James's today!"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_lists_only_the_callers_near_misses_newest_first(app, client, make_staff):
    alice, alice_token = make_staff("alice")
    bob, bob_token = make_staff("bob")
    first = client.post("/api/v1/check", json=draft(MENTION), headers=bearer(alice_token)).json["check_id"]
    client.post("/api/v1/check", json=draft("A clean post"), headers=bearer(alice_token))
    second = add_check(app, alice.id, rules=("personal-contact",), excerpt="call [phone] now",
                       override_reason="ok", outcome="posted", flagged=True, review_note="secret reviewer note",
                       reviewed_by="rev", reviewed_at=None)
    add_check(app, bob.id)
    res = client.get("/api/v1/checks/mine", headers=bearer(alice_token))
    assert res.status_code == 200
    body = res.json
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 20 and body["retention_days"] == 365
    assert [i["check_id"] for i in body["items"]] == [second, first]
    newest, oldest = body["items"]
    assert newest["excerpt"] == "call [phone] now" and newest["flagged"] is True and newest["reviewed"] is False
    assert newest["rules"] == ["personal-contact"] and newest["outcome"] == "posted"
    assert newest["rule_titles"] == ["Personal contact details"]  # for people: the popup shows these
    assert "review_note" not in newest and "secret reviewer note" not in res.get_data(as_text=True)
    assert newest["reports"] == []  # no "this is wrong" report on it (tests/api/test_report.py)
    assert oldest["rules"] == ["missing-disclaimer"] and oldest["excerpt"] == "Proud of our […] at […] today!"
    assert oldest["findings"][0]["rule"] == "missing-disclaimer" and oldest["findings"][0]["clause"] == "1, 2.9"
    assert oldest["created_at"].endswith("+00:00")
    assert client.get("/api/v1/checks/mine", headers=bearer(bob_token)).json["total"] == 1


def test_pagination(app, client, make_staff):
    alice, token = make_staff("alice")
    ids = [add_check(app, alice.id, days_ago=i) for i in range(5)]
    page2 = client.get("/api/v1/checks/mine?page=2&per_page=2", headers=bearer(token)).json
    assert [i["check_id"] for i in page2["items"]] == ids[2:4] and page2["total"] == 5
    assert client.get("/api/v1/checks/mine?page=9", headers=bearer(token)).json["items"] == []


@pytest.mark.parametrize("query, field", [("page=0", "page"), ("per_page=101", "per_page"),
                                          ("page=abc", "page"), ("sort=asc", "sort")])
def test_bad_query_is_422(client, auth, query, field):
    res = client.get(f"/api/v1/checks/mine?{query}", headers=auth)
    assert res.status_code == 422 and res.json["error"]["code"] == "invalid_request"
    assert field in res.json["error"]["fields"]


def test_needs_a_token(client):
    res = client.get("/api/v1/checks/mine")
    assert res.status_code == 401 and res.json["error"]["code"] == "unauthorized"


def test_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    op = doc["paths"]["/api/v1/checks/mine"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"page", "per_page"}
    assert "MyChecksResponse" in doc["components"]["schemas"]
    report = doc["components"]["schemas"]["MyReport"]["properties"]
    assert set(report) == {"kind", "reported_at", "reason", "answer"}
    assert set(doc["components"]["schemas"]["ReportAnswer"]["properties"]) == {
        "decision", "decision_words", "text", "answered_at"}
