"""POST /api/v1/checks/<id>/report: "this is wrong" from the block or warn dialog, or the phone page.

A member of staff reports a false alarm or asks for an exception about one of their own logged
checks, with one tap. Nothing of the draft is sent or stored: the report points at the check
(whose log record is already redacted) and carries at most a preset or short reason, redacted like
an override reason. Reports are audit events, so they cannot be changed; the Director of IT answers
them on /admin/reports.
"""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from server import audit
from server.api.blueprint import bp
from server.api.schemas import REPORT_KINDS, ReportResponseSchema, ReportSchema
from server.api.views import _json_body, _load, own_check
from server.auth import token_required
from server.check_service import redact_free_text
from server.db import get_db

report_schema = ReportSchema()
report_response_schema = ReportResponseSchema()


@bp.post("/checks/<check_id>/report")
@token_required
def report(check_id: str) -> Any:
    """Tell the Director of IT a finding is wrong (false_alarm) or ask for an exception."""
    data = _load(report_schema, _json_body())
    db = get_db()
    record = own_check(db, check_id)
    reason = (data.get("reason") or "").strip()
    audit.record(db, g.staff.name, REPORT_KINDS[data["kind"]], record.id,
                 reason=redact_free_text(reason, db, limit=300) if reason else None,
                 rules=(record.rules or "").split())
    db.commit()
    return jsonify(report_response_schema.dump({"check_id": record.id, "kind": data["kind"], "status": "sent"}))
