"""The Post gate, image checks, failures and settings, end to end: the real extension in Chromium,
the real Second Look server (a real `block` rule: `pupil-image-personal-account`, a face photo
posted from a personal account), outcomes read back from the server's near-miss log.
"""
from __future__ import annotations

import base64
import socket
from typing import Any

import pytest
from PIL import Image

from tests.browser.fixtures import sites
from tests.browser.fixtures.extension import (
    COMPOSER, OVERLAY, POST_BUTTON, assert_opens_the_settings, configure, expect, extension_id, on_overlay_root, overlay, overlay_axe_violations, posts,
    storage, type_draft, wait_for_outcome,
)
from tests.support.image_synth import FACES

pytestmark = pytest.mark.browser

WARN_DRAFT = "Proud of our Year 9s at King James's today!"
GPS_IFD = 0x8825
FACE_PHOTO = FACES / "lfw/AJ_Cook/AJ_Cook_0001.jpg"
GPS_PHOTO = FACES / "face_recognition/test/alex_lacamoire1.jpg"  # EXIF with a GPS position


@pytest.fixture(scope="module")
def staff(live_server: Any) -> dict[str, str]:
    """One member of staff per test, so each test reads only its own rows of the log."""
    names = ["warn", "stale", "block", "paste", "location", "clean", "down", "account", "options", "axe"]
    return {name: live_server.staff(f"ext-gate-{name}") for name in names}


@pytest.fixture(autouse=True)
def _sites(browser_context: Any) -> None:
    sites.install(browser_context)


def _verdict(page: Any) -> Any:
    return overlay(page, ".panel .verdict")


def test_warn_needs_a_reason_to_post_and_the_outcome_is_logged(browser_context: Any, live_server: Any,
                                                              staff: dict, page: Any, screenshot: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=staff["warn"])
    page.goto(sites.site_url("x"))
    type_draft(page, "x", WARN_DRAFT)
    expect(_verdict(page)).to_have_attribute("data-verdict", "warn")

    page.locator(POST_BUTTON["x"]).click()
    dialog = overlay(page, "[data-gate='warn']")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("does not say the views are your own")
    expect(dialog.locator(".account-note")).to_have_text("Checked as a personal account.")
    assert posts(page) == []

    dialog.locator("[data-choice='post']").click()  # no reason given
    expect(dialog.locator(".error")).to_contain_text("Say why")
    assert posts(page) == []
    screenshot(page, "extension-gate-warn")

    dialog.locator("textarea").fill("Agreed with the head; disclaimer is in my bio")
    dialog.locator("[data-choice='post']").click()
    expect(dialog).to_have_count(0)
    assert posts(page) == [WARN_DRAFT]

    row = wait_for_outcome(live_server, "ext-gate-warn", "posted")
    assert row["override_reason"] == "Agreed with the […] is in my […]"  # neutral words only (docs/review.md)
    assert row["verdict"] == "warn" and row["flagged"] is True
    assert row["rules"] == ["missing-disclaimer"] and row["client"] == "extension" and row["platform"] == "x"


def test_a_stale_draft_is_checked_before_ctrl_enter_posts_it(browser_context: Any, live_server: Any,
                                                              staff: dict, page: Any) -> None:
    """Ctrl+Enter right after typing (before the 500 ms pause), in LinkedIn's shadow-root composer: the gate
    checks first, then asks."""
    configure(browser_context, serverUrl=live_server.url, token=staff["stale"])
    page.goto(sites.site_url("linkedin"))
    type_draft(page, "linkedin", WARN_DRAFT)
    page.keyboard.press("Control+Enter")
    dialog = overlay(page, "[data-gate='warn']")
    expect(dialog).to_be_visible()
    dialog.locator("[data-choice='cancel']").click()
    assert posts(page) == []
    row = wait_for_outcome(live_server, "ext-gate-stale", "cancelled")
    assert row["platform"] == "linkedin" and row["override_reason"] is None


