"""The pupils to check by eye: names and year groups of name-only pupils, to signed-in people only."""
from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from server.db import session_factory
from server.models import AuditEvent, Pupil
from tests.support.helpers import draft
from tests.support.image_synth import strangers
from tests.support.pupil_fixtures import login

URL = "/admin/check-by-eye"


@pytest.fixture
def pupils(app: Any) -> None:
    with app.app_context(), session_factory()() as db:
        db.add_all([
            Pupil(display_name="Amira Withdrawn", year_group="Year 7", reason="safeguarding",
                  reason_note="court order", consent_withdrawn=True),
            Pupil(display_name="Ben Objects", year_group="Year 9", reason="no-consent", pupil_objected=True),
            Pupil(display_name="Cara Enrolled", year_group="Year 7", reason="no-consent"),
            Pupil(display_name="Dev Noyear", reason="no-consent", consent_withdrawn=True),
        ])
        db.commit()


def audit_rows(app: Any) -> list[AuditEvent]:
    with app.app_context(), session_factory()() as db:
        return list(db.execute(select(AuditEvent).where(AuditEvent.action == "check_by_eye.viewed")).scalars())


def test_a_staff_member_signs_in_chooses_year_7_and_sees_only_its_name_only_pupils(app, client, make_staff, pupils):
    make_staff("teacher", "staff", password="teacher-password-1")
    login(client, "teacher", "teacher-password-1")
    first = client.get(URL).get_data(as_text=True)
    assert "Year 7" in first and "Year 9" in first and "Amira" not in first  # nothing before a choice
    page = client.get(URL, query_string={"year": "Year 7"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Amira Withdrawn" in body
    assert "Ben Objects" not in body            # another year group
    assert "Cara Enrolled" not in body          # the face check covers her
    assert "safeguarding" not in body and "court order" not in body  # never the reason
    (event,) = audit_rows(app)
    assert event.actor == "teacher" and event.details == {"year_groups": ["Year 7"], "names_shown": 1}


def test_year_group_not_recorded_and_several_years(client, make_staff, pupils):
    make_staff("teacher", "staff", password="teacher-password-1")
    login(client, "teacher", "teacher-password-1")
    body = client.get(URL, query_string={"year": ["Year 9", "none"]}).get_data(as_text=True)
    assert "Ben Objects" in body and "Dev Noyear" in body and "Amira" not in body


def test_an_api_token_alone_lists_nobody(app, client, token, pupils):
    res = client.get(URL, query_string={"year": "Year 7"}, headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 302 and "/admin/login" in res.headers["Location"]
    assert "Amira" not in res.get_data(as_text=True)
    assert audit_rows(app) == []


def test_staff_without_a_password_cannot_sign_in_and_staff_open_no_admin_page(client, make_staff, pupils):
    make_staff("nopass", "staff")
    res = client.post("/admin/login", data={"name": "nopass", "password": ""})
    assert res.status_code in (400, 401)
    make_staff("teacher", "staff", password="teacher-password-1")
    login(client, "teacher", "teacher-password-1")
    for page in ("/admin/pupils", "/admin/audit", "/admin/review", "/admin/staff"):
        assert client.get(page).status_code == 403, page
    home = client.get("/admin/").get_data(as_text=True)
    assert "Pupils to check by eye" in home and "No-publish list" not in home


def test_the_api_warning_for_a_stranger_links_here_and_the_link_needs_a_session(app, client, token, pupils):
    from server.nopublish.state import bump_version
    with app.app_context(), session_factory()() as db:
        bump_version(db)
        db.commit()
    body = {"draft": json.dumps(draft("Sports day", account_type="school", account_handle="@KJSSport")),
            "images": (io.BytesIO(strangers(1)[0].read_bytes()), "photo.jpg")}
    res = client.post("/api/v1/check", data=body, headers={"Authorization": f"Bearer {token}"},
                      content_type="multipart/form-data")
    findings = [f for f in res.get_json()["findings"] if f["rule"] == "name-only-pupil-face"]
    assert len(findings) == 1 and findings[0]["link"]["href"].endswith(URL)
    assert "Amira" not in res.get_data(as_text=True)
    assert client.get(findings[0]["link"]["href"], headers={"Authorization": f"Bearer {token}"}).status_code == 302
