"""Cards like a writing assistant's, in the real extension on the X fixture: the card quotes its
words ("useless idiot", one card for the phrase), a summary line, the clause's sentence first, a
help link, no milliseconds; hovering an underline or moving the caret into it lights its card,
focusing a card lights its underline; the card's "Why is this a problem?" opens the rule's help page.
Screenshots: extension-cards.png, help-rule.png.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import (
    assert_opens_the_settings, configure, expect, overlay, text_rect, type_draft,
)
from tests.browser.pages import allow_axe, serious_axe_violations

pytestmark = pytest.mark.browser

DRAFT = "The ref was a useless idiot"


@pytest.fixture(autouse=True)
def _sites(browser_context: Any) -> None:
    sites.install(browser_context)


def test_cards_quote_their_words_and_follow_the_underline(browser_context: Any, live_server: Any, page: Any,
                                                         screenshot: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=live_server.staff("cards-teacher"))
    page.goto(sites.site_url("x"))
    type_draft(page, "x", DRAFT)
    panel = overlay(page, ".panel")
    expect(panel.locator(".verdict")).to_have_attribute("data-verdict", "warn", timeout=30_000)
    cards = panel.locator(".finding[data-rule='derogatory']")
    expect(cards).to_have_count(1)  # "useless" and "idiot": one phrase, one card
    card = cards.first
    expect(card.locator(".quote")).to_have_text("“useless idiot”")
    expect(panel.locator(".summary")).to_have_text("1 thing to fix before posting")
    expect(card.locator(".excerpt")).to_contain_text("offensive")
    help_link = card.locator("a.help")
    assert help_link.get_attribute("href") == f"{live_server.url}/help/rules/derogatory"
    panel_text = panel.inner_text()
    assert " ms" not in panel_text and "derogatory" not in panel_text

    # the pointer over the underlined word lights its card
    word = text_rect(page, "x", "idiot")
    page.mouse.move(word["x"] + word["width"] / 2, word["y"] + word["height"] / 2)
    expect(card).to_have_class("finding warn active")
    page.mouse.move(5, 890)
    expect(card).not_to_have_class("finding warn active")
    # the keyboard: the caret moved into the words lights the card; focusing the card lights its underline
    page.locator('[data-testid="tweetTextarea_0"]').click()
    page.keyboard.press("End")
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(card).to_have_class("finding warn active")
    card.focus()
    marks = overlay(page, ".mark.active")
    expect(marks).to_have_count(2)  # both words of the phrase
    screenshot(page, "extension-cards")

    with browser_context.expect_page() as opened:
        help_link.click()
    help_page = opened.value
    try:
        help_page.wait_for_load_state()
        expect(help_page.locator("h1")).to_have_text("Offensive language")
        screenshot(help_page, "help-rule")
        allow_axe(help_page)
        help_page.reload()
        assert serious_axe_violations(help_page) == []
    finally:
        help_page.close()


def test_the_popup_lists_my_own_near_misses(browser_context: Any, live_server: Any, page: Any,
                                           screenshot: Any) -> None:
    from tests.browser.fixtures.extension import extension_id
    token = live_server.staff("popup-teacher")
    configure(browser_context, serverUrl=live_server.url, token=token)
    page.goto(sites.site_url("x"))
    type_draft(page, "x", DRAFT)  # one near-miss of this member of staff, logged by the real server
    expect(overlay(page, ".panel .verdict")).to_have_attribute("data-verdict", "warn", timeout=30_000)
    page.goto(f"chrome-extension://{extension_id(browser_context)}/popup/popup.html")
    item = page.locator("#checks li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Warning: Offensive language")
    expect(item).to_contain_text("No outcome reported")
    expect(page.locator("#status")).to_contain_text("1 near-miss in the last 365 days")
    expect(item.locator(".report")).to_have_count(0)

    # "This is wrong" from the warn dialog, then the Director of IT's answer on /admin/reports
    # (tests/api/test_report.py drives that page): the popup shows the decision and the reply.
    from tests.support.serverproc import request
    status, _, mine = request(live_server.url + "/api/v1/checks/mine", token=token)
    check_id = mine["items"][0]["check_id"]
    status, _, _ = request(f"{live_server.url}/api/v1/checks/{check_id}/report", "POST",
                           {"kind": "false_alarm", "reason": "Quoting a pupil's essay"}, token=token)
    assert status == 200
    page.reload()
    expect(item.locator(".report .awaiting")).to_have_text("Waiting for the Director of IT's answer")
    from sqlalchemy import select

    from server import audit
    from server.db import get_db
    from server.models import AuditEvent
    with live_server.app.app_context():
        db = get_db()
        report = db.execute(select(AuditEvent).where(AuditEvent.action == "report.false_alarm",
                                                     AuditEvent.target == check_id)).scalar_one()
        audit.record(db, "popup-director", "report.answered", check_id, report_id=report.id, to="popup-teacher",
                     decision="agree", answer="You are right: quoted words will not warn after Friday's update.")
        db.commit()
    page.reload()
    answered = item.locator(".report.answered")
    expect(answered.locator(".decision")).to_have_text("Director of IT: Agreed: the rule or the list will be changed")
    expect(answered.locator(".reply")).to_have_text("You are right: quoted words will not warn after Friday's update.")
    from tests.browser.fixtures.extension import page_axe_violations
    assert page_axe_violations(page) == [], "popup with an answered report"
    page.set_viewport_size({"width": 380, "height": 420})
    screenshot(page, "extension-popup")


def test_the_popup_says_once_that_the_sign_in_was_refused(browser_context: Any, live_server: Any, page: Any,
                                                          screenshot: Any) -> None:
    from tests.browser.fixtures.extension import extension_id
    configure(browser_context, serverUrl=live_server.url, token="sl_revoked-or-mistyped")
    page.goto(f"chrome-extension://{extension_id(browser_context)}/popup/popup.html")
    status = page.locator("#status")
    expect(status).to_contain_text("did not accept your sign-in")
    assert page.locator("#checks").is_hidden()
    assert status.inner_text().count("did not accept") == 1
    assert_opens_the_settings(browser_context, status.locator("button"))
