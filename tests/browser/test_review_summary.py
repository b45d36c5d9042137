"""A reviewer signs in on the live server and opens the near-miss summary: the charts are drawn
(server-side SVG) with no Content Security Policy complaint; then the flagged near-misses, and one of
them marked as reviewed. Screenshots: review-summary.png, review-list.png, review-detail.png (see `screenshot` in conftest.py).
"""
from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import ROOT
from tests.support.nearmiss_seed import add_check

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: (rules, platform, days ago, outcome) — a few weeks of near-misses for the charts.
SEED = [
    (("missing-disclaimer",), "x", 2, "edited"), (("personal-contact",), "facebook", 3, "cancelled"),
    (("personal-contact", "tone"), "x", 9, "posted"), (("no-publish-name",), "instagram", 10, "edited"),
    (("missing-disclaimer",), "linkedin", 16, None), (("controversial-topic",), "x", 17, "posted"),
    (("image-location",), "instagram", 24, "edited"), (("missing-disclaimer",), "x", 30, "cancelled"),
    (("derogatory",), "facebook", 38, "edited"), (("missing-disclaimer",), "x", 45, "posted"),
]


def _post_check(url: str, token: str, text: str) -> dict[str, Any]:
    body = json.dumps({"text": text, "platform": "x", "account_type": "personal", "audience": "public"}).encode()
    request = urllib.request.Request(f"{url}/api/v1/check", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as res:
        return json.loads(res.read())


def test_reviewer_sees_the_summary_charts(live_server: Any, page: Any, screenshot: Any) -> None:
    token = live_server.staff("summary-teacher")
    live = _post_check(live_server.url, token, "Proud of our Year 9s at King James's today!")
    assert live["verdict"] == "warn"  # one near-miss logged by the real server
    from sqlalchemy import select

    from server.db import session_factory
    from server.models import Staff
    with session_factory(live_server.app)() as db:
        teacher_id = db.execute(select(Staff.id).where(Staff.name == "summary-teacher")).scalar_one()
    for rules, platform, days_ago, outcome in SEED:
        add_check(live_server.app, teacher_id, rules=rules, platform=platform, days_ago=days_ago, outcome=outcome,
                  flagged=outcome == "posted", override_reason="Checked with my line manager" if outcome == "posted"
                  else None, verdict="block" if "no-publish-name" in rules else "warn")

    live_server.staff("summary-rev", "reviewer")
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/admin/login?next=/admin/review/summary")
    page.fill("#name", "summary-rev")
    page.fill("#password", "pw-summary-rev")
    page.click("main form button[type=submit]")  # not the header's Sign out (a session may be open)
    page.wait_for_url("**/admin/review/summary")
    assert page.locator("h1").inner_text() == "Near-miss summary"
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    assert charts.first.locator("rect").count() >= 8  # weekly columns and the legend
    assert page.locator("svg.chart title").first.text_content().startswith("Near-misses per week")
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 400  # review.css sized it: the stylesheet loaded
    assert "365 days" in page.locator("section.retention").inner_text()
    assert "views my own" in charts.nth(2).inner_html()  # the rule's title, never its id
    assert "missing-disclaimer" not in page.locator("main").inner_html()
    assert not csp_errors, csp_errors
    page.set_viewport_size({"width": 1280, "height": 1500})
    path = screenshot(page, "review-summary")
    assert path.exists() and path.stat().st_size > 10_000
    page.click("text=posted over a warning")
    page.wait_for_url("**/admin/review?*")
    assert page.locator("table.review tbody tr").count() >= 3
    screenshot(page, "review-list")
    page.locator("table.review tbody tr a").first.click()
    page.wait_for_url("**/admin/review/*")
    page.fill("#note", "Spoke to the member of staff; disclaimer added to their bio.")
    page.click("text=Mark as reviewed")
    assert "Marked as reviewed." in page.locator(".flash").inner_text()
    assert "Reviewed by" in page.locator("form.review-form").inner_text()
    assert not csp_errors, csp_errors
    screenshot(page, "review-detail")
    detail_url = page.url

    # Accessibility: axe-core is injected as a script, which the CSP rightly refuses, so this tab
    # alone bypasses it from here on (the assertions above show the pages themselves never need to).
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` runs npm install")
    page.context.new_cdp_session(page).send("Page.setBypassCSP", {"enabled": True})
    for url in (f"{live_server.url}/admin/review/summary", f"{live_server.url}/admin/review", detail_url):
        page.goto(url)
        assert _axe(page) == [], url


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
