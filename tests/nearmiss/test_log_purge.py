"""`secondlook log purge`: deletes records past the retention period, idempotent, audited."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from server.nearmiss.retention import purge
from server.db import session_factory
from server.models import AuditEvent, Check, CleanCheckCount, CleanCheckTally
from tests.support.helpers import make_test_app
from tests.support.nearmiss_seed import add_check


def count(app, model) -> int:
    with session_factory(app)() as db:
        return db.execute(select(func.count()).select_from(model)).scalar_one()


def add_clean_days(app, *days_ago: int) -> None:
    today = datetime.now(timezone.utc).date()
    with session_factory(app)() as db:
        for n in days_ago:
            day = today - timedelta(days=n)
            db.add(CleanCheckCount(day=day, count=3))
            db.add(CleanCheckTally(day=day, platform="x", account_type="personal", ruleset="abc", count=3))
        db.commit()


@pytest.fixture
def seeded(app, make_staff):
    staff, _ = make_staff("alice")
    keep = [add_check(app, staff.id, days_ago=d) for d in (0, 10, 364)]
    old = [add_check(app, staff.id, days_ago=d) for d in (367, 800)]
    add_clean_days(app, 0, 364, 366, 900)
    return keep, old


def test_purge_deletes_only_old_records_and_is_idempotent(app, runner, seeded):
    keep, old = seeded
    res = runner.invoke(args=["log", "purge"])
    assert res.exit_code == 0, res.output
    assert "Deleted 2 near-miss record(s) and 4 daily count(s)" in res.output and "keeping 365 days" in res.output
    with session_factory(app)() as db:
        assert set(db.execute(select(Check.id)).scalars()) == set(keep)
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "log.purge")).scalar_one()
    assert event.actor == "cli" and event.details["checks"] == 2 and event.details["days"] == 365
    assert count(app, CleanCheckCount) == 2 and count(app, CleanCheckTally) == 2
    again = runner.invoke(args=["log", "purge"])
    assert again.exit_code == 0 and "Deleted 0 near-miss record(s) and 0 daily count(s)" in again.output
    with session_factory(app)() as db:  # a run that deletes nothing leaves no audit noise
        assert db.execute(select(func.count()).where(AuditEvent.action == "log.purge")).scalar_one() == 1


def test_dry_run_deletes_nothing(app, runner, seeded):
    res = runner.invoke(args=["log", "purge", "--dry-run"])
    assert res.exit_code == 0 and "Would delete 2 near-miss record(s) and 4 daily count(s)" in res.output
    assert count(app, Check) == 5 and count(app, CleanCheckCount) == 4
    with session_factory(app)() as db:
        assert db.execute(select(func.count()).where(AuditEvent.action == "log.purge")).scalar_one() == 0


def test_days_override(app, runner, seeded):
    keep, _ = seeded
    res = runner.invoke(args=["log", "purge", "--days", "30"])
    assert res.exit_code == 0 and "Deleted 3 near-miss record(s)" in res.output and "keeping 30 days" in res.output
    assert count(app, Check) == 2
    assert runner.invoke(args=["log", "purge", "--days", "0"]).exit_code != 0


def test_retention_comes_from_the_policy(tmp_path, backend):
    from checks_common.policy import default_policy_text
    policy = tmp_path / "policy.toml"
    policy.write_text(default_policy_text().replace("retention_days = 365", "retention_days = 90"), encoding="utf-8")
    app, cleanup = make_test_app(tmp_path, backend, POLICY=str(policy))
    try:
        from server.staff import create_staff
        with app.app_context():
            staff, _, _ = create_staff("bob", "staff")
        add_check(app, staff.id, days_ago=100)
        add_check(app, staff.id, days_ago=80)
        res = app.test_cli_runner().invoke(args=["log", "purge"])
        assert res.exit_code == 0 and "keeping 90 days" in res.output
        assert count(app, Check) == 1
    finally:
        cleanup()


def test_cutoff_is_a_utc_midnight(app, seeded):
    now = datetime(2030, 6, 15, 23, 59, tzinfo=timezone.utc)
    with session_factory(app)() as db:
        result = purge(db, 10, now=now, dry_run=True)
    assert result.cutoff == datetime(2030, 6, 5, tzinfo=timezone.utc)
    assert result.cutoff.date() == date(2030, 6, 5)
