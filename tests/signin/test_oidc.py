"""Sign-in with the school's accounts against a real OpenID provider (tests/support/oidc/provider.mjs),
through the Flask test client: the happy paths and every refusal the issue names."""
from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.integrations.requests_client import OAuth2Session
from sqlalchemy import func, select

from server import services
from server.models import AuditEvent, Staff
from server.signin import provider as oidc
from server.models import Device, SignInCode
from server.signin.provider import SignInRefused
from tests.support.helpers import csrf_from, make_test_app
from tests.support.oidc import OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, ProviderBrowser

TEACHER, HEAD, OUTSIDER, UNVERIFIED = ("teacher@school.test", "head@school.test", "outsider@elsewhere.test",
                                       "unverified@school.test")
DRAFT = {"text": "Lovely sunny sports day.", "platform": "x", "account_type": "school", "audience": "public"}


@pytest.fixture
def app(tmp_path: Any, backend: str, oidc_provider: Any) -> Any:
    app, cleanup = make_test_app(tmp_path, backend, **oidc_provider.settings())
    yield app
    cleanup()


@pytest.fixture
def browser(oidc_provider: Any) -> ProviderBrowser:
    return ProviderBrowser(oidc_provider)


def start(client: Any, query: str) -> str:
    res = client.get(f"/signin/start?{query}")
    assert res.status_code == 302, res.get_data(as_text=True)
    return res.headers["Location"]


def callback(client: Any, url: str, **headers: str) -> Any:
    parts = urlsplit(url)
    assert parts.path == "/signin/callback", url
    return client.get(f"{parts.path}?{parts.query}", headers=headers)


def fragment(res: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(res.headers["Location"]).fragment).items()}


def phone_code(client: Any, browser: ProviderBrowser, email: str) -> str:
    res = callback(client, browser.sign_in(start(client, "client=check-page&device=Test+phone"), email))
    assert res.status_code == 302 and res.headers["Location"].startswith("/check#"), res.get_data(as_text=True)
    return fragment(res)["signin"]


def exchange(client: Any, code: str, name: str = "Test phone") -> Any:
    return client.post("/api/v1/signin/exchange", json={"code": code, "device_name": name, "client": "check-page"})


def audit_reasons(app: Any, action: str) -> list[str]:
    from server.db import session_factory
    with app.app_context(), session_factory()() as db:
        events = db.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars().all()
        return [e.details.get("reason") for e in events]


# ---- happy paths ------------------------------------------------------------------------------
def test_admin_signs_in_with_the_school_account_and_the_group_gives_the_role(app, client, browser):
    res = callback(client, browser.sign_in(start(client, "client=admin&next=/admin/staff"), HEAD))
    assert res.status_code == 302 and res.headers["Location"] == "/admin/staff"
    assert client.get("/admin/staff").status_code == 200
    from server.db import session_factory
    with app.app_context(), session_factory()() as db:
        staff = db.execute(select(Staff).where(Staff.name == HEAD)).scalar_one()
        assert staff.role == "admin" and staff.token_hash is None and staff.password_hash is None


def test_a_teacher_signs_in_with_the_school_account_and_sees_only_the_pupils_to_check_by_eye(app, client, browser):
    """The warning card links to /admin/check-by-eye; signed out, that sends the teacher to the login
    page, whose "Sign in with your school account" comes back to it. A staff session opens that page
    (each view audited) and refuses every admin page."""
    login_page = client.get("/admin/check-by-eye")
    assert login_page.status_code == 302 and "/admin/login?next=/admin/check-by-eye" in login_page.headers["Location"]
    res = callback(client, browser.sign_in(start(client, "client=admin&next=/admin/check-by-eye"), TEACHER))
    assert res.status_code == 302 and res.headers["Location"] == "/admin/check-by-eye"
    page = client.get("/admin/check-by-eye", query_string={"year": "none"})
    assert page.status_code == 200 and "Pupils to check by eye" in page.get_data(as_text=True)
    for admin_page in ("/admin/pupils", "/admin/staff", "/admin/reports", "/admin/audit", "/admin/review",
                       "/admin/review/summary", "/admin/adapter-health"):
        refused = client.get(admin_page, headers={"Accept": "application/json"})
        assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden", admin_page
    home = client.get("/admin/").get_data(as_text=True)
    assert "Pupils to check by eye" in home and "No-publish list" not in home and "Near-miss log" not in home
    from server.db import session_factory
    with app.app_context(), session_factory()() as db:
        staff = db.execute(select(Staff).where(Staff.name == TEACHER)).scalar_one()
        assert staff.role == "staff" and staff.password_hash is None and staff.token_hash is None
        viewed = db.execute(select(AuditEvent).where(AuditEvent.action == "check_by_eye.viewed")).scalar_one()
        assert viewed.actor == TEACHER and viewed.details["year_groups"] == ["none"]
    assert client.post("/admin/logout", data={"csrf_token": csrf_from(home)}).status_code == 302
    assert client.get("/admin/check-by-eye").status_code == 302  # signed out again


