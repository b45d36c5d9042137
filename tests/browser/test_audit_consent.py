"""IT records a withdrawal of consent for a pupil with an enrolled face: the form says the face will
be deleted and asks for its own tick; the pupil's page then shows the consent history, and the
audit log tells it in a sentence linked to the pupil. Screenshots: admin-withdraw-consent.png,
admin-consent-history.png, admin-audit-log.png.
"""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.pages import allow_axe, serious_axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def pupil_with_a_face(live_server: Any) -> Any:
    """A pupil with one stored template; removed afterwards (a name-only pupil affects other tests)."""
    from sqlalchemy import select

    from server.nopublish import records
    from server.db import get_db
    from server.models import FaceTemplate, Pupil
    with live_server.app.app_context():
        db = get_db()
        pupil = records.add_pupil(db, "it-admin", records.validate_fields({
            "display_name": "Zoë Consent", "reference": "CONSENT-1", "year_group": "Year 8", "reason": "no-consent",
            "review_by": "2031-07-31", "parents_notified_on": "2025-09-01", "consent_given_by": "R. Consent (father)",
            "consent_given_on": "2025-09-04"}), evidence="signed form, office file 2025/14")
        db.add(FaceTemplate(pupil_id=pupil.id, encoding=bytes(1024), thumbnail=None, photo_sha256="c" * 64))
        db.commit()
        pupil_id = pupil.id
    yield pupil_id
    with live_server.app.app_context():
        db = get_db()
        for pupil in db.execute(select(Pupil).where(Pupil.reference == "CONSENT-1")).scalars().all():
            records.remove_pupil(db, "it-admin", pupil, why="test cleanup")
        db.commit()


def test_it_withdraws_consent_and_reads_the_history(live_server: Any, page: Any, screenshot: Any,
                                                   pupil_with_a_face: int) -> None:
    live_server.staff("consent-it", "admin")
    url = live_server.url
    page.goto(f"{url}/admin/login?next=/admin/pupils/{pupil_with_a_face}/edit")
    sign_in(page, "consent-it", "pw-consent-it")
    page.wait_for_url(f"**/admin/pupils/{pupil_with_a_face}/edit")
    expect(page.locator("#withdraw-warning")).to_contain_text("deletes Zoë Consent's 1 enrolled face at once")
    page.get_by_label("Consent has been withdrawn").check()
    page.fill("#consent_evidence", "letter from father, 2 May")
    page.click("main form button[type=submit]")
    expect(page.locator("#confirm_delete_faces-error")).to_contain_text("cannot be restored")
    page.set_viewport_size({"width": 1280, "height": 1400})
    screenshot(page, "admin-withdraw-consent")
    page.get_by_label("Yes, delete the faces").check()
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/admin/pupils/{pupil_with_a_face}")

    history = page.locator("table.consent-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("signed form, office file 2025/14")
    expect(history.nth(1)).to_contain_text("Withdrew consent to face matching (1 enrolled face deleted)")
    expect(history.nth(1)).to_contain_text("letter from father, 2 May")
    expect(history.nth(1)).to_contain_text("consent-it")
    screenshot(page.locator("main"), "admin-consent-history")

    page.click("text=Everything the audit log holds about Zoë Consent")
    rows = page.locator("table.audit tbody tr")
    expect(rows.first).to_contain_text("consent-it withdrew consent to face matching for Zoë Consent")
    assert "pupil:" not in page.locator("table.audit").inner_text()
    rows.first.locator("a", has_text="Zoë Consent").click()
    page.wait_for_url(f"**/admin/pupils/{pupil_with_a_face}")
    page.goto(f"{url}/admin/audit")
    screenshot(page, "admin-audit-log")
    with page.expect_download() as download:
        page.click("text=Export CSV")
    assert download.value.path().read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel

    allow_axe(page)
    for path in (f"/admin/pupils/{pupil_with_a_face}", "/admin/audit", f"/admin/pupils/{pupil_with_a_face}/edit",
                 "/help/rules/name-only-pupil-face", "/help/rules/"):
        page.goto(url + path)
        assert serious_axe_violations(page) == [], path
