"""The no-publish list cannot be listed through the check API (server/nopublish/enumeration.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server import services
from server.db import session_factory
from server.models import AuditEvent, Check, Pupil
from server.nopublish.state import bump_version
from tests.support.helpers import draft
from tests.support.pupil_fixtures import login

LISTED = ["Samantha Jones", "Oliver Twistleton", "Priya Ramaswamy", "Kwame Mensah", "Isla McAllister",
          "Theo Abernathy", "Freya Lindqvist"]
ROLL = ["Adam Cole", "Beth Dunn", "Carl Evans", "Dina Ford", "Eli Grant"]


@pytest.fixture
def listed(app):
    with session_factory(app)() as db:
        db.add_all(Pupil(display_name=name, reference=f"P{i}") for i, name in enumerate(LISTED))
        bump_version(db)
        db.commit()
    services.nopublish(app)._checked_at = 0.0


def check(client, auth, text, **extra):
    res = client.post("/api/v1/check", json={**draft(text, account_type="school"), **extra}, headers=auth)
    assert res.status_code == 200, res.json
    return res.json


def named(body):
    return [f for f in body["findings"] if f["rule"] == "no-publish-name"]


def audit_actions(app):
    with session_factory(app)() as db:
        return [a for (a,) in db.execute(select(AuditEvent.action).order_by(AuditEvent.id))]


def test_two_listed_names_are_shown_where_they_are(client, auth, listed):
    body = check(client, auth, "Well done Samantha Jones and Oliver Twistleton!")
    assert [f["span"] is not None for f in named(body)] == [True, True]


def test_a_roll_with_three_listed_pupils_gets_one_generic_block(app, client, auth, make_staff, listed):
    """202 names once came back with the exact position of both listed pupils."""
    roll = ", ".join(ROLL[:2] + LISTED[:1] + ROLL[2:4] + LISTED[1:3] + ROLL[4:])
    body = check(client, auth, f"Team sheet: {roll}.")
    assert body["verdict"] == "block"
    assert len(named(body)) == 1 and named(body)[0]["span"] is None
    assert "several pupils" in named(body)[0]["message"]
    for name in LISTED[:3]:
        assert name not in str(body)
    assert "nopublish.many_names" in audit_actions(app)
    make_staff("it", "admin")
    login(client, "it")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Possible attempts to list the no-publish list" in page
    # Not for a teacher signed in to check photos by eye: a staff session shows staff pages only.
    make_staff("teacher-eye", "staff", password="pw-teacher-eye")
    teacher = app.test_client()
    login(teacher, "teacher-eye")
    for page in ("/admin/", "/admin/check-by-eye"):
        assert "Possible attempts" not in teacher.get(page).get_data(as_text=True), page


def test_distinct_pupils_per_day_are_counted_and_alerted_once(app, client, auth, listed):
    app.config["NOPUBLISH_DAILY_PUPILS_ALERT"] = 5
    for name in LISTED[:5] + LISTED[:2]:  # five distinct pupils, then repeats: no alert yet
        check(client, auth, f"Congratulations {name}")
    assert "nopublish.many_pupils_today" not in audit_actions(app)
    for name in LISTED[5:]:
        check(client, auth, f"Congratulations {name}")
    assert audit_actions(app).count("nopublish.many_pupils_today") == 1


def test_a_new_record_when_the_named_pupils_change(app, client, auth, listed):
    """Five hits on two pupils under one draft id once merged into one record showing only the last."""
    first = check(client, auth, "Well done Samantha Jones", client_draft_id="d-1")
    again = check(client, auth, "Well done Samantha Jones!", client_draft_id="d-1")
    other = check(client, auth, "Well done Oliver Twistleton", client_draft_id="d-1")
    assert first["check_id"] == again["check_id"] != other["check_id"]
    with session_factory(app)() as db:
        rows = {c.id: c for c in db.execute(select(Check)).scalars()}
    assert rows[first["check_id"]].outcome == "edited" and rows[other["check_id"]].outcome is None
    keys = {r.pupils_key for r in rows.values()}
    assert len(keys) == 2 and all(k and len(k) == 32 for k in keys)  # keyed hashes, not names or ids
