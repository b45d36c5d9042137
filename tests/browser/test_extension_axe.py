"""axe-core on the extension's own screens, in the real unpacked extension: the panel in each of its
states (findings with a fix and the account question; a photo with a numbered face box; a refused
sign-in), the Post gate's block dialog, the popup (near-misses, and a refused sign-in) and the
options page with its per-site account list. The panel is in a closed shadow root, which axe
cannot enter: it runs on a copy of the overlay's tree, styles included (`overlay_axe_violations`).
Every WCAG A/AA violation fails, not only the serious and critical ones.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import (
    POST_BUTTON, configure, expect, extension_id, overlay, overlay_axe_violations, page_axe_violations, type_draft,
)
from tests.support.image_synth import FACES

pytestmark = pytest.mark.browser

WARN_DRAFT = "Proud of our Year 9s at King James's today! What an idiot the ref was."
FACE_PHOTO = FACES / "lfw/AJ_Cook/AJ_Cook_0001.jpg"


@pytest.fixture(scope="module")
def token(live_server: Any) -> str:
    return live_server.staff("ext-axe-panels")


@pytest.fixture(autouse=True)
def _sites(browser_context: Any) -> None:
    sites.install(browser_context)


def _verdict(page: Any) -> Any:
    return overlay(page, ".panel .verdict")


def test_panel_with_cards_a_fix_and_the_account_question(browser_context: Any, live_server: Any, token: str,
                                                         page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=token)
    page.goto(sites.site_url("generic"))
    type_draft(page, "generic", WARN_DRAFT)
    expect(_verdict(page)).to_have_attribute("data-verdict", "warn")
    expect(overlay(page, ".panel .account[data-source='default']")).to_be_visible()
    expect(overlay(page, ".panel button.fix")).to_be_visible()
    assert overlay_axe_violations(page) == []
    overlay(page, ".account [data-account='personal']").click()  # answered: the line changes
    expect(overlay(page, ".panel .account[data-source='choice']")).to_be_visible()
    assert overlay_axe_violations(page) == []


def test_panel_with_a_numbered_face_box_and_the_block_dialog(browser_context: Any, live_server: Any, token: str,
                                                             page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=token)
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Sports day at last")
    page.locator("input[type='file']").set_input_files(str(FACE_PHOTO))
    tile = overlay(page, ".thumb[data-index='0']")
    expect(tile).to_have_attribute("data-verdict", "block", timeout=30_000)
    expect(tile.locator(".box .num")).to_have_text("1✕")
    assert overlay_axe_violations(page) == []
    page.locator(POST_BUTTON["x"]).click()
    expect(overlay(page, "[data-gate='block']")).to_be_visible()
    assert overlay_axe_violations(page) == []


def test_panel_when_the_sign_in_is_refused(browser_context: Any, live_server: Any, page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token="sl_revoked-long-ago")
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Sports day at last")
    expect(overlay(page, ".banner[data-kind='unauthorized']")).to_be_visible()
    assert overlay_axe_violations(page) == []


def test_popup_and_options_pages(browser_context: Any, live_server: Any, token: str, page: Any) -> None:
    base = f"chrome-extension://{extension_id(browser_context)}"
    configure(browser_context, serverUrl=live_server.url, token=token,
              accountTypes={"facebook": "school", "bsky.app": "personal"})
    page.goto(sites.site_url("x"))
    type_draft(page, "x", WARN_DRAFT)  # a near-miss of this member of staff for the popup to list
    expect(_verdict(page)).to_have_attribute("data-verdict", "warn")

    page.set_viewport_size({"width": 380, "height": 600})
    page.goto(f"{base}/popup/popup.html")
    expect(page.locator("#checks li").first).to_be_visible()
    assert page_axe_violations(page) == [], "popup with near-misses"

    configure(browser_context, serverUrl=live_server.url, token="sl_revoked-long-ago")
    page.goto(f"{base}/popup/popup.html")
    expect(page.locator("#status button")).to_be_visible()
    assert page_axe_violations(page) == [], "popup, sign-in refused"

    configure(browser_context, serverUrl=live_server.url, token=token,
              accountTypes={"facebook": "school", "bsky.app": "personal"})
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/options/options.html")
    expect(page.locator("#sites li")).to_have_count(2)
    expect(page.locator("#save")).to_be_enabled()
    assert page_axe_violations(page) == [], "options page"
    page.click("#test")
    expect(page.locator("#status")).to_contain_text("Connected")
    assert page_axe_violations(page) == [], "options page after a test"


def test_axe_does_see_inside_the_overlay(browser_context: Any, live_server: Any, token: str, page: Any) -> None:
    """The check above can fail: an unnamed button put into the closed shadow root is reported."""
    from tests.browser.fixtures.extension import on_overlay_root
    configure(browser_context, serverUrl=live_server.url, token=token)
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Sports day at last")
    expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
    on_overlay_root(page, "function () { const b = document.createElement('button'); b.id = 'unnamed';"
                          " this.querySelector('.panel').append(b); }")
    assert any(v.startswith("button-name") for v in overlay_axe_violations(page))
