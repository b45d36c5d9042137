"""Web security: headers on every answer, cookies, HTTPS behind a proxy, no CORS, no inline script.

These hold for every page, including pages added later by other modules: the header tests walk
the app's URL map, and the template test reads every template in the repository.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.security import API_CSP, PAGE_CSP
from tests.support.helpers import draft, login, make_test_app

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "server" / "templates"


@pytest.fixture
def backend() -> str:
    """Headers and cookies do not depend on the database: SQLite only, to keep the suite quick."""
    return "sqlite"


def get_rules(app):
    """Every GET route without URL arguments (plus the admin ones, signed in or not)."""
    return sorted(r.rule for r in app.url_map.iter_rules() if "GET" in r.methods and not r.arguments)


def assert_common_headers(res):
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"] in {"same-origin", "no-referrer"}  # a page may be stricter
    assert res.headers["X-Frame-Options"] == "DENY"
    assert not [h for h in res.headers.keys() if h.lower().startswith("access-control-")]


def test_admin_page_headers(client):
    res = client.get("/admin/login")
    assert res.status_code == 200
    assert_common_headers(res)
    assert res.headers["Content-Security-Policy"] == PAGE_CSP
    assert "frame-ancestors 'none'" in res.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in res.headers["Content-Security-Policy"]
    assert res.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in res.headers  # plain HTTP: HSTS would be ignored anyway


def test_every_get_route_has_the_headers(app, client, make_staff):
    """Walk the URL map: signed in as an admin, every page and API answer carries the headers."""
    make_staff("director", "admin")
    assert login(client, "director", "pw-director").status_code == 302
    rules = get_rules(app)
    assert "/admin/" in rules and "/api/v1/health" in rules
    for rule in rules:
        res = client.get(rule)
        assert res.status_code < 500, rule
        assert_common_headers(res)
        expected = API_CSP if rule.startswith("/api/") else PAGE_CSP
        assert res.headers["Content-Security-Policy"] == expected, rule
        if rule.startswith(("/admin", "/api/")):
            assert res.headers["Cache-Control"] == "no-store", rule
        res.close()  # file answers (the service worker script) hold an open file


def test_error_answers_have_the_headers_too(client):
    for res in (client.get("/nothing-here"), client.get("/api/v1/nothing"),
                client.post("/api/v1/check", json=draft("x"))):
        assert res.status_code in (401, 404)
        assert_common_headers(res)
        assert res.headers["Content-Security-Policy"]


def test_api_answers_are_not_cached_and_cannot_run_anything(client, auth):
    res = client.post("/api/v1/check", json=draft("Sports day"), headers=auth)
    assert res.status_code == 200
    assert res.headers["Cache-Control"] == "no-store"
    assert res.headers["Content-Security-Policy"] == API_CSP


@pytest.mark.parametrize("method", ["OPTIONS", "POST"])
def test_no_cors_for_other_origins(client, auth, method):
    """The extension's service worker has host permissions and the check page is same-origin."""
    headers = {**auth, "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "authorization, content-type"}
    res = client.open("/api/v1/check", method=method, json=draft("x"), headers=headers)
    assert not [h for h in res.headers.keys() if h.lower().startswith("access-control-")]


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/api/v1/health").headers
    res = client.get("/api/v1/health", base_url="https://localhost")
    assert res.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_proto_is_ignored_unless_behind_a_proxy(client):
    """Without BEHIND_PROXY a client cannot claim HTTPS (or another address) with a header."""
    res = client.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in res.headers


def test_behind_proxy_trusts_one_hop(tmp_path, monkeypatch):
    app, cleanup = make_test_app(tmp_path, BEHIND_PROXY=1)
    try:
        from server.staff import create_staff
        with app.app_context():
            create_staff("director", "admin", password="pw-director")
        client = app.test_client()
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
                   "Referer": "https://localhost/admin/login"}
        res = client.get("/api/v1/health", headers=headers)
        assert res.headers["Strict-Transport-Security"].startswith("max-age=")
        res = login(client, "director", "pw-director", headers=headers)
        assert res.status_code == 302
        assert "Secure" in res.headers["Set-Cookie"]
    finally:
        cleanup()


def session_cookie(res) -> str:
    cookies = [c for c in res.headers.getlist("Set-Cookie") if c.startswith("secondlook_session=")]
    assert cookies, res.headers
    return cookies[-1]


def test_session_cookie_flags_over_http(client, make_staff):
    make_staff("director", "admin")
    cookie = session_cookie(login(client, "director", "pw-director"))
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=(Lax|Strict)", cookie)
    assert "Secure" not in cookie  # "auto": a Secure cookie over plain HTTP would never come back


def test_session_cookie_is_secure_over_https(client, make_staff):
    make_staff("director", "admin")
    # A browser sends the same-origin Referer (Referrer-Policy: same-origin); Flask-WTF needs it on HTTPS.
    cookie = session_cookie(login(client, "director", "pw-director", base_url="https://localhost",
                                  headers={"Referer": "https://localhost/admin/login"}))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_session_cookie_secure_can_be_forced(tmp_path):
    app, cleanup = make_test_app(tmp_path, SESSION_COOKIE_SECURE=True)
    try:
        from server.staff import create_staff
        with app.app_context():
            create_staff("director", "admin", password="pw-director")
        cookie = session_cookie(login(app.test_client(), "director", "pw-director"))
        assert "Secure" in cookie
    finally:
        cleanup()


def test_session_cookie_secure_from_environment():
    from server.config import from_environment
    assert from_environment({"SECONDLOOK_SESSION_COOKIE_SECURE": "true"})["SESSION_COOKIE_SECURE"] is True
    assert from_environment({"SECONDLOOK_SESSION_COOKIE_SECURE": "0"})["SESSION_COOKIE_SECURE"] is False
    assert from_environment({"SECONDLOOK_SESSION_COOKIE_SECURE": "auto"})["SESSION_COOKIE_SECURE"] is None
    assert from_environment({"SECONDLOOK_BEHIND_PROXY": "2"})["BEHIND_PROXY"] == 2
    assert from_environment({"SECONDLOOK_BEHIND_PROXY": "true"})["BEHIND_PROXY"] == 1


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def template_files() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_templates_have_no_inline_script_or_style():
    """The CSP forbids inline script and style, so a template with either would break; none has."""
    files = template_files()
    assert any(p.name == "base.html" for p in files)
    offenders = []
    for path in files:
        html = path.read_text(encoding="utf-8")
        for name, pattern in (("inline <script>", INLINE_SCRIPT), ("inline style", INLINE_STYLE),
                              ("on* handler", INLINE_HANDLER), ("javascript: URL", JS_URL)):
            if pattern.search(html):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders


def test_inline_patterns_catch_what_they_should():
    """The template scan above can fail: each pattern matches a real inline construct."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/check.js" defer></script>')
    assert INLINE_STYLE.search('<p style="color:red">') and INLINE_STYLE.search("<style>p{}</style>")
    assert INLINE_HANDLER.search('<button onclick="go()">')
    assert not INLINE_HANDLER.search('<button class="once">')
    assert JS_URL.search('<a href="javascript:alert(1)">')
