""""This is wrong", end to end: from the extension's warn dialog a teacher picks a preset reason and
reports a false alarm with one tap; the Director of IT answers it in the queue. Screenshots:
extension-report-wrong.png, admin-reports.png.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import POST_BUTTON, configure, expect, overlay, posts, type_draft
from tests.browser.pages import allow_axe, serious_axe_violations, sign_in, warm_image_checks
from tests.support.image_synth import FACES

pytestmark = pytest.mark.browser

FACE = FACES / "lfw/AJ_Cook/AJ_Cook_0001.jpg"


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
