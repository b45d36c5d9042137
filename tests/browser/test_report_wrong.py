""""This is wrong", end to end: from the extension's warn dialog a teacher picks a preset reason and
reports a false alarm with one tap; from the block dialog another asks for an exception; on the
phone check page a teacher reports a false alarm on a warning and asks for an exception on a block.
Each lands in the Director of IT's queue, who answers. Screenshots: extension-report-wrong.png,
extension-block-report.png, check-page-report-wrong.png, admin-reports.png.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import POST_BUTTON, configure, expect, overlay, posts, type_draft
from tests.browser.pages import allow_axe, serious_axe_violations, sign_in, warm_image_checks
from tests.browser.test_check_page import Tab, phone  # noqa: F401  (phone: that module's phone-sized browser)
from tests.support.image_synth import FACES

pytestmark = pytest.mark.browser

FACE = FACES / "lfw/AJ_Cook/AJ_Cook_0001.jpg"
WARN_DRAFT = "Proud of our Year 9s at King James's today!"
BLOCK_DRAFT = "Revision session tonight: Year 11s, add me on snap"  # from a personal account
CONTACT = "Pupil or parent contact from a personal account"  # the rule's title


def _queue(page: Any, live_server: Any, director: str) -> Any:
    """Sign `director` (a new admin) in and open the queue of reports."""
    page.context.clear_cookies()
    live_server.staff(director, "admin")
    page.goto(f"{live_server.url}/admin/login?next=/admin/reports")
    sign_in(page, director, f"pw-{director}")
    page.wait_for_url("**/admin/reports")
    return page


@pytest.fixture(autouse=True)
def _sites(browser_context: Any) -> None:
    sites.install(browser_context)


def test_a_teacher_reports_a_false_alarm_and_the_director_answers(browser_context: Any, live_server: Any,
                                                                  page: Any, screenshot: Any) -> None:
    token = live_server.staff("wrong-teacher")
    warm_image_checks(live_server.url, token, FACE.read_bytes())  # a cold server's first check is slow
    configure(browser_context, serverUrl=live_server.url, token=token)
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Proud of our Year 9s at King James's today!")
    expect(overlay(page, ".panel .verdict")).to_have_attribute("data-verdict", "warn", timeout=30_000)
    page.locator(POST_BUTTON["x"]).click()
    dialog = overlay(page, "[data-gate='warn']")
    expect(dialog).to_be_visible()
    dialog.locator("button.preset", has_text="A senior leader approved this post").click()
    expect(dialog.locator("textarea")).to_have_value("A senior leader approved this post")
    dialog.locator("[data-report='false_alarm']").click()
    expect(dialog.locator(".report-status")).to_contain_text("Sent to the Director of IT", timeout=20_000)
    screenshot(page, "extension-report-wrong")
    dialog.locator("[data-choice='cancel']").click()
    assert posts(page) == []

    browser_context.clear_cookies()
    live_server.staff("wrong-director", "admin")
    page.goto(f"{live_server.url}/admin/login?next=/admin/reports")
    sign_in(page, "wrong-director", "pw-wrong-director")
    page.wait_for_url("**/admin/reports")
    report = page.locator("section.report", has_text="wrong-teacher: a false alarm")
    expect(report).to_contain_text("Missing \"views my own\" disclaimer")
    expect(report).to_contain_text("A senior leader approved this post")
    screenshot(page, "admin-reports")
    allow_axe(page)
    page.reload()
    assert serious_axe_violations(page) == []
    report = page.locator("section.report", has_text="wrong-teacher: a false alarm")
    report.get_by_label("The finding stands").check()
    report.locator("textarea").fill("The disclaimer is still needed on a personal account.")
    report.locator("button", has_text="Send the answer").click()
    expect(page.locator(".flash")).to_contain_text("Answered wrong-teacher's report.")
    expect(page.locator("section.report.answered", has_text="wrong-teacher")).to_contain_text("The finding stands")


def test_a_teacher_asks_for_an_exception_from_the_block_dialog(browser_context: Any, live_server: Any,
                                                               page: Any, screenshot: Any) -> None:
    token = live_server.staff("block-teacher")
    configure(browser_context, serverUrl=live_server.url, token=token)
    page.goto(sites.site_url("x"))
    type_draft(page, "x", BLOCK_DRAFT)
    expect(overlay(page, ".panel .verdict")).to_have_attribute("data-verdict", "block", timeout=30_000)
    page.locator(POST_BUTTON["x"]).click()
    dialog = overlay(page, "[data-gate='block']")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-choice='post']")).to_have_count(0)  # a block cannot be posted
    expect(dialog.locator("[data-report='false_alarm']")).to_have_text("This is wrong: report a false alarm")
    screenshot(page, "extension-block-report")
    dialog.locator("[data-report='exception']").click()
    expect(dialog.locator(".report-status")).to_contain_text("Sent to the Director of IT", timeout=20_000)
    expect(dialog.locator(".report-status")).to_contain_text("Nothing of your draft was sent")
    dialog.locator("[data-choice='cancel']").click()
    assert posts(page) == []

    queue = _queue(page, live_server, "block-director")
    report = queue.locator("section.report", has_text="block-teacher: asks for an exception")
    expect(report).to_contain_text(CONTACT)
    assert "add me on snap" not in queue.locator("main").inner_text()  # nothing of the draft
    report.get_by_label("Exception granted").check()
    report.locator("textarea").fill("Agreed for the revision group's school account only.")
    report.locator("button", has_text="Send the answer").click()
    expect(queue.locator(".flash")).to_contain_text("Answered block-teacher's report.")


def test_on_the_phone_a_teacher_reports_a_false_alarm_and_asks_for_an_exception(
        phone: Any, live_server: Any, page: Any, screenshot: Any) -> None:  # noqa: F811
    tab = Tab(phone, live_server.url)
    try:
        phone_page = tab.sign_in(live_server.staff("phone-reporter"))
        tab.check(WARN_DRAFT)
        assert tab.verdict() == "warn"
        phone_page.tap("#outcome [data-report='false_alarm']")
        expect(phone_page.locator("#report-status")).to_contain_text("Sent to the Director of IT")
        phone_page.locator(".report-wrong").scroll_into_view_if_needed()
        screenshot(phone_page, "check-page-report-wrong")

        tab.check(BLOCK_DRAFT)
        assert tab.verdict() == "block"
        expect(phone_page.locator("#report-status")).to_have_text("")  # a new check, a new report
        expect(phone_page.locator("#post-anyway")).to_be_hidden()
        phone_page.tap("#outcome [data-report='exception']")
        expect(phone_page.locator("#report-status")).to_contain_text("Sent to the Director of IT")
        assert tab.csp_errors == []
    finally:
        tab.page.close()

    queue = _queue(page, live_server, "phone-director")
    expect(queue.locator("section.report", has_text="phone-reporter: a false alarm")).to_contain_text(
        'Missing "views my own" disclaimer')
    expect(queue.locator("section.report", has_text="phone-reporter: asks for an exception")).to_contain_text(CONTACT)
