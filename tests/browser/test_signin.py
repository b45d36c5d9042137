"""Signing in with the school account in Chromium, through the session's real OpenID provider
(tests/support/oidc/provider.mjs): the admin pages, the phone check page, and the real unpacked
extension (chrome.identity.launchWebAuthFlow) checking a draft."""
from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import checks_of, configure, expect, extension_id, overlay, storage, type_draft

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fresh_cookies(browser_context: Any, page: Any) -> None:
    """Each test signs in afresh: no provider session or admin session left from another test.
    Sign-in crosses three servers (page, provider, back): allow for a busy shared machine."""
    browser_context.clear_cookies()
    page.set_default_timeout(60_000)


def provider_login(page: Any, email: str) -> None:
    """The provider's log-in form, as a person fills it in."""
    page.wait_for_selector("#email")
    page.fill("#email", email)
    page.click("#sign-in", no_wait_after=True)


def signin_code(live_server: Any, name: str) -> str:
    """A QR sign-in code for `name`, as IT's staff page makes one."""
    from sqlalchemy import select

    from server.db import get_db
    from server.models import Staff
    from server.signin.devices import create_code
    with live_server.app.test_request_context():
        db = get_db()
        staff = db.scalar(select(Staff).where(Staff.name == name))
        code = create_code(db, staff, "qr-code", "test-it", client="check-page")
        db.commit()
    return code


def test_admin_signs_in_with_the_school_account(live_server: Any, page: Any, screenshot: Any) -> None:
    page.goto(live_server.url + "/admin/login")
    page.click("#school-signin")
    provider_login(page, "head@school.test")
    page.wait_for_url(live_server.url + "/admin/")
    expect(page.locator("main")).to_contain_text("head@school.test")
    # A phone signed in with a QR code shows up under its owner, with its last use.
    from tests.support.serverproc import request
    live_server.staff("Mr Devices")
    status, _, _ = request(live_server.url + "/api/v1/signin/exchange", "POST",
                           {"code": signin_code(live_server, "Mr Devices"), "device_name": "Mr Devices's Pixel",
                            "client": "check-page"})
    assert status == 200
    page.goto(live_server.url + "/admin/staff")
    expect(page.locator("table.staff")).to_contain_text("head@school.test")
    row = page.locator("tr", has_text="Mr Devices")
    expect(row.locator(".device-name")).to_have_text("Mr Devices's Pixel")
    expect(row).to_contain_text("last used")
    screenshot(page, "staff-devices")


def test_a_teacher_follows_the_check_by_eye_link_and_signs_in_with_the_school_account(live_server: Any,
                                                                                     page: Any) -> None:
    """The link a "check by eye" warning card opens: signed out, it asks for a sign-in; the school
    account brings the teacher back to it, and the admin pages stay closed to them."""
    page.goto(live_server.url + "/admin/check-by-eye")
    page.wait_for_url(re.compile(r"/admin/login\?next=/admin/check-by-eye$"))
    page.click("#school-signin")
    provider_login(page, "teacher@school.test")
    page.wait_for_url(live_server.url + "/admin/check-by-eye")
    expect(page.locator("h1")).to_have_text("Pupils to check by eye")
    expect(page.locator("header nav a")).to_have_text(["Pupils to check by eye"])  # no admin page offered
    for admin_page in ("/admin/pupils", "/admin/review", "/admin/staff"):
        assert page.goto(live_server.url + admin_page).status == 403, admin_page


def test_phone_page_signs_in_and_asks_before_another_persons_link_replaces_it(live_server: Any, page: Any,
                                                                             screenshot: Any) -> None:
    live_server.staff("Ms Other")
    page.goto(live_server.url + "/check")
    page.click("#school-signin")
    provider_login(page, "teacher@school.test")
    page.wait_for_url(live_server.url + "/check")
    expect(page.locator("#whoami")).to_have_text("Signed in as teacher@school.test")
    assert "signin" not in page.url  # the code left the address bar
    page.fill("#draft-text", "Thoughts on the general election? Vote wisely!")
    page.click("#check-button")
    expect(page.locator("#result")).to_be_visible()
    assert any(c["client"] == "check-page" for c in checks_of(live_server, "teacher@school.test"))

    # Another person's QR link: the page says whose it is and asks; keeping the sign-in leaves it alone.
    code = signin_code(live_server, "Ms Other")
    page.goto("about:blank")
    page.goto(f"{live_server.url}/check#signin={code}")
    expect(page.locator("#replace-signin")).to_be_visible()
    expect(page.locator("#replace-text")).to_contain_text("signed in as teacher@school.test")
    expect(page.locator("#replace-text")).to_contain_text("Ms Other")
    screenshot(page, "check-page-replace-signin")
    page.click("#replace-no")
    expect(page.locator("#whoami")).to_have_text("Signed in as teacher@school.test")

    # An old-style link with a token is refused, never stored.
    page.goto("about:blank")
    page.goto(f"{live_server.url}/check#token={live_server.staff('Mr Legacy')}")
    expect(page.locator("#error")).to_contain_text("no longer accepts")
    expect(page.locator("#whoami")).to_have_text("Signed in as teacher@school.test")

    # Choosing to replace it signs in as the other person; the code is then used up.
    page.goto("about:blank")
    page.goto(f"{live_server.url}/check#signin={code}")
    page.click("#replace-yes")
    expect(page.locator("#whoami")).to_have_text("Signed in as Ms Other")
    page.goto("about:blank")
    page.goto(f"{live_server.url}/check#signin={code}")
    expect(page.locator("#error")).to_contain_text("already been used")


def test_extension_signs_in_with_launch_web_auth_flow_and_checks_a_draft(browser_context: Any, live_server: Any,
                                                                         oidc_provider: Any, page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url)
    sites.install(browser_context)
    # The sign-in window belongs to Chrome (launchWebAuthFlow), not to a page the test can drive:
    # the provider signs the next person in without its form.
    oidc_provider.control("auto-login", "second@school.test")
    try:
        page.goto(f"chrome-extension://{extension_id(browser_context)}/options/options.html")
        page.click("#signin")
        expect(page.locator("#signin-state")).to_have_text("Signed in as second@school.test on this browser.",
                                                           timeout=30_000)
    finally:
        oidc_provider.control("auto-login", None)
    saved = storage(browser_context)["signin"]
    assert saved["access"].startswith("sld_") and not storage(browser_context).get("token")

    page.goto(sites.site_url("facebook"))
    type_draft(page, "facebook", "Thoughts on the general election? Vote wisely!")
    expect(overlay(page, ".panel .verdict")).to_have_attribute("data-verdict", "advice")
    logged = checks_of(live_server, "second@school.test")
    assert logged and logged[-1]["client"] == "extension"

    # Signing out revokes this browser's tokens on the server too.
    page.goto(f"chrome-extension://{extension_id(browser_context)}/options/options.html")
    page.click("#signout")
    expect(page.locator("#signin-state")).to_have_text("Not signed in with a school account.")
    from tests.support.serverproc import request
    status, _, _ = request(live_server.url + "/api/v1/signin/me", token=saved["access"])
    assert status == 401
