"""Outcome reports as the log records them: validation, flagging, and redacted override reasons."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from checks_common import Clause, Finding
from server.db import session_factory
from server.models import Check
from tests.support.nearmiss_seed import add_check


def post(client, auth, check_id, body, **kwargs):
    return client.post(f"/api/v1/checks/{check_id}/outcome", json=body, headers=auth, **kwargs)


@pytest.fixture
def mine(app, make_staff):
    staff, token = make_staff("alice")
    return staff, {"Authorization": f"Bearer {token}"}


def stored(app, check_id) -> Check:
    with session_factory(app)() as db:
        return db.get(Check, check_id)


OUTCOME_CASES = [
    ("block", {"action": "edited"}, 200, False),
    ("block", {"action": "cancelled"}, 200, False),
    ("block", {"action": "posted", "override_reason": "I checked"}, 422, None),
    ("warn", {"action": "posted"}, 422, None),
    ("warn", {"action": "posted", "override_reason": "   "}, 422, None),
    ("warn", {"action": "posted", "override_reason": None}, 422, None),
    ("warn", {"action": "posted", "override_reason": "Disclaimer is in my bio"}, 200, True),
    ("advice", {"action": "posted"}, 200, False),
    ("warn", {"action": "posted", "override_reason": "x" * 501}, 422, None),
    ("warn", {"action": "deleted"}, 422, None),
    ("warn", {}, 422, None),
    ("warn", {"action": "edited", "flagged": False}, 422, None),
]


def test_outcome_validation(app, client, mine):
    """Every case on one app (a fresh near-miss each), to keep the suite fast."""
    staff, auth = mine
    for verdict, body, status, flagged in OUTCOME_CASES:
        cid = add_check(app, staff.id, verdict=verdict)
        check_outcome(app, client, auth, cid, body, status, flagged)


def check_outcome(app, client, auth, cid, body, status, flagged):
    res = post(client, auth, cid, body)
    assert res.status_code == status, (body, res.json)
    row = stored(app, cid)
    if status == 200:
        assert res.json["flagged"] is flagged and row.flagged is flagged and row.outcome == body["action"]
        assert row.outcome_at is not None
    else:
        assert res.json["error"]["code"] == "invalid_request" and row.outcome is None


def test_the_first_outcome_stands_and_later_ones_are_history(app, client, mine):
    """Posting over a warning and then reporting `cancelled` once erased the evidence."""
    from server.models import AuditEvent, OutcomeReport
    staff, auth = mine
    cid = add_check(app, staff.id)
    assert post(client, auth, cid, {"action": "posted", "override_reason": "fine"}).json["flagged"] is True
    res = post(client, auth, cid, {"action": "cancelled"})
    assert res.status_code == 200 and res.json["outcome"] == "posted" and res.json["flagged"] is True
    row = stored(app, cid)
    assert row.outcome == "posted" and row.flagged is True and row.override_reason == "fine"
    with session_factory(app)() as db:
        reports = db.execute(select(OutcomeReport).where(OutcomeReport.check_id == cid)
                             .order_by(OutcomeReport.id)).scalars().all()
        events = db.execute(select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.target == cid)
                            .order_by(AuditEvent.id)).all()
    assert [(r.action, r.stands) for r in reports] == [("posted", True), ("cancelled", False)]
    assert events == [("check.outcome", "alice"), ("check.outcome_later", "alice")]


def test_nothing_changes_after_review(app, client, mine, make_staff):
    from tests.support.pupil_fixtures import login
    staff, auth = mine
    cid = add_check(app, staff.id)
    assert post(client, auth, cid, {"action": "posted", "override_reason": "fine"}).status_code == 200
    make_staff("rev", "reviewer")
    reviewer = app.test_client()
    csrf = login(reviewer, "rev")
    assert reviewer.post(f"/admin/review/{cid}", data={"note": "ok", "csrf_token": csrf}).status_code == 302
    res = post(client, auth, cid, {"action": "cancelled"})
    assert res.status_code == 409 and res.json["error"]["code"] == "already_reviewed"
    row = stored(app, cid)
    assert row.outcome == "posted" and row.flagged is True and row.override_reason == "fine"


def test_outcome_errors_are_json(app, client, mine, make_staff):
    staff, auth = mine
    cid = add_check(app, staff.id)
    assert post(client, auth, "f" * 33, {"action": "edited"}).status_code == 404
    res = client.post(f"/api/v1/checks/{cid}/outcome", data="action=edited", headers=auth,
                      content_type="application/x-www-form-urlencoded")
    assert res.status_code == 415 and res.json["error"]["code"] == "unsupported_media_type"
    assert client.post(f"/api/v1/checks/{cid}/outcome", json={"action": "edited"}).status_code == 401


def test_override_reason_is_redacted_like_the_excerpt(app, client, mine, monkeypatch):
    staff, auth = mine
    cid = add_check(app, staff.id)

    class PhoneFinder:  # stands in for the contact rule: finds the number, asks for "[phone]"
        rules: list = []

        def check(self, d, names=None):
            at = d.text.find("07700 900123")
            return [] if at < 0 else [Finding("personal-contact", "warn", "", "", Clause("2.5", "", ""),
                                              span=(at, at + 12), redact_as="[phone]")]

    monkeypatch.setitem(app.extensions, "secondlook.text_checker", PhoneFinder())
    res = post(client, auth, cid, {"action": "posted", "override_reason": "Parent (07700 900123) agreed"})
    assert res.status_code == 200
    assert stored(app, cid).override_reason == "[…] ([phone]) agreed"
    with session_factory(app)() as db:
        assert "900123" not in str(db.execute(select(Check.override_reason)).all())


def test_flagged_override_shows_in_the_review_filter(app, client, mine):
    from tests.nearmiss.test_review_pages import ids_on, session_as
    staff, auth = mine
    cid = add_check(app, staff.id)
    other = add_check(app, staff.id)
    post(client, auth, cid, {"action": "posted", "override_reason": "bio has it"})
    session_as(app, client, "rev", "reviewer")
    assert ids_on(client.get("/admin/review?outcome=flagged")) == {cid}
    assert other in ids_on(client.get("/admin/review?outcome=none"))


def test_the_review_page_shows_later_reports_as_history(app, client, mine, make_staff):
    from tests.support.pupil_fixtures import login
    staff, auth = mine
    cid = add_check(app, staff.id)
    post(client, auth, cid, {"action": "posted", "override_reason": "fine"})
    post(client, auth, cid, {"action": "cancelled"})
    make_staff("rev", "reviewer")
    reviewer = app.test_client()
    login(reviewer, "rev")
    page = reviewer.get(f"/admin/review/{cid}").get_data(as_text=True)
    assert "Later reports" in page and "They said later that they did not post it, on " in page
    assert "cancelled at" not in page  # words for people, not the stored value


def test_later_reports_are_shown_in_the_schools_time(app, client, mine, make_staff):
    """A later report at 13:05 UTC on 1 July is 14:05 in Knaresborough (British Summer Time)."""
    from datetime import datetime, timezone

    from server.models import OutcomeReport
    from tests.support.pupil_fixtures import login
    staff, auth = mine
    cid = add_check(app, staff.id)
    post(client, auth, cid, {"action": "edited"})
    post(client, auth, cid, {"action": "posted", "override_reason": "my bio has it"})
    with session_factory(app)() as db:
        later = db.execute(select(OutcomeReport).where(OutcomeReport.stands.is_(False))).scalar_one()
        later.at = datetime(2026, 7, 1, 13, 5, tzinfo=timezone.utc)
        db.commit()
    make_staff("rev", "reviewer")
    reviewer = app.test_client()
    login(reviewer, "rev")
    page = reviewer.get(f"/admin/review/{cid}").get_data(as_text=True)
    assert "They said later that they posted it, on 01 Jul 2026, 14:05, giving the reason: " in page
    assert "13:05" not in page
