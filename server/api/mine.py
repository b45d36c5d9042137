"""GET /api/v1/checks/mine: a member of staff's own near-misses, so the log is open to the people in it.

They see exactly what reviewers see of their checks (the redacted excerpt, rules, outcome and
whether it has been reviewed), never anyone else's and never the reviewer's note; and with each
check their "this is wrong" reports and the Director of IT's answers (server/nearmiss/reports.py).
"""
from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import func, select

from server import services
from server.api.blueprint import SECURED, bp
from server.api.schemas import MyChecksQuerySchema, MyChecksResponseSchema
from server.auth import token_required
from server.db import get_db
from server.display import rule_title, stored_utc
from server.models import Check
from server.nearmiss import reports


def _item(check: Check, my_reports: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "check_id": check.id, "created_at": stored_utc(check.created_at), "platform": check.platform,
        "account_type": check.account_type, "audience": check.audience, "verdict": check.verdict,
        "rules": (check.rules or "").split(), "rule_titles": [rule_title(r) for r in (check.rules or "").split()],
        "findings": check.findings or [], "excerpt": check.excerpt,
        "images": check.images or [], "outcome": check.outcome, "override_reason": check.override_reason,
        "flagged": bool(check.flagged), "reviewed": check.reviewed_at is not None, "reports": my_reports,
    }


@bp.get("/checks/mine")
@token_required
@bp.doc(summary="Your own near-misses, redacted, newest first", security=SECURED)
@bp.arguments(MyChecksQuerySchema, location="query")
@bp.response(200, MyChecksResponseSchema, description="One page of your near-misses")
@bp.errors(401, 422, 500)
def my_checks(args: dict[str, Any]) -> Any:
    """The caller's near-misses, newest first, one page at a time."""
    db = get_db()
    mine = Check.staff_id == g.staff.id
    total = db.execute(select(func.count(Check.id)).where(mine)).scalar_one()
    rows = db.execute(select(Check).where(mine).order_by(Check.created_at.desc(), Check.id.desc())
                      .limit(args["per_page"]).offset((args["page"] - 1) * args["per_page"])).scalars().all()
    answered = reports.for_staff(db, [c.id for c in rows])
    body = {"items": [_item(c, answered.get(c.id, [])) for c in rows], "page": args["page"],
            "per_page": args["per_page"], "total": int(total), "retention_days": services.policy().retention_days}
    return body
