"""The no-publish list cannot be listed through the check API.

One request naming a school roll once came back with the exact positions of every listed pupil in
it. Now:

* a draft naming more than `NOPUBLISH_MAX_NAMES_PER_DRAFT` (2) listed pupils gets one generic block,
  without positions or a count, instead of a finding per name; the attempt is audited
  (`nopublish.many_names`) and shown to IT as a banner on the admin pages;
* each member of staff's checks are tallied per UTC day by the distinct listed pupils they named
  (keyed hashes of the pupil ids); passing `NOPUBLISH_DAILY_PUPILS_ALERT` is audited
  (`nopublish.many_pupils_today`) and shown as a banner too;
* the near-miss log compares the set of named pupils (a keyed hash of their ids, never the names)
  so that checks of one draft naming different pupils are separate records, not one that shows
  only the last (server/nearmiss/recording.py).
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from flask import Flask, current_app, g
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from checks_common import Finding
from server import audit
from server.models import AuditEvent, PupilMatchTally, Staff
from text_checks.rules.no_publish_name import NoPublishName

#: Audit actions that put a banner on the admin pages for IT.
ALERT_ACTIONS = ("nopublish.many_names", "nopublish.many_pupils_today")
ALERT_DAYS = 7
MANY_NAMES_MESSAGE = ("This draft names several pupils who are on the school's no-publish list. It cannot "
                      "be posted, and the list cannot be checked name by name.")
MANY_NAMES_SUGGESTION = "Remove the pupils' names. Do not post anything that identifies them."


def _keyed(value: str) -> str:
    """HMAC-SHA-256 with the app's secret, shortened: equal inputs compare equal, nothing reverses it."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def pupils_key(pupil_ids: list[int]) -> str | None:
    """The keyed hash of a set of pupil ids (None for no pupils)."""
    return _keyed("pupils:" + ",".join(str(i) for i in sorted(set(pupil_ids)))) if pupil_ids else None


def _many_names_finding(like: Finding) -> Finding:
    return Finding(rule=like.rule, severity="block", message=MANY_NAMES_MESSAGE, suggestion=MANY_NAMES_SUGGESTION,
                   clause=like.clause, span=None, explanation={"kind": "many names"}, redact_as=NoPublishName.mask)


def guard(db: Session, staff: Staff, findings: list[Finding]) -> tuple[list[Finding], str | None]:
    """Apply the limits to a check's findings (in the caller's transaction).

    Returns the findings to answer with and the keyed hash of the listed pupils the draft names
    (the no-publish-name rule keeps each pupil's id in `explanation["pupil"]`, server-side only).
    """
    pupil_ids = sorted({f.explanation["pupil"] for f in findings
                        if f.rule == NoPublishName.id and "pupil" in f.explanation})
    if not pupil_ids:
        return findings, None
    _tally(db, staff, pupil_ids)
    if len(pupil_ids) > current_app.config["NOPUBLISH_MAX_NAMES_PER_DRAFT"]:
        named = [f for f in findings if f.rule == NoPublishName.id]
        if named:
            findings = [f for f in findings if f.rule != NoPublishName.id] + [_many_names_finding(named[0])]
        audit.record(db, staff.name, "nopublish.many_names", f"staff:{staff.id}", listed_pupils_named=len(pupil_ids))
    return findings, pupils_key(pupil_ids)


def _tally(db: Session, staff: Staff, pupil_ids: list[int]) -> None:
    """Count the distinct listed pupils this member of staff named today; alert once past the limit."""
    today = datetime.now(timezone.utc).date()
    mine = (PupilMatchTally.day == today) & (PupilMatchTally.staff_id == staff.id)
    known = set(db.execute(select(PupilMatchTally.pupil_key).where(mine)).scalars())
    new = {_keyed(f"pupil:{p}") for p in pupil_ids} - known
    if not new:
        return
    db.add_all(PupilMatchTally(day=today, staff_id=staff.id, pupil_key=k) for k in sorted(new))
    db.execute(delete(PupilMatchTally).where(PupilMatchTally.day < today - timedelta(days=1)))
    limit = current_app.config["NOPUBLISH_DAILY_PUPILS_ALERT"]
    if len(known) <= limit < len(known) + len(new):  # crossed just now: one alert a day
        audit.record(db, staff.name, "nopublish.many_pupils_today", f"staff:{staff.id}",
                     listed_pupils_named_today=len(known) + len(new), limit=limit)


def security_alerts() -> int:
    """How many enumeration alerts the last ALERT_DAYS days hold (for the admins' banner)."""
    user = g.get("user")
    if user is None or user.role != "admin":
        return 0
    from server.db import get_db
    since = datetime.now(timezone.utc) - timedelta(days=ALERT_DAYS)
    query = select(func.count(AuditEvent.id)).where(AuditEvent.action.in_(ALERT_ACTIONS), AuditEvent.at >= since)
    return int(get_db().execute(query).scalar_one())


def init_app(app: Flask) -> None:
    app.jinja_env.globals["security_alerts"] = security_alerts
