"""`secondlook log …`: retention of the near-miss log.

`secondlook log purge` deletes near-miss records and clean-check counts older than the policy's
`[log] retention_days` (default 365). It is meant for a daily cron job: running it twice does
nothing the second time, it always exits 0 when the database is reachable, and it prints what it
did on one line. Every run that deletes something (not a dry run) is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server import audit
from server.db import mark_purged, session_factory
from server.models import Check, CleanCheckCount, CleanCheckTally

log_group = AppGroup("log", help="The near-miss log: retention.")


@dataclass
class PurgeResult:
    cutoff: datetime
    checks: int
    day_counts: int


def purge(db: Session, days: int, now: datetime | None = None, dry_run: bool = False) -> PurgeResult:
    """Delete (or, for a dry run, count) records older than `days` days, in one transaction.

    The cut-off is a UTC midnight, so a record is kept for at least `days` whole days and every
    run on the same day deletes the same set.
    """
    now = now or datetime.now(timezone.utc)
    cutoff_day: date = now.astimezone(timezone.utc).date() - timedelta(days=days)
    cutoff = datetime.combine(cutoff_day, time.min, tzinfo=timezone.utc)
    old_checks = Check.created_at < cutoff
    if dry_run:
        checks = db.execute(select(func.count(Check.id)).where(old_checks)).scalar_one()
        counts = db.execute(select(func.count()).select_from(CleanCheckCount)
                            .where(CleanCheckCount.day < cutoff_day)).scalar_one()
        counts += db.execute(select(func.count()).select_from(CleanCheckTally)
                             .where(CleanCheckTally.day < cutoff_day)).scalar_one()
        return PurgeResult(cutoff, int(checks), int(counts))
    mark_purged(db)
    checks = db.execute(delete(Check).where(old_checks)).rowcount
    counts = db.execute(delete(CleanCheckCount).where(CleanCheckCount.day < cutoff_day)).rowcount
    counts += db.execute(delete(CleanCheckTally).where(CleanCheckTally.day < cutoff_day)).rowcount
    if checks or counts:
        audit.record(db, "cli", "log.purge", "near-miss log", days=days, cutoff=cutoff_day.isoformat(),
                     checks=checks, day_counts=counts)
    db.commit()
    return PurgeResult(cutoff, int(checks), int(counts))


@log_group.command("purge")
@click.option("--days", type=click.IntRange(1, 36500), default=None,
              help="Keep this many days instead of the policy's [log] retention_days.")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
def purge_command(days: int | None, dry_run: bool) -> None:
    """Delete near-miss records and clean-check counts older than the retention period."""
    policy = current_app.extensions["secondlook.policy"]
    keep = days if days is not None else policy.retention_days
    with session_factory()() as db:
        result = purge(db, keep, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {result.checks} near-miss record(s) and {result.day_counts} daily count(s) "
               f"from before {result.cutoff.date().isoformat()} (keeping {keep} days).")
