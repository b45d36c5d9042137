"""The extension on each site's real editor: the underline lands on the right words (after an
emoji and a blank line), the panel lists the finding with its clause, and the one-click fix types
the disclaimer into the editor so that the finding goes away.

Fixture pages (tests/browser/fixtures/) run the real editors from npm — Draft.js on x.com,
Lexical on www.facebook.com and www.instagram.com, Quill on www.linkedin.com, and a textarea on
bsky.app for the generic adapter — served at the real URLs so the manifest's matches apply.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import (
    COMPOSER, configure, expect, overlay, text_rect, textarea_text_rect, type_draft,
)

pytestmark = pytest.mark.browser

LINE_1 = "🎉 Sports day!"
LINE_3 = "Proud of our Year 9s at King James's today!"
MENTION = "King James's"


@pytest.fixture(scope="module")
def staff_token(live_server: Any) -> str:
    return live_server.staff("ext-editors")


@pytest.mark.parametrize("site", ["x", "facebook", "instagram", "linkedin-quill", "generic"])
def test_highlight_panel_and_fix(site: str, browser_context: Any, live_server: Any, staff_token: str,
                                 page: Any, screenshot: Any) -> None:
    sites.install(browser_context)
    configure(browser_context, serverUrl=live_server.url, token=staff_token)
    page.goto(sites.site_url(site))
    type_draft(page, site, LINE_1, "", LINE_3)
    text = page.evaluate("window.__editorText()")
    assert text == f"{LINE_1}\n\n{LINE_3}"

    # The finding's span, in UTF-16 units: the emoji counts twice, the blank line once.
    mark = overlay(page, ".mark[data-rule='missing-disclaimer']")
    expect(mark).to_have_count(1)
    start = text.encode("utf-16-le").find(MENTION.encode("utf-16-le")) // 2
    assert (mark.get_attribute("data-start"), mark.get_attribute("data-end")) == (str(start), str(start + len(MENTION)))
    assert start == text.index(MENTION) + 1  # one more than in code points: the emoji is two units

    # The underline covers exactly the words as the editor draws them.
    box = mark.bounding_box()
    if site == "generic":
        expected = textarea_text_rect(page, "Proud of our Year 9s at ", MENTION)
        textarea = page.locator("textarea").bounding_box()
        assert textarea["y"] < box["y"] < textarea["y"] + textarea["height"]
    else:
        expected = text_rect(page, site, MENTION)
        assert abs(box["y"] - expected["y"]) <= 2
    assert abs(box["x"] - expected["x"]) <= 2, (box, expected)
    assert abs(box["width"] - expected["width"]) <= 3, (box, expected)

    # The panel lists it, with the clause and the suggestion.
    finding = overlay(page, ".finding[data-rule='missing-disclaimer']")
    expect(finding).to_contain_text("does not say the views are your own")
    expect(finding).to_contain_text("Policy 1, 2.9")
    expect(finding).to_contain_text("Views my own")
    expect(overlay(page, ".verdict")).to_have_attribute("data-verdict", "warn")
    expect(overlay(page, ".panel header .status")).to_have_text("Checked")  # no milliseconds
    screenshot(page, f"extension-{site.split('-')[0]}")

    # The page's own scripts cannot read what was found: the overlay's shadow root is closed and
    # nothing page-readable carries a rule id or a span.
    assert page.evaluate("""() => {
        const host = document.querySelector("second-look-overlay");
        return host.shadowRoot === null && host.attributes.length === 0
            && document.querySelectorAll("[data-rule], [data-start]").length === 0;
    }""")

    # One click types the disclaimer in through the editor; the re-check finds nothing.
    finding.locator("button.fix").click()
    expect(overlay(page, ".verdict")).to_have_attribute("data-verdict", "pass")
    expect(mark).to_have_count(0)
    fixed = page.evaluate("window.__editorText()")
    assert fixed.startswith(f"{LINE_1}\n\n{LINE_3}") and "Views my own" in fixed[len(text):]
    assert page.locator(COMPOSER[site]).count() == 1  # the editor is still the editor
