"""IT adds a pupil with a real photo in Chromium, sees the face thumbnail, and a school-account draft
with ANOTHER photo of that person is then blocked by the live server.

Screenshots: admin-pupils.png (the list) and admin-pupil.png (the pupil page).
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT
from tests.browser.pages import allow_axe, remove_pupils, serious_axe_violations, sign_in_as_admin

pytestmark = pytest.mark.browser

FACES = ROOT.parent / "shared" / "faces" / "lfw"
ENROLLED = FACES / "Ai_Sugiyama" / "Ai_Sugiyama_0001.jpg"
ANOTHER = FACES / "Ai_Sugiyama" / "Ai_Sugiyama_0002.jpg"  # 0.27 from the enrolled photo


def _csp_watch(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def _seed_more_entries(live_server: Any) -> None:
    """Two more entries so the list shows its states: one overdue, one name-only (objected)."""
    from server.nopublish import records
    from server.db import get_db
    with live_server.app.app_context():
        db = get_db()
        base = {"year_group": "Year 10", "reason": "safeguarding", "review_by": (date.today() - timedelta(days=3)).isoformat()}
        records.add_pupil(db, "it-admin", records.validate_fields({**base, "display_name": "Sam Overdue",
                                                                    "reference": "BR-OVERDUE"}))
        records.add_pupil(db, "it-admin", records.validate_fields({
            **base, "display_name": "Riley Objects", "reference": "BR-OBJECTS", "reason": "looked-after",
            "review_by": "2031-07-31", "pupil_objected": "yes"}))
        db.commit()


@pytest.fixture
def leave_no_entries(live_server: Any) -> Any:
    """Take this test's pupils off the shared server's list afterwards, so other tests' checks
    (a name-only entry asks for manual confirmation of every face) are not affected."""
    yield
    remove_pupils(live_server, "BR-")


def _add_pupil(page: Any, live_server: Any, fields: dict[str, str]) -> None:
    """Fill the add-pupil form with `fields` (by input id; `reason` is the select), choose the
    enrolment photo and submit."""
    page.goto(f"{live_server.url}/admin/pupils/new")
    for name, value in fields.items():
        if name == "reason":
            page.select_option("#reason", value)
        else:
            page.fill(f"#{name}", value)
    page.set_input_files("#photos", str(ENROLLED))
    page.click("button:has-text('Add to the list')")


def test_it_adds_a_pupil_and_their_other_photo_is_blocked(live_server: Any, page: Any, screenshot: Any,
                                                           leave_no_entries: Any) -> None:
    live_server.staff("it-admin", "admin")
    token = live_server.staff("it-browser-teacher", "staff")
    csp_errors = _csp_watch(page)

    sign_in_as_admin(page, live_server, "it-admin")

    _add_pupil(page, live_server, {"display_name": "Ai Browser-Pupil", "reference": "BR-0001",
                                   "year_group": "Year 8", "reason": "no-consent", "review_by": "2031-07-31",
                                   "parents_notified_on": "2025-09-01", "consent_given_by": "A. Parent (mother)",
                                   "consent_given_on": "2025-09-04"})

    result = page.locator(".enrol-result")
    assert result.get_attribute("data-status") == "accepted"
    thumb = result.locator("img")
    thumb.wait_for()
    # the thumbnail loads (waits for it rather than racing it: fails if it never decodes)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=15_000)

    page.click("a:has-text('Back to Ai Browser-Pupil')")
    detail_thumb = page.locator(".thumbs img")
    expect(detail_thumb).to_have_count(1)  # waits for the page: on a busy machine it may still be loading
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=detail_thumb.element_handle(),
                           timeout=15_000)  # as above: waits for the image to decode, fails if it never does
    assert "Name and face" in page.locator(".status").inner_text()
    screenshot(page, "admin-pupil")

    _seed_more_entries(live_server)
    page.goto(f"{live_server.url}/admin/pupils")
    assert page.locator("tr.overdue").count() >= 1
    assert "BR-0001" in page.locator("table.pupils").inner_text()
    screenshot(page, "admin-pupils")
    assert csp_errors == []

    draft = {"text": "Lovely work in art club today!", "platform": "x", "account_type": "school",
             "account_handle": "@kjs_art", "audience": "public"}
    res = page.request.post(f"{live_server.url}/api/v1/check", timeout=60_000,
                            headers={"Authorization": f"Bearer {token}"},
                            multipart={"draft": json.dumps(draft),
                                       "images": {"name": "art.jpg", "mimeType": "image/jpeg",
                                                  "buffer": ANOTHER.read_bytes()}})
    assert res.status == 200, res.text()
    answer = res.json()
    assert answer["verdict"] == "block"
    assert "no-publish-face" in {f["rule"] for f in answer["findings"]}
    assert "Ai Browser-Pupil" not in res.text() and "BR-0001" not in res.text()


def test_missing_consent_is_pointed_at_and_the_chosen_photo_is_kept(live_server: Any, page: Any, screenshot: Any,
                                                                   leave_no_entries: Any) -> None:
    """IT forgets the consent fields: the summary links each missing field, the photo stays chosen
    (kept in the page, never on the server), and filling the fields in enrols it."""
    live_server.staff("it-admin-2", "admin")
    csp_errors = _csp_watch(page)
    sign_in_as_admin(page, live_server, "it-admin-2")

    _add_pupil(page, live_server, {"display_name": "Ai Kept-Photo", "reference": "BR-0002", "year_group": "Year 7",
                                   "review_by": "2031-07-31"})

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert summary.locator("a").evaluate_all("links => links.map((a) => a.getAttribute('href'))") == [
        "#parents_notified_on", "#consent_given_by", "#consent_given_on", "#photos"]
    assert page.get_attribute("#consent_given_by", "aria-invalid") == "true"
    # the chosen photo is still in the field, and the page says so
    assert page.eval_on_selector("#photos", "i => Array.from(i.files, (f) => [f.name, f.size])") == [
        [ENROLLED.name, ENROLLED.stat().st_size]]
    expect(page.locator("#photos-kept")).to_contain_text(ENROLLED.name)
    assert page.locator("#photos-not-kept").count() == 0
    assert page.input_value("#display_name") == "Ai Kept-Photo"
    screenshot(page, "admin-pupil-form-error")

    summary.locator("a[href='#consent_given_by']").click()
    expect(page.locator("#consent_given_by")).to_be_focused()
    page.fill("#parents_notified_on", "2025-09-01")
    page.fill("#consent_given_by", "A. Parent (father)")
    page.fill("#consent_given_on", "2025-09-04")
    page.click("button:has-text('Add to the list')")
    result = page.locator(".enrol-result")
    expect(result).to_have_attribute("data-status", "accepted")
    assert csp_errors == []

    # axe on the form as it is re-shown (in a tab of its own: axe needs the page's CSP bypassed)
    checked = page.context.new_page()
    try:
        allow_axe(checked)
        checked.goto(f"{live_server.url}/admin/pupils/new")
        checked.fill("#display_name", "Ai Axe-Check")
        checked.fill("#review_by", "2031-07-31")
        checked.set_input_files("#photos", str(ENROLLED))
        checked.click("button:has-text('Add to the list')")
        expect(checked.locator("#error-summary")).to_be_focused()
        assert serious_axe_violations(checked) == []
    finally:
        checked.close()
