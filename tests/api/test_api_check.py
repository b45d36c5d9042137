"""The v1 API through the Flask test client: auth, validation, errors, the check and its outcome."""
from __future__ import annotations

import json

import pytest

from tests.support.helpers import draft

MENTION = "Proud of our Year 9s at King James's today!"


def test_health_needs_no_token(client):
    res = client.get("/api/v1/health")
    assert res.status_code == 200
    assert res.json == {"status": "ok", "version": "1", "database": "ok", "models": "on first use"}


def test_check_finds_missing_disclaimer_and_disclaimer_clears_it(client, auth):
    res = client.post("/api/v1/check", json=draft(MENTION), headers=auth)
    assert res.status_code == 200
    body = res.json
    assert body["verdict"] == "warn"
    [finding] = body["findings"]
    assert finding["rule"] == "missing-disclaimer"
    assert finding["span"] == {"start": MENTION.index("King"), "end": MENTION.index(" today")}
    assert finding["clause"]["ref"] == "1, 2.9"
    assert "disclaimer" in finding["clause"]["text"]
    assert finding["suggestion"]
    clean = client.post("/api/v1/check", json=draft(MENTION + " Views my own."), headers=auth).json
    assert clean["verdict"] == "pass" and clean["findings"] == []


def test_span_counts_utf16_units_after_emoji(client, auth):
    text = "🎉🎉 Well done at King James's!"
    res = client.post("/api/v1/check", json=draft(text), headers=auth).json
    start = text.index("King") + 2  # two astral emoji are four UTF-16 units
    assert res["findings"][0]["span"] == {"start": start, "end": start + len("King James's")}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"},
                                     {"Authorization": "Bearer "}])
def test_check_without_valid_token_is_401(client, headers):
    res = client.post("/api/v1/check", json=draft("hi"), headers=headers)
    assert res.status_code == 401
    assert res.json["error"]["code"] == "unauthorized"


