"""Reports from staff ("this is wrong"): the Director of IT's queue, and their answers.

Reports and answers are audit events (append-only), read through server/nearmiss/reports.py: the
member of staff sees the answer with that check in GET /api/v1/checks/mine (the extension's popup).
The queue shows unanswered reports first, each with the rules that fired (titles) and a link to the
redacted near-miss; tuning a rule or the list is then done where it always is (the policy file,
the no-publish list).
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from server import audit
from server.admin.blueprint import bp
from server.admin.login import current_user, login_required
from server.db import get_db
from server.display import rule_title
from server.models import AuditEvent
from server.nearmiss.reports import DECISIONS, REPORT_ACTIONS, latest_answers

ANSWER_MAX = 1000


@bp.get("/reports")
@login_required("admin")
def reports() -> Any:
    db = get_db()
    events = db.execute(select(AuditEvent).where(AuditEvent.action.in_(REPORT_ACTIONS))
                        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(500)).scalars().all()
    answers = latest_answers(db, (e.id for e in events))
    rows = [{"event": e, "answer": answers.get(e.id),
             "rules": [rule_title(r) for r in (e.details or {}).get("rules", [])]} for e in events]
    rows.sort(key=lambda r: r["answer"] is not None)  # unanswered first, newest first within each
    return render_template("admin/reports.html", rows=rows, decisions=DECISIONS, answer_max=ANSWER_MAX)


@bp.post("/reports/<int:event_id>/answer")
@login_required("admin")
def report_answer(event_id: int) -> Any:
    db = get_db()
    event = db.get(AuditEvent, event_id)
    if event is None or event.action not in REPORT_ACTIONS:
        abort(404)
    decision = request.form.get("decision", "")
    answer = (request.form.get("answer") or "").strip()
    if decision not in DECISIONS or not answer or len(answer) > ANSWER_MAX:
        flash(f"Choose a decision and write an answer (at most {ANSWER_MAX} characters).", "error")
        return redirect(url_for("admin.reports"))
    audit.record(db, current_user().name, "report.answered", event.target, report_id=event.id,
                 to=event.actor, decision=decision, answer=answer)
    db.commit()
    flash(f"Answered {event.actor}'s report.", "ok")
    return redirect(url_for("admin.reports"))