def test_an_attached_photo_is_checked_and_a_block_stops_the_post(browser_context: Any, live_server: Any,
                                                                 staff: dict, page: Any, screenshot: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=staff["block"])
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Sports day at last")
    expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
    page.locator("input[type='file']").set_input_files(str(FACE_PHOTO))

    tile = overlay(page, ".thumb[data-index='0']")
    expect(tile).to_have_attribute("data-verdict", "block", timeout=20_000)
    expect(tile.locator(".badge")).to_have_text("Must not be posted")
    box = tile.locator(".box[data-rule='pupil-image-personal-account']")
    expect(box).to_have_count(1)
    expect(box).to_have_class("box block listed")  # a solid square: not only its colour says "block"
    expect(box.locator(".num")).to_have_text("1✕")
    # The face box is drawn over the preview, inside the picture, scaled from image pixels.
    face, picture = box.bounding_box(), tile.locator("img").bounding_box()
    assert picture["x"] <= face["x"] and face["x"] + face["width"] <= picture["x"] + picture["width"] + 1
    assert 0.1 * picture["width"] < face["width"] < picture["width"]
    expect(overlay(page, ".finding[data-rule='pupil-image-personal-account']")).to_contain_text("Policy 2.8")
    expect(overlay(page, ".sitebadge.block")).to_have_count(1)  # on the site's own thumbnail
    screenshot(page, "extension-image-block")

    page.locator(POST_BUTTON["x"]).click()
    dialog = overlay(page, "[data-gate='block']")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-choice='post']")).to_have_count(0)  # no override in the extension
    dialog.locator("[data-choice='edit']").click()
    assert posts(page) == []
    row = wait_for_outcome(live_server, "ext-gate-block", "edited")
    assert row["verdict"] == "block" and row["rules"] == ["pupil-image-personal-account"]


_DISPATCH_IMAGE = """async ([selector, kind, b64]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], "sports-day.jpg", {type: "image/jpeg"}));
    const target = window.deepQuery(selector);
    const event = kind === "paste"
        ? new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true, composed: true})
        : new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true, composed: true});
    target.dispatchEvent(event);
}"""


@pytest.mark.parametrize(("site", "kind"), [("linkedin", "paste"), ("generic", "drop")])
def test_pasted_or_dropped_photos_are_checked(site: str, kind: str, browser_context: Any, live_server: Any,
                                              staff: dict, page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=staff["paste"])
    page.goto(sites.site_url(site))
    type_draft(page, site, "Sports day at last")
    expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
    photo = base64.b64encode(FACE_PHOTO.read_bytes()).decode()
    page.evaluate(_DISPATCH_IMAGE, [COMPOSER[site], kind, photo])
    expect(overlay(page, ".thumb[data-index='0']")).to_have_attribute("data-verdict", "block", timeout=20_000)
    expect(_verdict(page)).to_have_attribute("data-verdict", "block")


def test_a_photo_with_location_offers_a_copy_without_it(browser_context: Any, live_server: Any, staff: dict,
                                                       page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=staff["location"], schoolHandles=["@ms_teacher"])
    page.goto(sites.site_url("x"))
    type_draft(page, "x", "Trip to the coast")
    page.locator("input[type='file']").set_input_files(str(GPS_PHOTO))
    finding = overlay(page, ".finding[data-rule='image-location']")
    expect(finding).to_contain_text("image 1", timeout=20_000)
    link = finding.locator("a.stripped")
    assert link.get_attribute("download") == "photo-1-without-location.jpg"
    with page.expect_download() as download:
        link.click()
    with Image.open(GPS_PHOTO) as original, Image.open(download.value.path()) as copy:
        assert GPS_IFD in original.getexif()
        assert copy.format == "JPEG" and copy.size == original.size  # the server's copy, decoded intact
        assert GPS_IFD not in copy.getexif()


def test_clean_and_advice_drafts_post_straight_away(browser_context: Any, live_server: Any, staff: dict,
                                                    page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=staff["clean"])
    page.goto(sites.site_url("facebook"))
    type_draft(page, "facebook", "Lovely sunny morning for a run.")
    expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
    page.locator(POST_BUTTON["facebook"]).click()
    assert posts(page) == ["Lovely sunny morning for a run."]

    type_draft(page, "facebook", "Thoughts on the general election? Vote wisely!")
    expect(_verdict(page)).to_have_attribute("data-verdict", "advice")
    expect(overlay(page, ".finding[data-rule='controversial-topic']")).to_be_visible()
    page.locator(POST_BUTTON["facebook"]).click()
    expect(overlay(page, ".backdrop")).to_have_count(0)
    assert posts(page)[-1] == "Thoughts on the general election? Vote wisely!"
    assert wait_for_outcome(live_server, "ext-gate-clean", "posted")["verdict"] == "advice"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_server_down_or_token_refused_shows_not_checked(browser_context: Any, live_server: Any, staff: dict,
                                                         page: Any, screenshot: Any) -> None:
    configure(browser_context, serverUrl=f"http://127.0.0.1:{_closed_port()}", token=staff["down"])
    page.goto(sites.site_url("x"))
    type_draft(page, "x", WARN_DRAFT)
    banner = overlay(page, ".banner")
    expect(banner).to_contain_text("Not checked — post with care")
    expect(banner).to_contain_text("cannot be reached")
    expect(_verdict(page)).to_have_attribute("data-verdict", "error")
    screenshot(page, "extension-server-down")

    page.locator(POST_BUTTON["x"]).click()
    dialog = overlay(page, "[data-gate='unchecked']")
    expect(dialog).to_contain_text("Not checked — post with care")
    dialog.locator("[data-choice='edit']").click()
    assert posts(page) == []

    configure(browser_context, serverUrl=live_server.url, token="sl_not-a-real-token")
    page.keyboard.type(" Go team")
    # A refused token: one message that says what to do, not a status, a banner and the server's words stacked
    expect(banner).to_contain_text("Not checked: sign in again")
    expect(banner).to_contain_text("did not accept your sign-in")
    banner.to_have_count(1)
    expect(overlay(page, ".panel header .status")).to_have_text("")
    assert "Unknown" not in banner.text_content() and "refused the staff token" not in banner.text_content()
    screenshot(page, "extension-token-refused")
    # No token at all is not "again": the banner says Second Look is not set up, with the same button.
    configure(browser_context, serverUrl=live_server.url)
    page.keyboard.type("!")
    expect(banner.locator("strong")).to_have_text("Not checked: Second Look is not set up")
    expect(overlay(page, ".banner button.settings")).to_be_visible()
    configure(browser_context, serverUrl=live_server.url, token="sl_not-a-real-token")
    page.keyboard.type("!")
    expect(banner.locator("strong")).to_have_text("Not checked: sign in again")
    assert_opens_the_settings(browser_context, overlay(page, ".banner button.settings"))


