"""axe-core on IT's pages not covered elsewhere: the admin home page, the no-publish list (with an
overdue and a name-only entry), the staff page, the page that shows a new member's token and the
QR code for their phone, and the QR code alone for another phone. Nothing serious or critical.
(The enrolment cross-check and the remove-a-face confirmation: test_enrol_crosscheck.py.)
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.pages import allow_axe, remove_pupils, serious_axe_violations, sign_in_as_admin

pytestmark = pytest.mark.browser


@pytest.fixture
def list_with_entries(live_server: Any) -> Any:
    """An overdue entry and a name-only one (the list's states), removed afterwards."""
    from server.db import get_db
    from server.nopublish import records
    with live_server.app.app_context():
        db = get_db()
        base = {"year_group": "Year 10", "reason": "safeguarding", "review_by": (date.today() - timedelta(days=3)).isoformat()}
        records.add_pupil(db, "it-admin", records.validate_fields({**base, "display_name": "Sam Axe-Overdue",
                                                                    "reference": "AXE-1"}))
        records.add_pupil(db, "it-admin", records.validate_fields({
            **base, "display_name": "Riley Axe-Objects", "reference": "AXE-2", "review_by": "2031-07-31",
            "pupil_objected": "yes"}))
        db.commit()
    yield
    remove_pupils(live_server, "AXE-")


def test_it_pages_have_no_serious_accessibility_problem(live_server: Any, page: Any, list_with_entries: Any) -> None:
    live_server.staff("axe-it", "admin")
    page.context.clear_cookies()
    allow_axe(page)
    sign_in_as_admin(page, live_server, "axe-it")
    assert serious_axe_violations(page) == [], "admin home page"

    page.goto(f"{live_server.url}/admin/pupils")
    expect(page.locator("table.pupils")).to_contain_text("AXE-2")
    expect(page.locator("tr.overdue")).not_to_have_count(0)
    assert serious_axe_violations(page) == [], "no-publish list"

    page.goto(f"{live_server.url}/admin/staff")
    assert serious_axe_violations(page) == [], "staff page"
    page.fill("#staff-name", "Mr Axe-Phone")
    page.click("form.staff-add button[type=submit]")
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.locator("#issued-token")).to_contain_text("sl_")
    assert serious_axe_violations(page) == [], "new token and QR code"

    page.goto(f"{live_server.url}/admin/staff")
    page.get_by_role("button", name="Phone QR for Mr Axe-Phone").click()
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.locator("#issued-token")).to_have_count(0)  # the QR code alone: no token changes
    assert serious_axe_violations(page) == [], "phone QR code"
