"""Rate limits on /api/v1/check: per staff token and per address, 429 in the error shape."""
from __future__ import annotations

import pytest

from tests.support.helpers import draft, make_test_app


@pytest.fixture
def backend() -> str:
    return "sqlite"


def check(client, token, address="127.0.0.1", text="Sports day"):
    return client.post("/api/v1/check", json=draft(text), headers={"Authorization": f"Bearer {token}"},
                       environ_base={"REMOTE_ADDR": address})


def assert_rate_limited(res):
    assert res.status_code == 429
    assert res.json == {"error": {"code": "rate_limited", "message": res.json["error"]["message"], "fields": {}}}
    assert 0 < int(res.headers["Retry-After"]) <= 60


def test_defaults_are_generous_for_a_person_typing():
    from server.config import DEFAULTS
    assert DEFAULTS["RATE_LIMIT"] == "60/minute;600/hour"
    # A person typing with a 500 ms debounce who pauses every few words: well under 60 a minute.


def test_limit_per_token(app, client, make_staff):
    app.config["RATE_LIMIT"] = "3/minute"
    _, first = make_staff("first")
    _, second = make_staff("second")
    for _ in range(3):
        res = check(client, first)
        assert res.status_code == 200
        assert res.headers["X-RateLimit-Limit"] == "3"
    assert_rate_limited(check(client, first))
    assert_rate_limited(check(client, first, address="198.51.100.4"))  # a new address does not reset it
    assert check(client, second).status_code == 200


def test_limit_per_address(app, client, make_staff):
    app.config["RATE_LIMIT_ADDRESS"] = "4/minute"
    tokens = [make_staff(f"t{i}")[1] for i in range(5)]
    for token in tokens[:4]:
        assert check(client, token).status_code == 200
    assert_rate_limited(check(client, tokens[4]))
    assert check(client, tokens[4], address="198.51.100.5").status_code == 200


def test_guessing_tokens_is_limited_by_address(app, client, token):
    app.config["RATE_LIMIT_ADDRESS"] = "3/minute"
    for i in range(3):
        assert check(client, f"sl_guess{i}").status_code == 401
    assert_rate_limited(check(client, token))


def test_outcomes_and_health_are_not_counted(app, client, token):
    app.config["RATE_LIMIT"] = "1/minute"
    res = check(client, token, text="Proud of our Year 9s at King James's today!")
    assert res.status_code == 200 and res.json["findings"]
    assert_rate_limited(check(client, token))
    res = client.post(f"/api/v1/checks/{res.json['check_id']}/outcome", json={"action": "edited"},
                      headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200
    assert client.get("/api/v1/health").status_code == 200


def test_checks_keep_working_when_the_limit_store_is_down(tmp_path):
    """Redis unreachable: the check still answers (limits fall back to memory), never a 500."""
    app, cleanup = make_test_app(tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",
                                 RATE_LIMIT_ADDRESS="2/minute")
    try:
        from server.staff import create_staff
        with app.app_context():
            _, token, _ = create_staff("teacher", "staff")
        client = app.test_client()
        assert check(client, token).status_code == 200
        assert check(client, token).status_code == 200
        assert_rate_limited(check(client, token))
    finally:
        cleanup()