def test_revoked_token_is_401(client, runner, make_staff):
    _, token = make_staff("leaver")
    assert runner.invoke(args=["staff", "revoke", "leaver"]).exit_code == 0
    res = client.post("/api/v1/check", json=draft("hi"), headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 401


@pytest.mark.parametrize("body, field", [
    ({"text": "x", "account_type": "personal"}, "platform"),
    ({"text": "x", "platform": "x"}, "account_type"),
    (draft("x", platform="myspace"), "platform"),
    (draft("x", account_type="robot"), "account_type"),
    (draft("x", audience="everyone"), "audience"),
    (draft(123), "text"),
    (draft("x" * 20_001), "text"),
    (draft("x", surprise=True), "surprise"),
    (draft("x", account_handle="@" + "a" * 200), "account_handle"),
    (draft("x", client="fax"), "client"),
])
def test_invalid_fields_are_422_with_field_messages(client, auth, body, field):
    res = client.post("/api/v1/check", json=body, headers=auth)
    assert res.status_code == 422
    assert res.json["error"]["code"] == "invalid_request"
    assert field in res.json["error"]["fields"]


def test_json_that_is_not_an_object_is_422(client, auth):
    res = client.post("/api/v1/check", json=["a list"], headers=auth)
    assert res.status_code == 422


def test_malformed_json_is_400(client, auth):
    res = client.post("/api/v1/check", data="{nope", content_type="application/json", headers=auth)
    assert res.status_code == 400
    assert res.json["error"]["code"] == "invalid_request"


def test_wrong_content_type_is_415(client, auth):
    res = client.post("/api/v1/check", data="text=hi", content_type="text/plain", headers=auth)
    assert res.status_code == 415
    assert res.json["error"]["code"] == "unsupported_media_type"


def test_oversize_json_body_is_413_before_parsing(client, auth):
    body = json.dumps(draft("x" * (1024 * 1024 + 10)))
    res = client.post("/api/v1/check", data=body, content_type="application/json", headers=auth)
    assert res.status_code == 413
    assert res.json["error"]["code"] == "payload_too_large"


def test_unknown_route_and_method_are_json(client):
    res = client.get("/api/v1/nothing-here")
    assert res.status_code == 404 and res.json["error"]["code"] == "not_found"
    res = client.get("/api/v1/check")
    assert res.status_code == 405 and res.json["error"]["code"] == "method_not_allowed"


def test_unexpected_exception_is_internal_without_traceback(app, client, auth, monkeypatch):
    import server.check_service as checking

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(checking, "verdict_of", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    res = client.post("/api/v1/check", json=draft("hello"), headers=auth)
    assert res.status_code == 500
    assert res.json["error"]["code"] == "internal"
    assert "secret internals" not in res.get_data(as_text=True)
    assert "Traceback" not in res.get_data(as_text=True)


def test_clean_check_is_counted_not_stored(app, client, auth):
    from sqlalchemy import func, select

    from server.models import Check, CleanCheckCount

    client.post("/api/v1/check", json=draft("Lovely sunny day"), headers=auth)
    with app.app_context():
        from server.db import get_db
        db = get_db()
        assert db.execute(select(func.count(Check.id))).scalar_one() == 0
        assert db.execute(select(func.sum(CleanCheckCount.count))).scalar_one() == 1


def test_near_miss_is_stored_without_the_draft(app, client, auth):
    from sqlalchemy import select

    from server.models import Check

    res = client.post("/api/v1/check", json=draft("Sports day news " * 20 + MENTION), headers=auth).json
    with app.app_context():
        from server.db import get_db
        row = get_db().execute(select(Check)).scalar_one()
    assert row.id == res["check_id"]
    assert row.verdict == "warn" and "missing-disclaimer" in row.rules
    assert len(row.excerpt) < 120 and row.excerpt.endswith("of our […] at […] today!")


class TestOutcome:
    def _near_miss(self, client, auth):
        return client.post("/api/v1/check", json=draft(MENTION), headers=auth).json["check_id"]

    def test_edited(self, client, auth):
        check_id = self._near_miss(client, auth)
        res = client.post(f"/api/v1/checks/{check_id}/outcome", json={"action": "edited"}, headers=auth)
        assert res.status_code == 200
        assert res.json == {"check_id": check_id, "outcome": "edited", "flagged": False}

    def test_posting_over_warn_needs_reason(self, client, auth):
        check_id = self._near_miss(client, auth)
        res = client.post(f"/api/v1/checks/{check_id}/outcome", json={"action": "posted"}, headers=auth)
        assert res.status_code == 422
        assert "override_reason" in res.json["error"]["fields"]
        res = client.post(f"/api/v1/checks/{check_id}/outcome",
                          json={"action": "posted", "override_reason": "Disclaimer is in my bio"}, headers=auth)
        assert res.status_code == 200 and res.json["flagged"] is True

    def test_unknown_action_and_fields(self, client, auth):
        check_id = self._near_miss(client, auth)
        url = f"/api/v1/checks/{check_id}/outcome"
        assert client.post(url, json={"action": "shrugged"}, headers=auth).status_code == 422
        assert client.post(url, json={"action": "edited", "x": 1}, headers=auth).status_code == 422

    def test_unknown_check_and_other_staff(self, client, auth, make_staff):
        check_id = self._near_miss(client, auth)
        res = client.post("/api/v1/checks/deadbeef/outcome", json={"action": "edited"}, headers=auth)
        assert res.status_code == 404 and res.json["error"]["code"] == "not_found"
        _, other = make_staff("someone-else")
        res = client.post(f"/api/v1/checks/{check_id}/outcome", json={"action": "edited"},
                          headers={"Authorization": f"Bearer {other}"})
        assert res.status_code == 404


def test_openapi_lists_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = {path for path in doc["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = rule.rule.replace("<check_id>", "{check_id}")
            assert path in documented, path
    assert "Draft" in doc["components"]["schemas"]
