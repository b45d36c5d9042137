"""The audit log page: who did what and when, filtered by actor, action and date (admins only).

Read-only by design: there is no route that edits or deletes an entry.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from flask import current_app, render_template, request
from sqlalchemy import func, select

from server.admin.blueprint import bp
from server.admin.login import login_required
from server.db import get_db
from server.models import AuditEvent

PAGE_SIZE = 100


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/audit")
@login_required("admin")
def audit_log() -> Any:
    db = get_db()
    actor = (request.args.get("actor") or "").strip()
    action = (request.args.get("action") or "").strip()
    since, until = _day(request.args.get("from")), _day(request.args.get("to"))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = select(AuditEvent)
    if actor:
        query = query.where(func.lower(AuditEvent.actor) == actor.lower())
    if action:
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min, timezone.utc))
    if until:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min, timezone.utc))
    total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    events = db.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).scalars().all()
    actions = db.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars().all()
    actors = db.execute(select(AuditEvent.actor).where(AuditEvent.actor.is_not(None)).distinct()
                        .order_by(AuditEvent.actor).limit(500)).scalars().all()
    body = render_template(
        "admin/audit_log.html", events=events, actions=actions, actors=actors, total=total, page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        filters={"actor": actor, "action": action, "from": since.isoformat() if since else "",
                 "to": until.isoformat() if until else ""})
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