def test_account_type_from_handle_or_one_click_choice(browser_context: Any, live_server: Any, staff: dict,
                                                      page: Any, screenshot: Any) -> None:
    # X shows the signed-in handle: listed as a school account, the disclaimer is not needed, and the panel says why.
    configure(browser_context, serverUrl=live_server.url, token=staff["account"], schoolHandles=["@Ms_Teacher"])
    page.goto(sites.site_url("x"))
    type_draft(page, "x", WARN_DRAFT)
    expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
    account = overlay(page, ".panel .account")
    expect(account).to_contain_text("Checked as a school account: @ms_teacher is one of the school's handles")
    assert overlay(page, ".panel .account button").count() == 0  # the handle decides

    # Elsewhere the panel says personal was assumed and asks; one click answers, remembered for this site only.
    configure(browser_context, serverUrl=live_server.url, token=staff["account"])
    page.goto(sites.site_url("generic"))
    type_draft(page, "generic", WARN_DRAFT)
    expect(_verdict(page)).to_have_attribute("data-verdict", "warn")
    expect(account).to_contain_text("Checked as your personal account: you have not said which account you use on bsky.app")
    overlay(page, ".account [data-account='school']").click()
    expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
    assert storage(browser_context)["accountTypes"] == {"bsky.app": "school"}

    # Reused on the next visit, but said: never silently. One click switches it back.
    page.reload()
    type_draft(page, "generic", WARN_DRAFT)
    expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
    expect(account).to_contain_text("Checked as a school account, as you chose for bsky.app.")
    screenshot(page, "extension-account-choice")
    overlay(page, ".account button.switch").click()
    expect(_verdict(page)).to_have_attribute("data-verdict", "warn")
    expect(account).to_contain_text("Checked as your personal account, as you chose for bsky.app.")
    assert storage(browser_context)["accountTypes"] == {"bsky.app": "personal"}

    # The options page lists the choice and changes it with one click; the open tab follows at once.
    options = browser_context.new_page()
    try:
        options.goto(f"chrome-extension://{extension_id(browser_context)}/options/options.html")
        row = options.locator("#sites li[data-site='bsky.app']")
        expect(row.locator("legend")).to_have_text("bsky.app")
        expect(row.locator("input[value='personal']")).to_be_checked()
        screenshot(options.locator("section.sites"), "extension-options-sites")
        row.locator("input[value='school']").check()
        expect(options.locator("#status")).to_contain_text("bsky.app: drafts are now checked as a school account")
        assert storage(browser_context)["accountTypes"] == {"bsky.app": "school"}
        expect(_verdict(page)).to_have_attribute("data-verdict", "pass")
        expect(account).to_contain_text("Checked as a school account, as you chose for bsky.app.")
        row.locator("button", has_text="Ask me again").click()
        expect(options.locator("#sites li")).to_have_count(0)
        expect(options.locator("#sites-empty")).to_be_visible()
        assert storage(browser_context)["accountTypes"] == {}
        expect(account).to_contain_text("you have not said which account you use on bsky.app")
    finally:
        options.close()


