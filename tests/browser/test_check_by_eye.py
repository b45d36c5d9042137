"""A pupil's parents withdrew consent to face matching: a teacher posting a photo from the school's
X account is asked to check it by eye, follows the card's link, signs in, chooses Year 7 and sees
the pupil's name (and nothing else about them). Screenshots: extension-check-by-eye.png,
check-by-eye.png.
"""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import configure, expect, overlay, panel_seen_whole, type_draft
from tests.browser.pages import (
    add_name_only_pupil, allow_axe, remove_pupils, serious_axe_violations, sign_in, warm_image_checks,
)
from tests.support.image_synth import FACES

pytestmark = pytest.mark.browser

STRANGER = FACES / "lfw/AJ_Cook/AJ_Cook_0001.jpg"


@pytest.fixture
def name_only_pupil(live_server: Any) -> Any:
    """One name-only entry for this test only (it makes every school photo ask for a check by eye)."""
    add_name_only_pupil(live_server, "Amira Withdrawn", "EYE-1", "Year 7", reason_note="court order")
    yield
    remove_pupils(live_server, "EYE-1")


@pytest.fixture(autouse=True)
def _sites(browser_context: Any) -> None:
    sites.install(browser_context)


def test_a_teacher_checks_a_photo_by_eye(browser_context: Any, live_server: Any, page: Any, screenshot: Any,
                                         name_only_pupil: Any) -> None:
    browser_context.clear_cookies()  # signed out: the list must ask this member of staff to sign in
    token = live_server.staff("eye-teacher", password="eye-teacher-pw-1")
    warm_image_checks(live_server.url, token, STRANGER.read_bytes())
    configure(browser_context, serverUrl=live_server.url, token=token, schoolHandles=["@ms_teacher"])
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Sports day at last")
    expect(overlay(page, ".panel .verdict")).to_have_attribute("data-verdict", "pass", timeout=30_000)
    page.locator("input[type='file']").set_input_files(str(STRANGER))
    card = overlay(page, ".finding[data-rule='name-only-pupil-face']")
    expect(card).to_contain_text("Check that this person is not one of them", timeout=20_000)
    expect(card).not_to_contain_text("close to")
    assert "Amira" not in overlay(page, ".panel").inner_text()
    # the face is boxed on the full-width picture with the card's number, in the "not sure" shape
    box = overlay(page, ".thumb .box.unsure")
    expect(box).to_have_count(1)
    expect(box.locator(".num")).to_have_text("1?")
    expect(card.locator(".sev .num")).to_have_text("1")
    picture = overlay(page, ".thumb img").bounding_box()
    assert picture["width"] > 280  # across the panel, not a 140 px preview
    panel_seen_whole(page)  # the card and the whole picture below it, in the window, no scrollbar in the panel
    expect(overlay(page, ".sitebadge")).to_contain_text("see 1")  # on the site's own thumbnail
    screenshot(page, "extension-check-by-eye")

    link = card.locator("a.link")
    expect(link).to_have_text("Pupils to check by eye")
    with browser_context.expect_page() as opened:
        link.click()
    list_page = opened.value
    try:
        list_page.wait_for_url(re.compile(r"/admin/login\?next="))
        sign_in(list_page, "eye-teacher", "eye-teacher-pw-1")
        list_page.wait_for_url("**/admin/check-by-eye")
        expect(list_page.locator("h1")).to_have_text("Pupils to check by eye")
        expect(list_page.locator("table")).to_have_count(0)  # nothing until year groups are chosen
        list_page.get_by_label("Year 7").check()
        list_page.click("text=Show the pupils")
        expect(list_page.locator("table.check-by-eye")).to_contain_text("Amira Withdrawn")
        body = list_page.locator("main").inner_text()
        assert "safeguarding" not in body and "court order" not in body
        screenshot(list_page, "check-by-eye")
        allow_axe(list_page)
        list_page.reload()
        assert serious_axe_violations(list_page) == []
    finally:
        list_page.close()

    from sqlalchemy import select

    from server.db import get_db
    from server.models import AuditEvent
    with live_server.app.app_context():
        views = get_db().execute(select(AuditEvent).where(AuditEvent.action == "check_by_eye.viewed",
                                                          AuditEvent.actor == "eye-teacher")).scalars().all()
    assert len(views) == 2 and views[0].details["year_groups"] == ["Year 7"]
