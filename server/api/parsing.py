"""How the API reads a request: webargs' Flask parser (used by flask-smorest's `@bp.arguments`),
made to answer every refusal with the project's error shape and codes (server/errors.py).

Locations: `json` (a JSON object, or 415/400/422), `query` (the schema's own `unknown`, so a
stray parameter is refused as in a body) and `draft` (POST /check: the Draft from a JSON body, or
from the `draft` part of a multipart form whose other parts may only be `images`).
"""
from __future__ import annotations

import json
from typing import Any

from flask import Request, current_app, request
from marshmallow import Schema, ValidationError
from webargs.flaskparser import FlaskParser

from image_checks import ImageInput
from image_checks.intake import IntakeError, accept
from server.api.intake import intake_api_error
from server.errors import ApiError

MULTIPART = "multipart/form-data"


def json_object(req: Request) -> dict[str, Any]:
    """The body as a JSON object: 415 if it is not JSON, 400 if it does not parse, 422 if not an object."""
    if not req.is_json:
        raise ApiError(415, "Send JSON (Content-Type: application/json).")
    try:
        data = req.get_json(silent=True)
    except RecursionError:  # '{"a":' nested thousands deep (tests/api/test_fuzz_api.py): not a 500
        data = None
    if data is None:
        raise ApiError(400, "The body is not valid JSON.")
    if not isinstance(data, dict):
        raise ApiError(422, "The body must be a JSON object.", {"_schema": ["Expected a JSON object."]})
    return data


def draft_part(req: Request) -> dict[str, Any]:
    """The multipart form's one `draft` part, as a JSON object; any part but `draft` and `images` is refused."""
    unknown = [k for k in req.form if k != "draft"] + [k for k in req.files if k != "images"]
    if unknown:
        raise ApiError(422, "Unknown parts in the form.", {k: ["Unknown field."] for k in unknown})
    raw = req.form.getlist("draft")
    if len(raw) != 1:
        raise ApiError(422, "Send exactly one 'draft' part.", {"draft": ["Missing data for required field."]
                                                              if not raw else ["Send it once."]})
    try:
        data = json.loads(raw[0])
    except (ValueError, RecursionError):
        raise ApiError(422, "The 'draft' part is not valid JSON.", {"draft": ["Not valid JSON."]}) from None
    if not isinstance(data, dict):
        raise ApiError(422, "The body must be a JSON object.", {"_schema": ["Expected a JSON object."]})
    return data


def uploaded_images() -> list[ImageInput]:
    """Up to MAX_IMAGES files named `images` (none unless multipart), each sniffed by content and
    hashed here, once (`intake.accept`)."""
    if request.mimetype != MULTIPART:
        return []
    files = request.files.getlist("images")
    limit = current_app.config["MAX_IMAGES"]
    if len(files) > limit:
        raise ApiError(422, f"At most {limit} images can be checked at once.",
                       {"images": [f"At most {limit} images."]})
    max_bytes = current_app.config["MAX_IMAGE_BYTES"]
    images = []
    for index, storage in enumerate(files):
        upload = ImageInput(index=index, data=storage.read(max_bytes + 1), filename=storage.filename or "")
        try:
            images.append(accept(upload, max_bytes))
        except IntakeError as err:
            raise intake_api_error(err) from None
    return images


class ApiParser(FlaskParser):
    #: Each schema's own `unknown` (StrictSchema: RAISE) holds in every location, query included.
    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {}
    __location_map__ = {**FlaskParser.__location_map__, "draft": "load_draft"}

    def load_json(self, req: Request, schema: Schema) -> Any:
        return json_object(req)

    def load_draft(self, req: Request, schema: Schema) -> Any:
        return draft_part(req) if req.mimetype == MULTIPART else json_object(req)

    def handle_error(self, error: ValidationError, req: Request, schema: Schema, *,  # noqa: ARG002
                     error_status_code: int | None, error_headers: Any) -> None:
        """A schema refused the input: 422 naming each field (webargs keys the messages by location)."""
        ((location, messages),) = error.messages.items()
        if not isinstance(messages, dict):
            messages = {"_schema": messages}
        message = "Some query parameters are not valid." if location == "query" else "Some fields are not valid."
        raise ApiError(422, message, messages)