def test_never_runs_on_the_second_look_server_pages(browser_context: Any, live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/check")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.locator(OVERLAY).count() == 0


def test_options_page_saves_settings_and_tests_the_connection(browser_context: Any, live_server: Any,
                                                              staff: dict, page: Any, screenshot: Any) -> None:
    configure(browser_context)
    page.goto(f"chrome-extension://{extension_id(browser_context)}/options/options.html")
    page.fill("#serverUrl", live_server.url + "/")
    page.fill("#token", staff["options"])
    page.fill("#schoolHandles", "@KJS_History, kjs_pe")
    page.click("#test")
    expect(page.locator("#status")).to_contain_text(f"Connected to {live_server.url}")
    expect(page.locator("#status")).to_contain_text("a test check took")
    saved = storage(browser_context)
    assert saved["serverUrl"] == live_server.url and saved["token"] == staff["options"]
    assert saved["schoolHandles"] == ["@kjs_history", "@kjs_pe"]
    assert browser_context.service_workers[0].evaluate("() => chrome.storage.sync.get(null)") == {}
    screenshot(page, "extension-options")

    # Reopened, the page shows the stored settings before Save can be pressed (saving the empty
    # fields of a page still loading used to wipe them).
    page.reload()
    expect(page.locator("#save")).to_be_enabled()
    expect(page.locator("#token")).to_have_value(staff["options"])
    page.click("#save")
    assert storage(browser_context)["token"] == staff["options"]

    page.fill("#token", "sl_wrong")
    page.click("#test")
    status = page.locator("#status")
    expect(status).to_contain_text("did not accept your sign-in")  # one message, with what to do
    expect(status).to_contain_text("Paste the staff token IT gave you again")
    assert "check failed" not in status.inner_text() and status.inner_text().count("did not accept") == 1

    # Plain http only to this computer: a token never crosses a network unencrypted.
    page.fill("#serverUrl", "http://secondlook.school.example")
    page.click("#save")
    expect(page.locator("#status")).to_contain_text("must start with https://")
    assert storage(browser_context)["serverUrl"] == live_server.url


# Before the options page's own scripts: its reads of chrome.storage wait until the test releases
# them, as on a slow profile (a long managed policy, a busy disk), so the page is seen mid-load.
_SLOW_SETTINGS = """(() => {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    window.__releaseSettings = release;
    for (const area of [chrome.storage.local, chrome.storage.managed]) {
        const get = area.get.bind(area);
        area.get = (...args) => gate.then(() => get(...args));
    }
})()"""


def test_options_page_keeps_save_off_until_the_settings_appear(browser_context: Any, live_server: Any,
                                                               staff: dict, page: Any) -> None:
    stored = {"serverUrl": live_server.url, "token": staff["options"], "schoolHandles": ["@kjs_history"],
              "schoolDomain": "kjs.example.org", "accountTypes": {"facebook": "school"}}
    configure(browser_context, **stored)
    page.add_init_script(_SLOW_SETTINGS)
    page.goto(f"chrome-extension://{extension_id(browser_context)}/options/options.html")
    assert page.evaluate("() => typeof window.__releaseSettings") == "function"  # the delay is in place

    # still loading: the fields are empty and neither Save nor Test can be pressed
    expect(page.locator("#save")).to_be_disabled()
    expect(page.locator("#test")).to_be_disabled()
    assert page.input_value("#token") == ""
    page.click("#save", force=True)  # a click on the disabled button does nothing
    page.click("#test", force=True)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert storage(browser_context) == stored  # nothing saved, nothing wiped
    expect(page.locator("#save")).to_be_disabled()

    # the settings arrive: the fields show them and Save comes on; saving keeps them as they were
    page.evaluate("() => window.__releaseSettings()")
    expect(page.locator("#save")).to_be_enabled()
    expect(page.locator("#test")).to_be_enabled()
    expect(page.locator("#token")).to_have_value(staff["options"])
    expect(page.locator("#schoolHandles")).to_have_value("@kjs_history")
    page.click("#save")
    expect(page.locator("#status")).to_have_text("Saved.")
    assert storage(browser_context) == stored


def test_panel_and_gate_dialog_pass_axe(browser_context: Any, live_server: Any, staff: dict, page: Any) -> None:
    configure(browser_context, serverUrl=live_server.url, token=staff["axe"])
    page.goto(sites.site_url("facebook"))
    type_draft(page, "facebook", WARN_DRAFT)
    expect(_verdict(page)).to_have_attribute("data-verdict", "warn")
    assert overlay_axe_violations(page) == []
    page.locator(POST_BUTTON["facebook"]).click()
    expect(overlay(page, "[data-gate='warn']")).to_be_visible()
    assert overlay_axe_violations(page) == []
