"""The enrolment cross-check, as IT meets it: a pupil is enrolled from one real photo; a two-face
photo (the pupil beside someone else) asks which face is the pupil and offers "Neither of these
faces"; picking the other person's face is not kept until IT confirms it against the pupil's faces
already enrolled; removing a face asks first; every step is in the audit log in a sentence.

Two different real people from ../shared/faces (LFW). Screenshots: admin-enrol-two-faces.png,
admin-enrol-crosscheck.png, admin-remove-face.png. axe-core finds nothing serious or critical on
each of those pages.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.pages import allow_axe, remove_pupils, serious_axe_violations, sign_in_as_admin
from tests.support.image_synth import FACES
from tests.support.pupil_fixtures import jpeg, two_faces

pytestmark = pytest.mark.browser

PUPIL = FACES / "lfw" / "Aaron_Peirsol"
SOMEONE_ELSE = FACES / "lfw" / "Abdullah"
NAME = "Aaron Crosscheck"


@pytest.fixture
def two_face_photo(tmp_path: Path) -> Path:
    """The pupil beside someone else in one photo; the other person in black and white, so the test
    can tell the two faces apart on the page as IT would by looking (the order of the faces offered
    is the face finder's)."""
    other = Image.open(SOMEONE_ELSE / "Abdullah_0002.jpg").convert("L").convert("RGB")
    path = tmp_path / "two.jpg"
    path.write_bytes(two_faces((PUPIL / "Aaron_Peirsol_0002.jpg").read_bytes(), jpeg(other)))
    return path


def _the_other_persons_face(page: Any) -> int:
    """Which face offered (1-based) is the black-and-white one, read from its thumbnail's pixels."""
    colourful = page.evaluate("""() => [...document.querySelectorAll('.candidates img')].map((img) => {
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let spread = 0;
        for (let i = 0; i < d.length; i += 4) spread += Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
        return spread / (d.length / 4);
    })""")
    assert len(colourful) == 2 and min(colourful) < 5 < max(colourful), colourful
    return colourful.index(min(colourful)) + 1


@pytest.fixture
def leave_no_entries(live_server: Any) -> Any:
    yield
    remove_pupils(live_server, "XC-")


def _enrolled_faces(page: Any) -> Any:
    return page.locator("ul.thumbs li.thumb")


def _upload(page: Any, photo: Path) -> Any:
    """On the pupil's page: choose a photo, enrol it and return its result."""
    page.set_input_files("#photos", str(photo))
    page.click("button:has-text('Enrol photos')")
    result = page.locator(".enrol-result")
    expect(result).to_have_count(1)
    return result


def _axe(page: Any, what: str) -> None:
    assert serious_axe_violations(page) == [], what


def test_it_cannot_enrol_the_wrong_face_without_saying_so(live_server: Any, page: Any, screenshot: Any,
                                                         two_face_photo: Path, leave_no_entries: Any) -> None:
    live_server.staff("crosscheck-it", "admin")
    allow_axe(page)  # axe is injected as a script: every page of this tab bypasses the CSP
    sign_in_as_admin(page, live_server, "crosscheck-it")

    # the pupil, enrolled from one photo
    page.goto(f"{live_server.url}/admin/pupils/new")
    for field, value in {"display_name": NAME, "reference": "XC-1", "year_group": "Year 9",
                         "review_by": "2031-07-31", "parents_notified_on": "2025-09-01",
                         "consent_given_by": "A. Peirsol (mother)", "consent_given_on": "2025-09-04"}.items():
        page.fill(f"#{field}", value)
    page.set_input_files("#photos", str(PUPIL / "Aaron_Peirsol_0001.jpg"))
    page.click("button:has-text('Add to the list')")
    expect(page.locator(".enrol-result")).to_have_attribute("data-status", "accepted")
    page.click(f"a:has-text('Back to {NAME}')")
    expect(_enrolled_faces(page)).to_have_count(1)
    pupil_url = page.url

    # a two-face photo: which face is the pupil? "Neither of these faces" keeps nothing
    result = _upload(page, two_face_photo)
    expect(result).to_have_attribute("data-status", "multiple_faces")
    expect(result).to_contain_text(f"Which face is {NAME}?")
    expect(result.locator(".candidates li")).to_have_count(2)
    expect(result.locator("button", has_text="Neither of these faces")).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('.candidates img')].every((i) => i.complete && i.naturalWidth)")
    screenshot(page, "admin-enrol-two-faces")
    _axe(page, "a two-face photo")
    result.locator("button", has_text="Neither of these faces").click()
    page.wait_for_url(pupil_url)
    expect(page.locator(".flash")).to_contain_text(f"Nothing enrolled from two.jpg: none of its faces was {NAME}.")
    expect(_enrolled_faces(page)).to_have_count(1)

    # picking the other person's face: far from the pupil's enrolled face, so not kept without a yes
    result = _upload(page, two_face_photo)
    page.wait_for_function("() => [...document.querySelectorAll('.candidates img')].every((i) => i.complete && i.naturalWidth)")
    other = _the_other_persons_face(page)
    result.locator("button", has_text=f"This is {NAME} (face {other})").click()
    result = page.locator(".enrol-result")
    expect(result).to_have_attribute("data-status", "far_from_others")
    expect(result).to_contain_text(f"This face does not look like {NAME}'s faces already enrolled")
    check = result.locator(".far-check[role=alert]")
    expect(check.locator("img")).to_have_count(2)  # the face to confirm beside the one enrolled
    expect(check.locator("img").nth(1)).to_have_attribute("alt", f"{NAME}, enrolled face 1")
    page.wait_for_function("() => [...document.querySelectorAll('.far-check img')].every((i) => i.complete && i.naturalWidth)")
    screenshot(page, "admin-enrol-crosscheck")
    _axe(page, "the cross-check")
    check.locator("button", has_text="No, do not enrol it").click()
    page.wait_for_url(pupil_url)
    expect(page.locator(".flash")).to_contain_text("Nothing enrolled from two.jpg")
    expect(_enrolled_faces(page)).to_have_count(1)

    # someone else's photo on its own asks the same; a deliberate yes enrols it
    result = _upload(page, SOMEONE_ELSE / "Abdullah_0001.jpg")
    expect(result).to_have_attribute("data-status", "far_from_others")
    result.locator("button", has_text=f"Yes, this is {NAME}: enrol it").click()
    expect(page.locator(".enrol-result")).to_have_attribute("data-status", "accepted")
    page.goto(pupil_url)
    expect(_enrolled_faces(page)).to_have_count(2)

    # removing a face asks first; "Keep it" keeps it
    _enrolled_faces(page).nth(1).locator("button", has_text="Remove").click()
    expect(page.locator("h1")).to_have_text(f"Remove this face of {NAME}?")
    expect(page.locator("main")).to_contain_text("cannot be restored")
    page.wait_for_function("() => [...document.querySelectorAll('main img')].every((i) => i.complete && i.naturalWidth)")
    screenshot(page, "admin-remove-face")
    _axe(page, "the remove confirmation")
    page.click("a:has-text('Keep it')")
    page.wait_for_url(pupil_url)
    expect(_enrolled_faces(page)).to_have_count(2)
    _enrolled_faces(page).nth(1).locator("button", has_text="Remove").click()
    page.click("button:has-text('Yes, remove this face')")
    page.wait_for_url(pupil_url)
    expect(page.locator(".flash")).to_contain_text("Photo removed")
    expect(_enrolled_faces(page)).to_have_count(1)

    # the audit log tells each step in a sentence
    page.click(f"text=Everything the audit log holds about {NAME}")
    log = page.locator("table.audit tbody")
    expect(log).to_contain_text(f"crosscheck-it removed one of {NAME}'s enrolled faces")
    expect(log).to_contain_text(f"tried to enrol a face for {NAME}; it was refused (none of the faces was the pupil)")
    expect(log).to_contain_text(f"tried to enrol a face for {NAME}; it was refused (it did not look like the pupil's "
                                "faces already enrolled)")
    assert log.locator("tr", has_text=f"enrolled a face for {NAME}").count() >= 2
    assert "_" not in log.inner_text()  # no status codes
