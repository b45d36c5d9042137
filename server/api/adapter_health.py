"""POST /api/v1/adapter-health: the extension reports a composer it could not gate.

Staff token required (only installed extensions report), schema-validated with unknown fields
refused (so a draft can never ride along), rate-limited per token (server/limits.py).
"""
from __future__ import annotations

from typing import Any

from flask import jsonify

from server.adapter_health import record
from server.api.blueprint import bp
from server.api.schemas import adapter_health_response_schema, adapter_health_schema
from server.api.views import _json_body, _load
from server.auth import token_required
from server.db import get_db


@bp.post("/adapter-health")
@token_required
def adapter_health() -> Any:
    """Count one adapter-health report; answers 202 with how many counters it touched."""
    report = _load(adapter_health_schema, _json_body())
    db = get_db()
    recorded = record(db, **report)
    db.commit()
    return jsonify(adapter_health_response_schema.dump({"recorded": recorded})), 202
