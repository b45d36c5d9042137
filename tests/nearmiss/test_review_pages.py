"""The near-miss review pages: roles, filters, pagination, detail, marking reviewed, CSV export."""
from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from server.spreadsheet import csv_safe
from server.db import session_factory
from server.models import AuditEvent, Check, Staff
from tests.support.helpers import csrf_from, login
from tests.support.nearmiss_seed import add_check


def sign_in(client, name):
    res = login(client, name)
    assert res.status_code == 302
    return res


def session_as(app, client, name: str, role: str):
    """Sign in without the password form (argon2 is slow on a busy machine; test_admin_login
    and the tests here that say so sign in through the form)."""
    import hashlib

    from server.models import AdminSession
    with session_factory(app)() as db:
        user = Staff(name=name, role=role)
        db.add(user)
        db.flush()
        db.add(AdminSession(id_hash=hashlib.sha256(f"sid-{name}".encode()).hexdigest(), staff_id=user.id))
        db.commit()
    with client.session_transaction() as session:
        session["sid"] = f"sid-{name}"
    return client


@pytest.fixture
def reviewer(app, client):
    return session_as(app, client, "rev", "reviewer")


@pytest.fixture
def people(make_staff):
    alice, _ = make_staff("alice")
    bob, _ = make_staff("bob")
    return alice, bob


def ids_on(res) -> set[str]:
    return set(re.findall(r"/admin/review/([0-9a-f]{32})", res.get_data(as_text=True)))


def test_pages_need_a_signed_in_reviewer(client):
    for url in ("/admin/review", "/admin/review/summary", "/admin/review/export.csv", "/admin/review/" + "a" * 32):
        res = client.get(url)
        assert res.status_code == 302 and "/admin/login" in res.headers["Location"]