def test_staff_added_where_school_sign_in_is_set_up_get_no_password(app, client, browser):
    callback(client, browser.sign_in(start(client, "client=admin&next=/admin/staff"), HEAD))
    csrf = csrf_from(client.get("/admin/staff").get_data(as_text=True))
    html = client.post("/admin/staff", data={"name": "Mr Hill", "role": "staff", "csrf_token": csrf})
    assert html.status_code == 200 and 'id="issued-token"' in html.get_data(as_text=True)
    assert 'id="issued-password"' not in html.get_data(as_text=True)  # they sign in with the school account


def test_phone_sign_in_gives_a_single_use_code_then_device_tokens(app, client, browser):
    code = phone_code(client, browser, TEACHER)
    assert code.startswith("slc_")
    info = client.post("/api/v1/signin/inspect", json={"code": code})
    assert info.status_code == 200 and info.json["staff"]["name"] == TEACHER
    res = exchange(client, code)
    assert res.status_code == 200, res.json
    body = res.json
    assert body["access_token"].startswith("sld_") and body["refresh_token"].startswith("slr_")
    assert body["staff"] == {"name": TEACHER, "role": "staff"} and body["device"]["name"] == "Test phone"
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.post("/api/v1/check", json=DRAFT, headers=auth).status_code == 200
    me = client.get("/api/v1/signin/me", headers=auth).json
    assert me["device"]["client"] == "check-page"
    again = exchange(client, code)
    assert again.status_code == 401 and again.json["error"]["code"] == "signin_code_reused"


def test_extension_sign_in_returns_to_the_chromiumapp_address(app, client, browser):
    ext = "abcdefghijklmnopabcdefghijklmnop"
    res = callback(client, browser.sign_in(start(client, f"client=extension&extension_id={ext}&device=Chrome"),
                                           TEACHER))
    assert res.headers["Location"].startswith(f"https://{ext}.chromiumapp.org/#signin=slc_")
    code = fragment(res)["signin"]
    tokens = client.post("/api/v1/signin/exchange", json={"code": code, "client": "extension"}).json
    assert tokens["device"] == {"id": tokens["device"]["id"], "name": "Chrome", "client": "extension"}
    assert client.get("/signin/start?client=extension&extension_id=../evil").status_code == 403


# ---- refusals ---------------------------------------------------------------------------------
def test_bad_state_is_refused_and_a_callback_works_once(app, client, browser):
    url = browser.sign_in(start(client, "client=check-page"), TEACHER)
    forged = url.replace("state=", "state=forged")
    res = callback(client, forged, Accept="application/json")
    assert res.status_code == 400 and res.json["error"]["code"] == "signin_bad_state"
    assert callback(client, url).status_code == 302  # the real one still works once
    res = callback(client, url, Accept="application/json")  # replayed
    assert res.status_code == 400 and res.json["error"]["code"] == "signin_bad_state"
    # A state started in another browser (another session cookie) is refused too.
    other = app.test_client()
    url = browser.sign_in(start(client, "client=check-page"), TEACHER)
    assert callback(other, url, Accept="application/json").json["error"]["code"] == "signin_bad_state"
    assert audit_reasons(app, "signin.refused").count("bad_state") == 3


