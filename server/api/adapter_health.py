"""POST /api/v1/adapter-health: the extension reports a composer it could not gate.

Staff token required (only installed extensions report), schema-validated with unknown fields
refused (so a draft can never ride along), rate-limited per token (server/limits.py).
"""
from __future__ import annotations

from typing import Any

from flask import jsonify
from marshmallow import RAISE, Schema, fields, validate

from server.adapter_health import KINDS, MISSING, SITES, record
from server.api.blueprint import bp
from server.api.views import _json_body, _load
from server.auth import token_required
from server.db import get_db


class AdapterHealthSchema(Schema):
    class Meta:
        unknown = RAISE

    site = fields.String(required=True, validate=validate.OneOf(SITES))
    adapter = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]{1,32}$"))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    missing = fields.List(fields.String(validate=validate.OneOf(MISSING)), required=True,
                          validate=validate.Length(min=1, max=len(MISSING)))
    extension_version = fields.String(required=True, validate=validate.Regexp(r"^\d{1,5}(\.\d{1,5}){0,3}$"))


class AdapterHealthResponseSchema(Schema):
    recorded = fields.Integer(dump_only=True)


adapter_health_schema = AdapterHealthSchema()
adapter_health_response_schema = AdapterHealthResponseSchema()


@bp.post("/adapter-health")
@token_required
def adapter_health() -> Any:
    """Count one adapter-health report; answers 202 with how many counters it touched."""
    report = _load(adapter_health_schema, _json_body())
    db = get_db()
    recorded = record(db, **report)
    db.commit()
    return jsonify(adapter_health_response_schema.dump({"recorded": recorded})), 202
