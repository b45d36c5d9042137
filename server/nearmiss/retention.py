"""Retention of the near-miss log: records and clean-check counts older than the policy's
`[log] retention_days` (default 365) are deleted; `secondlook log purge` runs this daily."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server import audit
from server.db import mark_purged
from server.models import Check, CleanCheckCount, CleanCheckTally


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