@pytest.mark.parametrize("email,reason", [(OUTSIDER, "domain_not_allowed"), (UNVERIFIED, "email_unverified")])
def test_accounts_outside_the_school_are_refused(app, client, browser, email, reason):
    res = callback(client, browser.sign_in(start(client, "client=check-page"), email))
    assert "signin_error=" in res.headers["Location"]
    res = callback(client, browser.sign_in(start(client, "client=admin"), email), Accept="application/json")
    assert res.status_code == 403 and res.json["error"]["code"] == f"signin_{reason}"
    from server.db import session_factory
    with app.app_context(), session_factory()() as db:
        assert db.execute(select(func.count(Staff.id))).scalar_one() == 0
    assert reason in audit_reasons(app, "signin.refused")


def _other_app_id_token(oidc_provider: Any, browser: ProviderBrowser) -> str:
    """A real ID token the same provider issued to another application of the school."""
    meta = oidc_provider.issuer
    client = OAuth2Session(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, scope="openid email",
                           redirect_uri="http://127.0.0.1/other/callback", code_challenge_method="S256")
    url, state = client.create_authorization_url(f"{meta}/auth", nonce="n-other", code_verifier="v" * 64)
    back = browser.sign_in(url, TEACHER)
    code = parse_qs(urlsplit(back).query)["code"][0]
    token = client.fetch_token(f"{meta}/token", code=code, code_verifier="v" * 64)
    return token["id_token"]


def _our_id_token(app: Any, browser: ProviderBrowser) -> tuple[str, dict[str, Any]]:
    with app.test_request_context():
        url, flow = oidc.authorization_request("http://localhost/signin/callback")
        back = browser.sign_in(url, TEACHER)
        code = parse_qs(urlsplit(back).query)["code"][0]
        claims, tokens = oidc.exchange_code(code, "http://localhost/signin/callback", flow)
    return tokens["id_token"], {**claims, "nonce": flow["nonce"]}


def test_id_token_for_another_audience_is_refused(app, oidc_provider, browser):
    id_token = _other_app_id_token(oidc_provider, browser)
    with app.test_request_context():
        with pytest.raises(SignInRefused, match="another application"):
            oidc.verify_id_token(id_token, nonce="n-other")


def test_expired_id_token_is_refused(app, browser):
    id_token, claims = _our_id_token(app, browser)
    with app.test_request_context():
        assert oidc.verify_id_token(id_token, claims["nonce"])["email"] == TEACHER  # valid now
        with pytest.raises(SignInRefused, match="expired"):
            oidc.verify_id_token(id_token, claims["nonce"], now=claims["exp"] + oidc.LEEWAY_SECONDS + 1)


def test_replayed_id_token_is_refused(app, browser):
    """An ID token from a finished sign-in, offered to a new one: its nonce belongs to the old one."""
    id_token, _ = _our_id_token(app, browser)
    with app.test_request_context():
        _, fresh = oidc.authorization_request("http://localhost/signin/callback")
        with pytest.raises(SignInRefused, match="does not belong"):
            oidc.verify_id_token(id_token, fresh["nonce"])