def test_staff_token_users_cannot_sign_in_or_use_their_token(client, make_staff):
    _, token = make_staff("teacher")
    page = client.get("/admin/login").get_data(as_text=True)
    res = client.post("/admin/login", data={"name": "teacher", "password": "", "csrf_token": csrf_from(page)})
    assert res.status_code == 401
    res = client.get("/admin/review", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 302


def test_reviewer_sees_the_log_but_not_admin_only_pages(app, reviewer, people):
    add_check(app, people[0].id)
    assert reviewer.get("/admin/review").status_code == 200
    assert reviewer.get("/admin/review/summary").status_code == 200
    admin_only = [rule.rule for rule in app.url_map.iter_rules()
                  if rule.endpoint in {"admin.pupils", "admin.staff_list", "admin.audit_log"}]
    for url in admin_only:
        assert reviewer.get(url, headers={"Accept": "text/html"}).status_code == 403, url
    nav = reviewer.get("/admin/").get_data(as_text=True)
    assert "Near-miss log" in nav and "Audit log" not in nav


def test_an_admin_only_page_refuses_a_reviewer(app, client, make_staff):
    from server.admin.login import login_required
    app.add_url_rule("/admin/only-admins-test", "only_admins_test", login_required("admin")(lambda: "secret"))
    make_staff("rev", "reviewer")
    sign_in(client, "rev")
    res = client.get("/admin/only-admins-test", headers={"Accept": "text/html"})
    assert res.status_code == 403 and "secret" not in res.get_data(as_text=True)
    assert client.get("/admin/review").status_code == 200


def test_admin_sees_the_log_too(client, app, people):
    session_as(app, client, "director", "admin")
    cid = add_check(app, people[0].id)
    assert cid in ids_on(client.get("/admin/review"))


def test_filters(app, reviewer, people):
    alice, bob = people
    old = add_check(app, alice.id, days_ago=40, platform="facebook")
    block = add_check(app, bob.id, rules=("personal-contact", "no-publish-name"), verdict="block", platform="x")
    edited = add_check(app, alice.id, outcome="edited")
    flagged = add_check(app, bob.id, outcome="posted", flagged=True, override_reason="bio has it")
    reviewed = add_check(app, alice.id, reviewed_at=block_time(), reviewed_by="rev")
    everything = {old, block, edited, flagged, reviewed}
    assert ids_on(reviewer.get("/admin/review")) == everything
    cases = {
        "rule=no-publish-name": {block},
        "rule=no-publish": set(),  # a whole rule id, not a prefix
        "severity=block": {block},
        "outcome=edited": {edited},
        "outcome=posted": {flagged},
        "outcome=flagged": {flagged},
        "outcome=none": {old, block, reviewed},
        f"staff={bob.id}": {block, flagged},
        "platform=facebook": {old},
        "reviewed=yes": {reviewed},
        "reviewed=no": everything - {reviewed},
        f"staff={alice.id}&reviewed=no": {old, edited},
    }
    for query, expected in cases.items():
        assert ids_on(reviewer.get(f"/admin/review?{query}")) == expected, query
    form = reviewer.get(f"/admin/review?severity=block&staff={bob.id}").get_data(as_text=True)
    assert '<option value="block" selected>' in form and f'<option value="{bob.id}" selected>bob' in form
    from datetime import date, timedelta
    today = date.today()
    recent = ids_on(reviewer.get(f"/admin/review?from={today - timedelta(days=7)}&to={today}"))
    assert recent == everything - {old}
    early = today - timedelta(days=41)
    assert ids_on(reviewer.get(f"/admin/review?from={early}&to={today - timedelta(days=39)}")) == {old}


def block_time():
    from datetime import datetime, timezone
    return datetime.now(timezone.utc)


def test_bad_filter_values_are_reported_and_ignored(app, reviewer, people):
    cid = add_check(app, people[0].id)
    res = reviewer.get("/admin/review?from=yesterday&severity=huge&rule=<script>&staff=x")
    html = res.get_data(as_text=True)
    assert res.status_code == 200 and cid in ids_on(res)
    assert "not a date" in html and "Unknown severity" in html and "<script>" not in html


def test_pagination(app, reviewer, people):
    ids = [add_check(app, people[0].id, days_ago=i / 100) for i in range(55)]
    first, second = ids_on(reviewer.get("/admin/review")), ids_on(reviewer.get("/admin/review?page=2"))
    assert len(first) == 50 and len(second) == 5 and first | second == set(ids)
    assert set(ids[:50]) == first  # newest first
    assert "page=2" in reviewer.get("/admin/review").get_data(as_text=True)


def test_detail_shows_findings_clause_excerpt_and_outcome(app, reviewer, people):
    cid = add_check(app, people[0].id, rules=("personal-contact",), outcome="posted", flagged=True,
                    override_reason="Parent asked me to", excerpt="…call me on [phone] after…",
                    images=[{"index": 0, "sha256": "ab" * 32, "faces": 2}])
    html = reviewer.get(f"/admin/review/{cid}").get_data(as_text=True)
    assert "Personal contact details" in html and "[phone]" in html and "Parent asked me to" in html
    assert "personal-contact" not in html  # reviewers read titles, not rule ids
    assert "phone numbers, e-mail" in html  # what the rule is about, from the catalogue
    assert "2.5 · Legal considerations" in html  # the clause, quoted from the policy
    assert "2 face(s)" in html and "posted over a warning" in html


def test_unknown_check_is_404(reviewer):
    assert reviewer.get("/admin/review/" + "0" * 32, headers={"Accept": "text/html"}).status_code == 404
    assert reviewer.get("/admin/review/" + "0" * 40).status_code == 404


def test_mark_reviewed_with_a_note_is_audited(app, reviewer, people):
    cid = add_check(app, people[0].id)
    page = reviewer.get(f"/admin/review/{cid}").get_data(as_text=True)
    assert reviewer.post(f"/admin/review/{cid}", data={"note": "Spoke to Alice"}).status_code == 400  # no CSRF
    res = reviewer.post(f"/admin/review/{cid}", data={"note": "Spoke to Alice", "csrf_token": csrf_from(page)})
    assert res.status_code == 302
    with session_factory(app)() as db:
        row = db.get(Check, cid)
        assert row.reviewed_at is not None and row.reviewed_by == "rev" and row.review_note == "Spoke to Alice"
        first_reviewed = row.reviewed_at
        events = db.execute(select(AuditEvent).where(AuditEvent.target == cid)).scalars().all()
        assert [(e.actor, e.action) for e in events] == [("rev", "review.mark")]
    assert ids_on(reviewer.get("/admin/review?reviewed=yes")) == {cid}
    reviewer.post(f"/admin/review/{cid}", data={"note": "Follow-up done", "csrf_token": csrf_from(page)})
    with session_factory(app)() as db:
        row = db.get(Check, cid)
        assert row.review_note == "Follow-up done" and row.reviewed_at == first_reviewed
    too_long = reviewer.post(f"/admin/review/{cid}", data={"note": "x" * 2001, "csrf_token": csrf_from(page)},
                             follow_redirects=True)
    assert "shorten" in too_long.get_data(as_text=True)


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("", ""), (None, ""),
    ("a=b", "a=b"),
])
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_csv_export_follows_filters_is_formula_safe_and_audited(app, reviewer, people):
    alice, bob = people
    evil = add_check(app, alice.id, outcome="posted", flagged=True, override_reason="=cmd|' /C calc'!A0",
                     excerpt="@SUM(1+1) at King James's")
    add_check(app, bob.id, rules=("tone",), verdict="advice")
    res = reviewer.get(f"/admin/review/export.csv?staff={alice.id}")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    assert "attachment" in res.headers["Content-Disposition"]
    text = res.get_data(as_text=True)
    assert text.startswith("\ufeff")  # a byte-order mark, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["check_id"] for r in rows] == [evil]
    assert rows[0]["rules"] == "Missing \"views my own\" disclaimer" and rows[0]["rule_ids"] == "missing-disclaimer"
    assert rows[0]["override_reason"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["excerpt"] == "'@SUM(1+1) at King James's"
    assert rows[0]["staff"] == "alice" and rows[0]["flagged"] == "yes"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())
    with session_factory(app)() as db:
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "review.export")).scalar_one()
    assert event.actor == "rev" and event.details["rows"] == 1 and event.details["filters"] == {"staff": str(alice.id)}


