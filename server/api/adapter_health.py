"""POST /api/v1/adapter-health: the extension reports a composer it could not gate.

Staff token required (only installed extensions report), schema-validated with unknown fields
refused (so a draft can never ride along), rate-limited per token (server/limits.py).
"""
from __future__ import annotations

from typing import Any

from server.adapter_health import record
from server.api.blueprint import SECURED, bp
from server.api.schemas import AdapterHealthResponseSchema, AdapterHealthSchema
from server.auth import token_required
from server.db import get_db


@bp.post("/adapter-health")
@token_required
@bp.doc(summary="The extension could not gate a composer (never the draft)", security=SECURED)
@bp.arguments(AdapterHealthSchema)
@bp.response(202, AdapterHealthResponseSchema, description="Counted")
@bp.errors(400, 401, 413, 415, 422, 429, 500)
def adapter_health(report: dict[str, Any]) -> Any:
    """Count one adapter-health report; answers 202 with how many counters it touched."""
    db = get_db()
    recorded = record(db, **report)
    db.commit()
    return {"recorded": recorded}
