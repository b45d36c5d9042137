"""CSRF on every state-changing admin form, sign-in throttling per address, constant-time secrets."""
from __future__ import annotations

import hmac
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from server.models import AuditEvent
from tests.support.helpers import csrf_from, draft, login


@pytest.fixture
def backend() -> str:
    return "sqlite"


def _dummy(rule, name):
    converter = type(rule._converters[name]).__name__
    if converter == "IntegerConverter":
        return "1"
    if converter == "UUIDConverter":
        return "00000000-0000-0000-0000-000000000001"
    return "x"


def admin_post_urls(app) -> list[str]:
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.rule.startswith("/admin"):
            urls.append(adapter.build(rule.endpoint, {a: _dummy(rule, a) for a in rule.arguments},
                                      method="POST"))
    return sorted(set(urls))


def audit_count(app) -> int:
    from server.db import session_factory
    with app.app_context(), session_factory()() as db:
        return db.execute(select(func.count(AuditEvent.id))).scalar_one()


def test_every_admin_post_route_needs_a_csrf_token(app, client, make_staff):
    """Signed in as an admin, a POST without the token is refused before the view runs."""
    make_staff("director", "admin")
    assert login(client, "director", "pw-director").status_code == 302
    urls = admin_post_urls(app)
    assert "/admin/login" in urls and "/admin/logout" in urls
    before = audit_count(app)
    for url in urls:
        res = client.post(url, data={"name": "x", "password": "x"}, headers={"Accept": "application/json"})
        assert res.status_code == 400, url
        assert res.json["error"]["code"] == "invalid_request", url
        assert "reload the page" in res.json["error"]["message"]
        res = client.post(url, data={"csrf_token": "forged"}, headers={"Accept": "text/html"})
        assert res.status_code == 400 and res.mimetype == "text/html", url
        assert "reload the page" in res.get_data(as_text=True)
    assert audit_count(app) == before  # nothing happened: no view ran
    assert client.get("/admin/").status_code == 200  # and the session is still signed in


def test_a_token_from_another_session_is_refused(app, make_staff):
    make_staff("director", "admin")
    other = app.test_client()
    stolen = csrf_from(other.get("/admin/login").get_data(as_text=True))
    victim = app.test_client()
    assert login(victim, "director", "pw-director").status_code == 302
    res = victim.post("/admin/logout", data={"csrf_token": stolen})
    assert res.status_code == 400
    assert victim.get("/admin/").status_code == 200


def test_sign_in_is_throttled_per_address(app, client, make_staff):
    make_staff("director", "admin")
    app.config["LOGIN_RATE_LIMIT"] = "3/minute"
    for _ in range(3):
        assert login(client, "nobody", "guess").status_code == 401
    res = login(client, "director", "pw-director", headers={"Accept": "application/json"})
    assert res.status_code == 429
    assert res.json["error"]["code"] == "rate_limited"
    assert 0 < int(res.headers["Retry-After"]) <= 60
    html = login(client, "director", "pw-director", headers={"Accept": "text/html"})
    assert html.status_code == 429 and html.mimetype == "text/html"
    # Another address is not affected, and reading the sign-in page is never throttled.
    other = app.test_client()
    assert login(other, "director", "pw-director", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 302
    assert client.get("/admin/login").status_code == 200


def test_per_account_lockout_still_applies_under_the_address_limit(app, make_staff):
    """Spreading guesses over addresses does not help: the account name waits after its failures
    (a short back-off, never a lock: tests/test_admin_login.py)."""
    make_staff("director", "admin")
    for i in range(5):
        c = app.test_client()
        login(c, "director", "wrong", environ_base={"REMOTE_ADDR": f"198.51.100.{i + 1}"})
    res = login(app.test_client(), "director", "pw-director", environ_base={"REMOTE_ADDR": "198.51.100.99"})
    assert res.status_code == 401 and "did not work" in res.get_data(as_text=True)


def test_token_is_compared_in_constant_time(client, token, monkeypatch):
    import server.auth as auth_module
    calls = []

    def spy(a, b):
        calls.append((a, b))
        return hmac.compare_digest(a, b)

    monkeypatch.setattr(auth_module, "hmac", SimpleNamespace(compare_digest=spy))
    res = client.post("/api/v1/check", json=draft("x"), headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200
    assert calls == [(auth_module.hash_token(token), auth_module.hash_token(token))]


def test_wrong_tokens_are_refused_the_same_way(client, token):
    """A near-miss token (one character changed) and garbage get the same answer."""
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    answers = []
    for candidate in (near, "sl_" + "x" * 43, "", "Bearer", token.upper()):
        res = client.post("/api/v1/check", json=draft("x"), headers={"Authorization": f"Bearer {candidate}"})
        assert res.status_code == 401
        answers.append(res.json["error"]["code"])
    assert set(answers) == {"unauthorized"}


def test_unknown_user_costs_a_password_hash_too(app, monkeypatch):
    """Sign-in with an unknown name still verifies an argon2 hash, so timing does not tell."""
    import server.auth as auth_module
    verified = []
    real = auth_module._hasher

    class Spy:
        def verify(self, password_hash, password):
            verified.append(password_hash)
            return real.verify(password_hash, password)

    monkeypatch.setattr(auth_module, "_hasher", Spy())
    assert login(app.test_client(), "no-such-person", "guess").status_code == 401
    assert verified == [auth_module._DUMMY_HASH]