def test_tampered_id_token_is_refused(app, browser):
    id_token, claims = _our_id_token(app, browser)
    head, body, signature = id_token.split(".")
    forged = ".".join([head, body, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    with app.test_request_context():
        with pytest.raises(SignInRefused):
            oidc.verify_id_token(forged, claims["nonce"])


def test_unreachable_provider_says_so(tmp_path, backend):
    from tests.support.serverproc import free_port
    port = free_port()
    app, cleanup = make_test_app(tmp_path, backend, OIDC_ISSUER=f"http://127.0.0.1:{port}", OIDC_CLIENT_ID="x",
                                 OIDC_CLIENT_SECRET="y", OIDC_ALLOWED_DOMAINS="school.test", OIDC_TIMEOUT_SECONDS=2)
    try:
        res = app.test_client().get("/signin/start?client=admin", headers={"Accept": "application/json"})
        assert res.status_code == 503 and res.json["error"]["code"] == "signin_unavailable"
        assert f"127.0.0.1:{port}" in res.json["error"]["message"]
    finally:
        cleanup()


def test_settings_that_would_let_anyone_in_stop_the_server(tmp_path):
    with pytest.raises(SystemExit, match="OIDC_ALLOWED_DOMAINS or OIDC_TENANT_ID"):
        make_test_app(tmp_path, "sqlite", OIDC_ISSUER="https://idp.example", OIDC_CLIENT_ID="x",
                      OIDC_CLIENT_SECRET="y")


# ---- devices: refresh, re-validation, revocation ------------------------------------------------
def signed_in_phone(client: Any, browser: ProviderBrowser, email: str = TEACHER) -> dict[str, Any]:
    res = exchange(client, phone_code(client, browser, email))
    assert res.status_code == 200, res.json
    return res.json


def refresh(client: Any, token: str) -> Any:
    return client.post("/api/v1/signin/refresh", json={"refresh_token": token})


def expire_access(app: Any) -> None:
    from server.db import session_factory
    from server.signin.devices import now
    with app.app_context(), session_factory()() as db:
        for device in db.execute(select(Device)).scalars():
            device.access_expires_at = now() - timedelta(seconds=1)
        db.commit()


def test_access_expires_and_refresh_rotates_and_detects_a_stolen_copy(app, client, browser):
    tokens = signed_in_phone(client, browser)
    expire_access(app)
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/check", json=DRAFT, headers=auth).status_code == 401
    new = refresh(client, tokens["refresh_token"])
    assert new.status_code == 200, new.json
    assert new.json["refresh_token"] != tokens["refresh_token"]
    auth = {"Authorization": f"Bearer {new.json['access_token']}"}
    assert client.post("/api/v1/check", json=DRAFT, headers=auth).status_code == 200
    stolen = refresh(client, tokens["refresh_token"])  # the old one, again
    assert stolen.status_code == 401
    assert client.post("/api/v1/check", json=DRAFT, headers=auth).status_code == 401  # device revoked
    assert refresh(client, new.json["refresh_token"]).status_code == 401  # the whole device is gone


def test_signing_out_of_the_provider_ends_access_at_the_next_refresh(app, client, browser):
    tokens = signed_in_phone(client, browser)
    browser.sign_out_everywhere(TEACHER)
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/check", json=DRAFT, headers=auth).status_code == 200  # until it expires
    res = refresh(client, tokens["refresh_token"])
    assert res.status_code == 401 and res.json["error"]["code"] == "signin_provider_refused"
    assert client.post("/api/v1/check", json=DRAFT, headers=auth).status_code == 401  # device revoked at once


def test_an_account_deleted_at_the_provider_ends_access_at_the_next_refresh(app, client, browser, oidc_provider):
    tokens = signed_in_phone(client, browser, "second@school.test")
    oidc_provider.control("remove", "second@school.test")
    try:
        res = refresh(client, tokens["refresh_token"])
        assert res.status_code == 401 and res.json["error"]["code"] == "signin_provider_refused"
    finally:
        oidc_provider.control("restore", "second@school.test")


def test_a_domain_no_longer_allowed_ends_access_at_the_next_refresh(app, client, browser):
    from dataclasses import replace
    tokens = signed_in_phone(client, browser)
    services.register(app, services.OIDC, replace(services.oidc(app), allowed_domains=("other.test",)))
    res = refresh(client, tokens["refresh_token"])
    assert res.status_code == 401 and res.json["error"]["code"] == "signin_domain_not_allowed"


def test_revoking_a_person_revokes_every_device(app, client, browser, make_staff):
    first = signed_in_phone(client, browser)
    second = signed_in_phone(client, browser)
    from server.staff import revoke_staff
    from server.db import session_factory
    with app.app_context(), session_factory()() as db:
        revoke_staff(db, db.execute(select(Staff).where(Staff.name == TEACHER)).scalar_one(), "test")
        db.commit()
        assert db.execute(select(func.count(Device.id)).where(Device.revoked_at.is_(None))).scalar_one() == 0
    for tokens in (first, second):
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert client.post("/api/v1/check", json=DRAFT, headers=auth).status_code == 401
        assert refresh(client, tokens["refresh_token"]).status_code == 401
    # And signing in again with the school account does not bring them back.
    res = callback(client, browser.sign_in(start(client, "client=check-page"), TEACHER))
    assert "signin_error=" in res.headers["Location"] and "revoked" in res.headers["Location"]


def test_signing_out_a_device_revokes_only_that_device(app, client, browser):
    first, second = signed_in_phone(client, browser), signed_in_phone(client, browser)
    auth1 = {"Authorization": f"Bearer {first['access_token']}"}
    assert client.post("/api/v1/signin/signout", headers=auth1).json == {"signed_out": True}
    assert client.post("/api/v1/check", json=DRAFT, headers=auth1).status_code == 401
    auth2 = {"Authorization": f"Bearer {second['access_token']}"}
    assert client.post("/api/v1/check", json=DRAFT, headers=auth2).status_code == 200


def test_handoff_code_expires(app, client, browser):
    code = phone_code(client, browser, TEACHER)
    from server.db import session_factory
    from server.signin.devices import now
    with app.app_context(), session_factory()() as db:
        for row in db.execute(select(SignInCode)).scalars():
            row.expires_at = now() - timedelta(seconds=1)
        db.commit()
    res = exchange(client, code)
    assert res.status_code == 401 and res.json["error"]["code"] == "signin_code_expired"


def test_a_tenant_id_admits_only_that_tenants_tokens(tmp_path, backend, oidc_provider, browser):
    """The test provider's tokens carry no Entra `tid`: with a tenant id set, they are refused."""
    app, cleanup = make_test_app(tmp_path, backend, **oidc_provider.settings(OIDC_TENANT_ID="tenant-1",
                                                                              OIDC_ALLOWED_DOMAINS=""))
    try:
        client = app.test_client()
        res = callback(client, browser.sign_in(start(client, "client=admin"), HEAD), Accept="application/json")
        assert res.status_code == 403 and res.json["error"]["code"] == "signin_wrong_tenant"
    finally:
        cleanup()


def test_it_can_add_someone_by_their_school_address_with_a_role_beforehand(tmp_path, backend, oidc_provider,
                                                                          browser):
    app, cleanup = make_test_app(tmp_path, backend, **oidc_provider.settings(OIDC_GROUP_ROLES=""))
    try:
        from server.staff import create_staff
        with app.app_context():
            create_staff("Second@School.test", "reviewer", password="pw")
        client = app.test_client()
        res = callback(client, browser.sign_in(start(client, "client=admin&next=/admin/review"), "second@school.test"))
        assert res.status_code == 302 and res.headers["Location"] == "/admin/review"
        from server.db import session_factory
        with app.app_context(), session_factory()() as db:
            staff = db.execute(select(Staff)).scalars().all()
        assert [(s.name, s.role) for s in staff] == [("Second@School.test", "reviewer")]  # linked, not duplicated
    finally:
        cleanup()


def test_the_directory_group_sets_the_role_at_each_sign_in(app, client, browser):
    res = callback(client, browser.sign_in(start(client, "client=admin"), "reviewer@school.test"))
    assert res.status_code == 302
    from server.db import session_factory
    with app.app_context(), session_factory()() as db:
        staff = db.execute(select(Staff).where(Staff.name == "reviewer@school.test")).scalar_one()
        assert staff.role == "reviewer"
        staff.role = "admin"  # changed by hand: the directory wins at the next sign-in, audited
        db.commit()
    client2 = app.test_client()
    callback(client2, browser.sign_in(start(client2, "client=check-page"), "reviewer@school.test"))
    with app.app_context(), session_factory()() as db:
        assert db.execute(select(Staff.role).where(Staff.name == "reviewer@school.test")).scalar_one() == "reviewer"
        changes = db.execute(select(AuditEvent.details).where(AuditEvent.action == "staff.role_changed")
                             .order_by(AuditEvent.id)).scalars().all()
        assert [(c["previous"], c["role"]) for c in changes] == [("staff", "reviewer"), ("admin", "reviewer")]


def test_cli_check_reports_the_provider_or_why_not(app, tmp_path, backend):
    result = app.test_cli_runner().invoke(args=["signin", "check"])
    assert result.exit_code == 0, result.output
    assert "Signing keys: 1" in result.output and "e-mail domains school.test" in result.output
    from tests.support.serverproc import free_port
    port = free_port()
    down, cleanup = make_test_app(tmp_path / "down", backend, OIDC_ISSUER=f"http://127.0.0.1:{port}",
                                  OIDC_CLIENT_ID="x", OIDC_CLIENT_SECRET="y", OIDC_ALLOWED_DOMAINS="school.test",
                                  OIDC_TIMEOUT_SECONDS=2)
    try:
        result = down.test_cli_runner().invoke(args=["signin", "check"])
        assert result.exit_code == 1 and f"could not be reached at http://127.0.0.1:{port}" in result.output
    finally:
        cleanup()
