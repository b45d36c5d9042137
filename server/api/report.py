"""POST /api/v1/checks/<id>/report: "this is wrong" from the block or warn dialog, or the phone page.

A member of staff reports a false alarm or asks for an exception about one of their own logged
checks, with one tap. Nothing of the draft is sent or stored: the report points at the check
(whose log record is already redacted) and carries at most a preset or short reason, redacted like
an override reason. Reports are audit events, so they cannot be changed; the Director of IT answers
them on /admin/reports.
"""
from __future__ import annotations

from typing import Any

from flask import g

from server import audit
from server.api.blueprint import SECURED, bp
from server.api.schemas import REPORT_KINDS, ReportResponseSchema, ReportSchema
from server.api.views import own_check
from server.auth import token_required
from server.check_service import redact_free_text
from server.db import get_db

@bp.post("/checks/<check_id>/report")
@token_required
@bp.doc(summary="\"This is wrong\": report a false alarm or ask for an exception (no draft is sent)",
        security=SECURED)
@bp.arguments(ReportSchema)
@bp.response(200, ReportResponseSchema, description="Sent to the Director of IT")
@bp.errors(400, 401, 404, 415, 422, 500)
def report(data: dict[str, Any], check_id: str) -> Any:
    """Tell the Director of IT a finding is wrong (false_alarm) or ask for an exception."""
    db = get_db()
    record = own_check(db, check_id)
    reason = (data.get("reason") or "").strip()
    audit.record(db, g.staff.name, REPORT_KINDS[data["kind"]], record.id,
                 reason=redact_free_text(reason, db, limit=300) if reason else None,
                 rules=(record.rules or "").split())
    db.commit()
    return {"check_id": record.id, "kind": data["kind"], "status": "sent"}