def test_summary_shows_charts_and_retention(app, reviewer, people):
    add_check(app, people[0].id, rules=("personal-contact",), platform="facebook", outcome="edited")
    add_check(app, people[0].id, rules=("tone", "personal-contact"), days_ago=8, outcome="posted", flagged=True)
    add_check(app, people[1].id, rules=("<b>odd-rule</b>",), days_ago=400)  # outside the period
    html = reviewer.get("/admin/review/summary").get_data(as_text=True)
    assert html.count("<svg") == 4
    assert "365 days" in html
    assert "<b>odd-rule" not in html
    assert "style=" not in html and "<style" not in html and "<script" not in html
    weekly = re.search(r'<svg[^>]*>.*?</svg>', html, re.S).group(0)
    # counted by near-miss (2), not by rule firing (3); the rules are in the table beside it
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", weekly).group(1)
    assert sum(int(n) for n in re.findall(r"Warning (\d+)", desc)) == 2
    assert "personal-contact" not in html and "Personal contact details" in html and "Tone" in html
    assert re.search(r"<th scope=\"row\">Personal contact details</th><td>2</td>", html)
    assert "<strong>2</strong> near-misses" in html


def test_summary_period_parameter(app, reviewer, people):
    add_check(app, people[0].id, days_ago=100)
    assert "<strong>0</strong> near-misses" in reviewer.get("/admin/review/summary").get_data(as_text=True)
    assert "<strong>1</strong> near-misses" in reviewer.get("/admin/review/summary?weeks=26").get_data(as_text=True)
    assert reviewer.get("/admin/review/summary?weeks=abc").status_code == 200


def test_summarise_groups_by_week_rule_outcome_and_platform(app, people):
    from datetime import datetime, timezone

    from server.models import CleanCheckCount, CleanCheckTally
    from server.nearmiss.review_data import summarise, week_start
    today = datetime.now(timezone.utc).date()
    add_check(app, people[0].id, rules=("tone", "personal-contact"), outcome="posted", flagged=True)
    add_check(app, people[0].id, rules=("tone",), days_ago=7, outcome="edited", platform="facebook")
    add_check(app, people[0].id, rules=("tone",), days_ago=200)  # outside the period
    with session_factory(app)() as db:
        db.add(CleanCheckCount(day=today, count=5))
        db.add(CleanCheckTally(day=today, platform="x", account_type="personal", ruleset="r1", count=5))
        db.commit()
        summary = summarise(db, 4, today)
        limited = summarise(db, 4, today, series_limit=1)
    assert summary.weeks[-1] == week_start(today) and len(summary.weeks) == 4
    assert dict(summary.per_week_by_rule) == {"tone": [0, 0, 1, 1], "personal-contact": [0, 0, 0, 1]}
    assert dict(summary.per_week_by_verdict) == {"block": [0, 0, 0, 0], "warn": [0, 0, 1, 1], "advice": [0, 0, 0, 0]}
    assert dict(limited.per_week_by_rule) == {"tone": [0, 0, 1, 1], "other": [0, 0, 0, 1]}
    assert dict(summary.outcomes) == {"Edited": 1, "Cancelled": 0, "Overridden (posted)": 1, "No outcome reported": 0}
    assert summary.top_rules == [("tone", 2), ("personal-contact", 1)]
    assert summary.by_platform == [("facebook", 1, 0), ("x", 1, 5)]
    assert (summary.total, summary.clean, summary.unreviewed, summary.flagged_unreviewed) == (2, 5, 3, 1)


def test_times_are_shown_in_the_schools_local_time(app, reviewer, people):
    """11:30 UTC on 1 July is 12:30 in London (British Summer Time); 1 December stays 11:30."""
    from datetime import datetime, timezone
    summer = add_check(app, people[0].id)
    winter = add_check(app, people[0].id)
    with session_factory(app)() as db:
        db.get(Check, summer).created_at = datetime(2026, 7, 1, 11, 30, tzinfo=timezone.utc)
        db.get(Check, winter).created_at = datetime(2026, 12, 1, 11, 30, tzinfo=timezone.utc)
        db.commit()
    assert "12:30:00 BST" in reviewer.get(f"/admin/review/{summer}").get_data(as_text=True)
    assert "11:30:00 GMT" in reviewer.get(f"/admin/review/{winter}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(reviewer.get("/admin/review/export.csv").get_data(as_text=True)[1:])))
    assert {r["created_at"] for r in rows} == {"2026-07-01T12:30:00+01:00", "2026-12-01T11:30:00+00:00"}
