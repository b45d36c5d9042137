"""Routes of the v1 API. Each view has one success answer; every failure is an ApiError."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request
from sqlalchemy import text as sql_text

from checks_common import Draft
from image_checks.intake import IntakeError
from server import services
from server.api.blueprint import OPEN, SECURED, bp
from server import alerts
from server.api.intake import intake_api_error
from server.api.parsing import uploaded_images
from server.api.schemas import (
    CheckResponseSchema,
    DraftSchema,
    DraftUploadSchema,
    HealthSchema,
    OutcomeResponseSchema,
    OutcomeSchema,
)
from server.auth import token_required
from server.check_service import finding_for_client, redact_free_text, run_check
from server.db import get_db
from server.errors import ApiError
from server.models import Check
from server.nearmiss import outcomes

VERSION = "1"


@bp.before_request
def _limit_body() -> None:
    """Refuse oversize bodies before anything reads them: 1 MB for JSON, 40 MB for multipart."""
    if request.method not in {"POST", "PUT", "PATCH"}:
        return
    multipart = request.mimetype == "multipart/form-data"
    limit = current_app.config["MAX_MULTIPART_BYTES" if multipart else "MAX_JSON_BYTES"]
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"The request body is larger than {limit // (1024 * 1024)} MB.")


@bp.get("/health")
@bp.doc(summary="Liveness and database reachability", security=OPEN)
@bp.response(200, HealthSchema, description="OK")
@bp.alt_response(503, schema=HealthSchema, description="Degraded")
def health() -> Any:
    """Liveness, database reachability and whether this worker's models are loaded; no token needed."""
    try:
        get_db().execute(sql_text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001  (health must answer, whatever the database does)
        current_app.logger.exception("health: database unreachable")
        database = "unreachable"
    status = "ok" if database == "ok" else "degraded"
    from server.warmup import models_state

    return ({"status": status, "version": VERSION, "database": database, "models": models_state()},
            200 if status == "ok" else 503)


@bp.get("/openapi.json")
@bp.doc(summary="This document", security=OPEN)
@bp.response(200, description="OpenAPI 3")
def openapi() -> Any:
    return jsonify(services.openapi().spec.to_dict())


@bp.post("/check")
@token_required  # before the body is read: no token, no parsing
@bp.doc(summary="Check a draft (text, and up to 4 images)", security=SECURED,
        requestBody={"content": {"multipart/form-data": {"schema": DraftUploadSchema}}})
@bp.arguments(DraftSchema, location="draft")
@bp.response(200, CheckResponseSchema, description="Findings and verdict")
@bp.errors(400, 401, 413, 415, 422, 429, 500)
def check(data: dict[str, Any]) -> Any:
    """Check a draft (JSON, or multipart with images) and answer with findings and a verdict."""
    images = uploaded_images()
    draft = Draft(
        text=data["text"] or "",
        platform=data["platform"],
        account_type=data["account_type"],
        account_handle=data.get("account_handle"),
        audience=data["audience"],
        client=data.get("client"),
    )
    try:
        result = run_check(draft, images, g.staff, get_db(), client_draft_id=data.get("client_draft_id"))
    except IntakeError as err:  # an image that sniffed right but does not decode (bomb, truncated)
        raise intake_api_error(err) from None
    if result.alert_block:  # the draft's one alert, queued: the answer never waits for the mail server
        alerts.block_on_school_account(result.check_id, g.staff.name, draft.platform,
                                       sorted({f.rule for f in result.findings}))
    body = {
        "check_id": result.check_id,
        "verdict": result.verdict,
        "elapsed_ms": round(result.elapsed_ms, 2),
        "findings": [finding_for_client(f, draft.text) for f in result.findings],
    }
    if result.stripped_images:
        body["stripped_images"] = result.stripped_images
    return body


def own_check(db: Any, check_id: str) -> Check:
    """The caller's own logged check, or a 404 that says why there may be none."""
    record = db.get(Check, check_id) if len(check_id) <= 32 else None
    if record is None or record.staff_id != g.staff.id:
        raise ApiError(404, "No check with that id was logged for you (checks that found nothing are not kept).")
    return record


@bp.post("/checks/<check_id>/outcome")
@token_required
@bp.doc(summary="Report what was done after a check (posted, edited, cancelled)", security=SECURED)
@bp.arguments(OutcomeSchema)
@bp.response(200, OutcomeResponseSchema, description="Recorded")
@bp.errors(400, 401, 404, 409, 415, 422, 500)
def outcome(data: dict[str, Any], check_id: str) -> Any:
    """What the member of staff did after a check that found something: the first report stands,
    later ones are kept as history (server/nearmiss/outcomes.py); 409 once the record has been reviewed."""
    db = get_db()
    record = own_check(db, check_id)
    reason = (data.get("override_reason") or "").strip() or None
    if data["action"] == "posted":
        if record.verdict == "block":
            raise ApiError(422, "A blocked draft cannot be posted; edit it or cancel.",
                           {"action": ["A block cannot be overridden."]})
        if record.verdict == "warn" and not reason:
            raise ApiError(422, "Posting over a warning needs a reason.",
                           {"override_reason": ["Required when posting over a warning."]})
    first_outcome = outcomes.report(db, record, g.staff.name, data["action"], redact_free_text(reason, db) if reason else None)
    db.commit()
    # One alert per draft, queued: the answer never waits for the mail server. A block on a school
    # account has already alerted when it was checked (check() above), so its outcome does not.
    if first_outcome and record.flagged:
        alerts.posted_over_warning(record.id, g.staff.name, record.platform, (record.rules or "").split())
    return {"check_id": record.id, "outcome": record.outcome, "flagged": record.flagged}
