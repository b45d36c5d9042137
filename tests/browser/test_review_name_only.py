"""A reviewer meets a "check by eye" warning (rule `name-only-pupil-face`) as it really happened: a
photo from a school account while a pupil is listed by name only. The near-miss log, its rule
filter, the near-miss itself and the summary's chart call it by its own title and description,
never "close to a listed pupil" or the rule's id; and no label of the summary's charts is cut off
(each text's box lies inside its chart's viewBox).
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.pages import add_name_only_pupil, allow_axe, remove_pupils, serious_axe_violations, sign_in, warm_image_checks
from tests.support.image_synth import FACES

pytestmark = pytest.mark.browser

STRANGER = FACES / "lfw/AJ_Cook/AJ_Cook_0001.jpg"
TITLE = "Faces to check by eye"
DESCRIPTION = "faces nobody matched while some listed pupils are kept by name only"


@pytest.fixture
def name_only_pupil(live_server: Any) -> Any:
    """One name-only entry for this test only (it makes every school photo ask for a check by eye)."""
    add_name_only_pupil(live_server, "Nia Nameonly", "REV-NO-1", "Year 8")
    yield
    remove_pupils(live_server, "REV-NO-")


def _school_photo_check(page: Any, live_server: Any, token: str) -> str:
    draft = {"text": "Art club today", "platform": "x", "account_type": "school", "account_handle": "@kjs_art",
             "audience": "public"}
    res = page.request.post(f"{live_server.url}/api/v1/check", timeout=60_000,
                            headers={"Authorization": f"Bearer {token}"},
                            multipart={"draft": json.dumps(draft), "images": {
                                "name": "art.jpg", "mimeType": "image/jpeg", "buffer": STRANGER.read_bytes()}})
    assert res.status == 200, res.text()
    answer = res.json()
    assert [f["rule"] for f in answer["findings"]] == ["name-only-pupil-face"], answer
    return answer["check_id"]


def test_a_reviewer_reads_a_check_by_eye_warning_under_its_own_title(live_server: Any, page: Any,
                                                                      name_only_pupil: Any) -> None:
    token = live_server.staff("name-only-teacher")
    warm_image_checks(live_server.url, token, STRANGER.read_bytes())
    check_id = _school_photo_check(page, live_server, token)

    live_server.staff("name-only-reviewer", "reviewer")
    page.context.clear_cookies()
    allow_axe(page)
    page.goto(f"{live_server.url}/admin/login?next=/admin/review")
    sign_in(page, "name-only-reviewer", "pw-name-only-reviewer")
    page.wait_for_url("**/admin/review")

    # the log's rule filter offers it by title; filtering shows this near-miss under that title
    rule_filter = page.locator("select#f-rule")
    expect(rule_filter.locator("option", has_text=TITLE)).to_have_count(1)
    rule_filter.select_option(label=TITLE)
    page.click("main form button[type=submit]")
    row = page.locator("table.review tbody tr", has_text="name-only-teacher")
    expect(row).to_have_count(1)
    expect(row.locator(".rule")).to_have_text(TITLE)

    row.locator("a").first.click()
    page.wait_for_url(f"**/admin/review/{check_id}")
    finding = page.locator("table.review tbody tr").first
    expect(finding.locator("strong").first).to_have_text(TITLE)
    expect(finding).to_contain_text(DESCRIPTION)
    main = page.locator("main").inner_text()
    assert "close to" not in main and "name-only-pupil-face" not in main
    assert serious_axe_violations(page) == []

    page.goto(f"{live_server.url}/admin/review/summary")
    expect(page.locator("svg.chart").nth(2)).to_contain_text(TITLE)
    assert "name-only-pupil-face" not in page.locator("main").inner_html()


# Each label of each chart: its box in the chart's own units (getBBox), against the viewBox.
_CLIPPED_LABELS = """() => [...document.querySelectorAll('svg.chart')].flatMap((svg) => {
    const view = svg.viewBox.baseVal;
    return [...svg.querySelectorAll('text')].map((text) => {
        const b = text.getBBox();
        return {chart: svg.querySelector('title')?.textContent, text: text.textContent,
                box: [b.x, b.y, b.x + b.width, b.y + b.height], view: [view.x, view.y, view.width, view.height]};
    }).filter((t) => t.text.trim() && (t.box[0] < t.view[0] - 0.5 || t.box[1] < t.view[1] - 0.5
        || t.box[2] > t.view[0] + t.view[2] + 0.5 || t.box[3] > t.view[1] + t.view[3] + 0.5));
})"""


def test_no_label_of_the_summary_charts_is_cut_off(live_server: Any, page: Any) -> None:
    from sqlalchemy import select

    from server.db import session_factory
    from server.models import Staff
    from tests.support.nearmiss_seed import add_check
    live_server.staff("chart-label-teacher")
    with session_factory(live_server.app)() as db:
        teacher = db.execute(select(Staff.id).where(Staff.name == "chart-label-teacher")).scalar_one()
    # the longest rule titles and every platform, so the widest labels are drawn
    for rules, platform in ((("personal-account-pupil-contact",), "facebook"), (("name-only-pupil-face",), "instagram"),
                            (("missing-disclaimer", "controversial-topic"), "linkedin"), (("derogatory",), "x")):
        add_check(live_server.app, teacher, rules=rules, platform=platform, days_ago=4, outcome="edited")

    live_server.staff("chart-label-reviewer", "reviewer")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login?next=/admin/review/summary")
    sign_in(page, "chart-label-reviewer", "pw-chart-label-reviewer")
    page.wait_for_url("**/admin/review/summary")
    expect(page.locator("svg.chart")).to_have_count(4)
    assert page.locator("svg.chart text").count() > 20
    for width in (1280, 390):  # the charts scale with the page: their viewBox holds every label at any width
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(_CLIPPED_LABELS) == [], width
    # the check can fail: a chart narrowed to half its width has labels outside it
    page.evaluate("() => { const v = document.querySelector('svg.chart').viewBox.baseVal; v.width = v.width / 2; }")
    assert page.evaluate(_CLIPPED_LABELS) != []
