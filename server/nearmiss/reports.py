"""Reports from staff ("this is wrong") and the Director of IT's answers, read from the audit log.

Both are audit events, so neither can be changed: a report is `report.false_alarm` or
`report.exception` about one check (its target); an answer is `report.answered` naming the report's
event id. The Director's queue (server/admin/reports.py) and the member of staff's own near-misses
(GET /api/v1/checks/mine, the extension's popup) read them here, so both show the same answer.

What goes back to staff is the decision and the reply, with any listed pupil's name in it masked
when it is read: the Director may name a pupil while answering, and staff must never learn from a
reply who is on the no-publish list (names added to the list later are masked too).
"""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import services
from server.display import stored_utc
from server.models import AuditEvent

#: What a member of staff can say is wrong, and the audit action it becomes.
REPORT_KINDS = {"false_alarm": "report.false_alarm", "exception": "report.exception"}
REPORT_ACTIONS = tuple(REPORT_KINDS.values())
ANSWERED = "report.answered"
#: The Director of IT's decisions, in the words both the queue and the member of staff see.
DECISIONS = {"agree": "Agreed: the rule or the list will be changed", "exception": "Exception granted",
             "disagree": "The finding stands"}
PUPIL_MASK = "[a pupil]"


def latest_answers(db: Session, report_ids: Iterable[int]) -> dict[int, AuditEvent]:
    """The latest answer to each of these reports (a report may have none yet)."""
    wanted = set(report_ids)
    if not wanted:
        return {}
    found: dict[int, AuditEvent] = {}
    for event in db.execute(select(AuditEvent).where(AuditEvent.action == ANSWERED)
                            .order_by(AuditEvent.at, AuditEvent.id)).scalars():
        report_id = (event.details or {}).get("report_id")
        if report_id in wanted:
            found[report_id] = event
    return found


def mask_pupil_names(text: str, db: Session) -> str:
    """`text` with every listed pupil's name (and its usual variants) replaced by "[a pupil]"."""
    names = services.nopublish().names(db)
    merged: list[list[int]] = []
    for start, end, _ in sorted(names.find(text) if names is not None else []):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + PUPIL_MASK + text[end:]
    return text


def for_staff(db: Session, check_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Each check's reports, oldest first, each with the Director's answer or None, as the member of
    staff who made them sees them (never who else was involved, never a pupil's name)."""
    ids = list(check_ids)
    if not ids:
        return {}
    reports = db.execute(select(AuditEvent).where(AuditEvent.action.in_(REPORT_ACTIONS),
                                                  AuditEvent.target.in_(ids))
                         .order_by(AuditEvent.at, AuditEvent.id)).scalars().all()
    answers = latest_answers(db, (r.id for r in reports))
    kinds = {action: kind for kind, action in REPORT_KINDS.items()}
    found: dict[str, list[dict[str, Any]]] = {}
    for report in reports:
        answer = answers.get(report.id)
        details = answer.details if answer is not None else {}
        found.setdefault(report.target, []).append({
            "kind": kinds[report.action],
            "reported_at": stored_utc(report.at),
            "reason": (report.details or {}).get("reason"),
            "answer": None if answer is None else {
                "decision": details.get("decision"),
                "decision_words": DECISIONS.get(details.get("decision"), "Answered"),
                "text": mask_pupil_names(details.get("answer") or "", db),
                "answered_at": stored_utc(answer.at),
            },
        })
    return found
