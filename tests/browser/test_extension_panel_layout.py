"""The panel is not cramped: a draft with five things wrong shows every card in the window without
a scrollbar inside the panel (when the cards are too many to show whole, each shows its number,
title and quoted words and one opens at a time; in a short window none until one is opened), the
verdict chip stays on one line, and a photo is shown whole across the panel below its card. Screenshots: extension-panel-crowded.png.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import (
    assert_chip_on_one_line, assert_panel_seen_whole, configure, expect, overlay, overlay_axe_violations,
    panel_layout, panel_seen_whole, type_draft,
)
from tests.browser.pages import warm_image_checks
from tests.support.image_synth import FACES

pytestmark = pytest.mark.browser

CROWDED = ("Proud of our Year 9s at King James's today! The ref was a useless idiot. Ring me on 07700 900123 about "
           "the trip. Vote Reform at the election. Confidential: do not share.")
FACE = FACES / "lfw/AJ_Cook/AJ_Cook_0001.jpg"


@pytest.fixture(autouse=True)
def _sites(browser_context: Any) -> None:
    sites.install(browser_context)


def test_five_findings_show_every_card_without_a_scrollbar(browser_context: Any, live_server: Any, page: Any,
                                                          screenshot: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=live_server.staff("layout-teacher"))
    page.goto(sites.site_url("x"))
    type_draft(page, "x", CROWDED)
    expect(overlay(page, ".panel .verdict")).to_have_attribute("data-verdict", "block", timeout=30_000)
    expect(overlay(page, ".panel .summary")).to_contain_text("things to fix before posting")
    found = panel_layout(page)
    assert len(found["cards"]) >= 5, found["cards"]
    assert_panel_seen_whole(found)
    assert_chip_on_one_line(found)
    # too many to show whole: each card says what it is about, the first says why and what to do
    assert found["compact"]
    assert [c["collapsed"] for c in found["cards"]] == [False] + [True] * (len(found["cards"]) - 1)
    assert all(c["title"].strip() for c in found["cards"])
    expect(overlay(page, ".finding[data-rule='derogatory'] .quote")).to_have_text("“useless idiot”")
    screenshot(page, "extension-panel-crowded")
    assert overlay_axe_violations(page) == []

    # opening another card closes the first; everything still fits
    overlay(page, ".finding[data-rule='derogatory'] button.expand").click()
    expect(overlay(page, ".finding[data-rule='derogatory'] button.expand")).to_have_attribute("aria-expanded", "true")
    expect(overlay(page, ".finding[data-rule='derogatory'] .suggestion")).to_be_visible()
    found = panel_layout(page)
    assert [c["collapsed"] for c in found["cards"]].count(False) == 1
    assert not next(c for c in found["cards"] if "Offensive language" in c["title"])["collapsed"]
    assert_panel_seen_whole(found)
    # the open card stays open when the draft changes and is checked again
    page.keyboard.type(" Great match though.")
    expect(overlay(page, ".panel header .status")).to_have_text("Checked")
    expect(overlay(page, ".finding[data-rule='derogatory'] .suggestion")).to_be_visible()
    assert_panel_seen_whole(panel_layout(page))


def test_in_a_short_window_every_card_is_closed_but_in_view(browser_context: Any, live_server: Any,
                                                             page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=live_server.staff("layout-short-teacher"))
    page.set_viewport_size({"width": 1280, "height": 640})
    page.goto(sites.site_url("x"))
    type_draft(page, "x", CROWDED)
    expect(overlay(page, ".panel .verdict")).to_have_attribute("data-verdict", "block", timeout=30_000)
    found = panel_layout(page)
    assert found["compact"] and len(found["cards"]) >= 5
    assert all(c["collapsed"] for c in found["cards"]), found["cards"]
    assert_panel_seen_whole(found)
    assert_chip_on_one_line(found)
    overlay(page, ".finding[data-rule='personal-contact'] button.expand").click()  # opened by hand: it may scroll
    expect(overlay(page, ".finding[data-rule='personal-contact'] .suggestion")).to_be_visible()


def test_one_finding_is_shown_whole_and_a_photo_below_it_is_not_cut_off(browser_context: Any, live_server: Any,
                                                                       page: Any) -> None:
    token = live_server.staff("layout-photo-teacher")
    warm_image_checks(live_server.url, token, FACE.read_bytes())
    configure(browser_context, serverUrl=live_server.url, token=token)
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Sports day at last")
    page.locator("input[type='file']").set_input_files(str(FACE))
    expect(overlay(page, ".thumb[data-index='0']")).to_have_attribute("data-verdict", "block", timeout=30_000)
    expect(overlay(page, ".thumb .box .num")).to_have_text("1✕")
    found = panel_seen_whole(page)  # once the picture has loaded and the panel has made room for it
    assert not found["compact"] and [c["collapsed"] for c in found["cards"]] == [False]
    assert found["images"] and found["images"][0]["loaded"] and found["images"][0]["height"] > 250
    assert_panel_seen_whole(found)
    assert_chip_on_one_line(found)
