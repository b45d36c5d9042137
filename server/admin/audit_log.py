"""The audit log page: who did what and when, in sentences with links, filtered by who, action,
pupil and date, and exported as CSV for the data protection officer (admins only).

Read-only by design: there is no route that edits or deletes an entry.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from flask import Response, current_app, render_template, request
from sqlalchemy import Select, func, select

from server import audit
from server.admin.blueprint import bp
from server.admin.audit_text import ACTION_WORDS, PupilNames, sentence, since_created
from server.admin.login import current_user, login_required
from server.db import get_db
from server.display import csv_lines, local, local_iso, school_zone
from server.models import AuditEvent

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters() -> dict[str, Any]:
    since, until = _day(request.args.get("from")), _day(request.args.get("to"))
    return {"actor": (request.args.get("actor") or "").strip(), "action": (request.args.get("action") or "").strip(),
            "target": (request.args.get("target") or "").strip()[:200], "from": since, "to": until}


def _query(f: dict[str, Any]) -> Select:
    query = select(AuditEvent)
    if f["target"] and (current := since_created(get_db(), f["target"])) is not None:
        query = query.where(current)  # not a removed pupil's events that had the same entry number
    if f["actor"]:
        query = query.where(func.lower(AuditEvent.actor) == f["actor"].lower())
    if f["action"]:
        query = query.where(AuditEvent.action == f["action"])
    if f["target"]:
        query = query.where(AuditEvent.target == f["target"])
    zone = school_zone()  # days are the school's days
    if f["from"]:
        query = query.where(AuditEvent.at >= datetime.combine(f["from"], time.min, zone).astimezone(timezone.utc))
    if f["to"]:
        query = query.where(AuditEvent.at < datetime.combine(f["to"] + timedelta(days=1), time.min, zone)
                            .astimezone(timezone.utc))
    return query


def _args(f: dict[str, Any]) -> dict[str, str]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in f.items() if v}


@bp.get("/audit")
@login_required("admin")
def audit_log() -> Any:
    db = get_db()
    f = _filters()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = _query(f)
    total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    events = db.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).scalars().all()
    names = PupilNames(db, list(events))
    rows = [(e, sentence(e, names)) for e in events]
    actions = db.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars().all()
    actors = db.execute(select(AuditEvent.actor).where(AuditEvent.actor.is_not(None)).distinct()
                        .order_by(AuditEvent.actor).limit(500)).scalars().all()
    target_name = PupilNames(db, [AuditEvent(target=f["target"], action="")]).mention(f["target"])[0] \
        if f["target"] else ""
    body = render_template(
        "admin/audit_log.html", rows=rows, actions=[(a, ACTION_WORDS.get(a, a)) for a in actions], actors=actors,
        total=total, page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), filters=_args(f),
        target_name=target_name)
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/audit/export.csv")
@login_required("admin")
def audit_export() -> Any:
    """The filtered log as CSV (oldest first), itself audited."""
    db = get_db()
    f = _filters()
    events = list(db.execute(_query(f).order_by(AuditEvent.at, AuditEvent.id).limit(EXPORT_LIMIT)).scalars())
    names = PupilNames(db, events)

    # built here, not while streaming: sentences need the request (for their links' URLs)
    rows = [[local_iso(e.at), e.actor or "", f"{e.actor or 'Someone'} {sentence(e, names).text}", e.action,
             e.target or "", e.ip or ""] for e in events]

    audit.record(db, current_user().name, "audit.export", "audit log", rows=len(events), filters=_args(f))
    db.commit()
    stamp = local(datetime.now(timezone.utc), "%Y%m%d-%H%M")
    response = Response(csv_lines(("when", "who", "what", "action_id", "target_id", "from_address"), rows),
                        mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
