"""IT imports a spreadsheet of pupils in Chromium: the template CSV comes from the form, the report
keeps the admin navigation, and the rows that were not imported download as a CSV (each with why)
that, put right, imports as it is. Screenshot: admin-import-report.png.
"""
from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.pages import allow_axe, serious_axe_violations, sign_in

pytestmark = pytest.mark.browser

ROWS = ("name,reference,year_group,reason,review_by\n"
        "Ada Imported,IMP-1,Year 7,no-consent,2031-07-31\n"
        "Ben Imported,IMP-2,Year 8,safeguarding,31/07/2031\n"
        "Cal Notyet,IMP-3,Year 9,because,2031-07-31\n"
        "Dee Notyet,IMP-4,Year 9,no-consent,someday\n")


@pytest.fixture
def leave_no_imports(live_server: Any) -> Any:
    yield
    from sqlalchemy import select

    from server.db import get_db
    from server.models import Pupil
    from server.nopublish import records
    with live_server.app.app_context():
        db = get_db()
        for pupil in db.execute(select(Pupil).where(Pupil.reference.like("IMP-%"))).scalars().all():
            records.remove_pupil(db, "it-admin", pupil, why="test cleanup")
        db.commit()


def _download_text(page: Any, selector: str) -> tuple[str, str]:
    with page.expect_download() as got:
        page.click(selector)
    download = got.value
    with open(download.path(), encoding="utf-8") as file:
        return download.suggested_filename, file.read()


def test_import_report_keeps_navigation_and_gives_the_failed_rows_back(live_server: Any, page: Any, screenshot: Any,
                                                                       leave_no_imports: Any, tmp_path: Any) -> None:
    live_server.staff("import-it", "admin")
    allow_axe(page)
    page.goto(f"{live_server.url}/admin/login?next=/admin/pupils/import")
    sign_in(page, "import-it", "pw-import-it")
    page.wait_for_url("**/admin/pupils/import")

    name, template = _download_text(page, "#template-csv")
    assert name == "no-publish-import-template.csv" and template.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(template.lstrip("\ufeff"))))
    assert header[:5] == ["name", "reference", "year_group", "reason", "review_by"]

    upload = tmp_path / "pupils.csv"
    upload.write_text(ROWS, encoding="utf-8")
    page.set_input_files("#csv", str(upload))
    page.click("main button[type=submit]")
    expect(page.locator(".import-summary")).to_contain_text("Done: 2 imported, 2 not imported, of 4.")

    # the admin navigation is still there, on the streamed report
    nav = page.locator("header.top nav")
    expect(nav.locator("a", has_text="No-publish list")).to_be_visible()
    expect(page.locator("header.top button", has_text="Sign out")).to_be_visible()
    expect(page.locator("#failed-csv")).to_have_text("Download the 2 rows not imported (CSV)")
    assert serious_axe_violations(page) == []
    page.locator(".import-summary").scroll_into_view_if_needed()
    screenshot(page, "admin-import-report")

    name, failed = _download_text(page, "#failed-csv")
    assert name.startswith("import-not-imported-") and failed.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(failed.lstrip("\ufeff"))))
    assert [(r[1], r[2]) for r in rows[1:]] == [("4", "Cal Notyet"), ("5", "Dee Notyet")]
    assert "reason" in rows[1][0] and "Not a date" in rows[2][0]

    # put right in the spreadsheet, the same file imports
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(failed.replace("because", "looked-after").replace("someday", "2031-07-31"), encoding="utf-8")
    nav.locator("a", has_text="No-publish list").click()
    page.goto(f"{live_server.url}/admin/pupils/import")
    page.set_input_files("#csv", str(fixed))
    page.click("main button[type=submit]")
    expect(page.locator(".import-summary")).to_contain_text("Done: 2 imported, 0 not imported, of 2.")
    assert page.locator("#failed-csv").count() == 0
