"""Routes of the v1 API. Each view has one success answer; every failure is an ApiError."""
from __future__ import annotations

import json
from typing import Any

from flask import current_app, g, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import text as sql_text

from checks_common import Draft
from image_checks import ImageInput
from image_checks.intake import IntakeError, accept
from server import alerts
from server.api.blueprint import bp
from server.api.intake import intake_api_error
from server.api.openapi import openapi_document
from server.api.schemas import (
    DraftSchema,
    check_response_schema,
    health_schema,
    outcome_response_schema,
    outcome_schema,
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


def _load(schema: Any, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ApiError(422, "The body must be a JSON object.", {"_schema": ["Expected a JSON object."]})
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ApiError(422, "Some fields are not valid.", err.normalized_messages()) from None


def _json_body() -> Any:
    if not request.is_json:
        raise ApiError(415, "Send JSON (Content-Type: application/json).")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # '{"a":' nested thousands deep (tests/api/test_fuzz_api.py): not a 500
        data = None
    if data is None:
        raise ApiError(400, "The body is not valid JSON.")
    return data


def _draft_schema() -> DraftSchema:
    return DraftSchema(max_text_chars=current_app.config["MAX_TEXT_CHARS"])


def _read_multipart() -> tuple[dict[str, Any], list[ImageInput]]:
    """A `draft` part (JSON) and up to MAX_IMAGES files named `images`, each sniffed by content and
    hashed here, once (`intake.accept`)."""
    unknown = [k for k in request.form if k != "draft"] + [k for k in request.files if k != "images"]
    if unknown:
        raise ApiError(422, "Unknown parts in the form.", {k: ["Unknown field."] for k in unknown})
    raw = request.form.getlist("draft")
    if len(raw) != 1:
        raise ApiError(422, "Send exactly one 'draft' part.", {"draft": ["Missing data for required field."]
                                                              if not raw else ["Send it once."]})
    try:
        data = json.loads(raw[0])
    except (ValueError, RecursionError):
        raise ApiError(422, "The 'draft' part is not valid JSON.", {"draft": ["Not valid JSON."]}) from None
    draft = _load(_draft_schema(), data)
    files = request.files.getlist("images")
    limit = current_app.config["MAX_IMAGES"]
    if len(files) > limit:
        raise ApiError(422, f"At most {limit} images can be checked at once.",
                       {"images": [f"At most {limit} images."]})
    images = []
    for index, storage in enumerate(files):
        data_bytes = storage.read(current_app.config["MAX_IMAGE_BYTES"] + 1)
        upload = ImageInput(index=index, data=data_bytes, filename=storage.filename or "")
        try:
            images.append(accept(upload, current_app.config["MAX_IMAGE_BYTES"]))
        except IntakeError as err:
            raise intake_api_error(err) from None
    return draft, images


@bp.get("/health")
def health() -> Any:
    """Liveness and database reachability; no token needed."""
    try:
        get_db().execute(sql_text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001  (health must answer, whatever the database does)
        current_app.logger.exception("health: database unreachable")
        database = "unreachable"
    status = "ok" if database == "ok" else "degraded"
    return jsonify(health_schema.dump({"status": status, "version": VERSION, "database": database})), (
        200 if status == "ok" else 503)


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document(current_app))


@bp.post("/check")
@token_required
def check() -> Any:
    """Check a draft (JSON, or multipart with images) and answer with findings and a verdict."""
    if request.mimetype == "multipart/form-data":
        data, images = _read_multipart()
    else:
        data, images = _load(_draft_schema(), _json_body()), []
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
    body = {
        "check_id": result.check_id,
        "verdict": result.verdict,
        "elapsed_ms": round(result.elapsed_ms, 2),
        "findings": [finding_for_client(f, draft.text) for f in result.findings],
    }
    if result.stripped_images:
        body["stripped_images"] = result.stripped_images
    return jsonify(check_response_schema.dump(body))


def own_check(db: Any, check_id: str) -> Check:
    """The caller's own logged check, or a 404 that says why there may be none."""
    record = db.get(Check, check_id) if len(check_id) <= 32 else None
    if record is None or record.staff_id != g.staff.id:
        raise ApiError(404, "No check with that id was logged for you (checks that found nothing are not kept).")
    return record


@bp.post("/checks/<check_id>/outcome")
@token_required
def outcome(check_id: str) -> Any:
    """What the member of staff did after a check that found something: the first report stands,
    later ones are kept as history (server/nearmiss/outcomes.py); 409 once the record has been reviewed."""
    data = _load(outcome_schema, _json_body())
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
    if first_outcome:  # one alert per draft, queued: the answer never waits for the mail server
        rules = (record.rules or "").split()
        if record.verdict == "block" and record.account_type == "school":
            alerts.block_on_school_account(record.id, g.staff.name, record.platform, rules)
        elif record.flagged:
            alerts.posted_over_warning(record.id, g.staff.name, record.platform, rules)
    return jsonify(outcome_response_schema.dump(
        {"check_id": record.id, "outcome": record.outcome, "flagged": record.flagged}))
