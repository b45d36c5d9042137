"""What the member of staff did after a near-miss: the first outcome stands, later ones are history.

A member of staff who posted over a warning could once report `cancelled` afterwards and wipe the
flag and the reason. Now every report is appended to `outcome_reports` and audited; only the first
one (or the close as `edited` when the draft changed before any report) sets the record's outcome,
and once a reviewer has marked the record reviewed nothing about it changes any more.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import audit
from server.errors import ApiError
from server.models import Check, OutcomeReport


def report(db: Session, record: Check, actor: str, action: str, reason: str | None) -> bool:
    """Add an outcome report (in the caller's transaction); returns whether it is the one that stands.

    Raises ApiError 409 (`already_reviewed`) once a reviewer has marked the record reviewed.
    """
    if record.reviewed_at is not None:
        raise ApiError(409, "This near-miss has been reviewed: its outcome can no longer change.",
                       {"action": ["The record has been reviewed."]}, code="already_reviewed")
    now = datetime.now(timezone.utc)
    first = record.outcome is None
    db.add(OutcomeReport(check_id=record.id, at=now, action=action, override_reason=reason, stands=first))
    if first:
        record.outcome = action
        record.override_reason = reason
        record.outcome_at = now
        record.flagged = action == "posted" and record.verdict == "warn"
    audit.record(db, actor, "check.outcome" if first else "check.outcome_later", record.id, reported=action,
                 standing=record.outcome, flagged=bool(record.flagged), reason_given=reason is not None)
    return first


def history(db: Session, check_id: str) -> list[OutcomeReport]:
    """Every report for a near-miss, oldest first."""
    query = select(OutcomeReport).where(OutcomeReport.check_id == check_id).order_by(OutcomeReport.at, OutcomeReport.id)
    return list(db.execute(query).scalars())
