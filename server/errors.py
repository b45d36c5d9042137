"""One error shape for every failure: {"error": {"code", "message", "fields"}}.

API clients always get JSON with a stable code; a person on an admin page gets the same message
as a small HTML page. Unexpected exceptions are logged here and answered with `internal`, never
with a traceback.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

#: HTTP status -> stable error code (DESIGN.md).
CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    431: "request_header_fields_too_large",
    500: "internal",
    503: "unavailable",
}

MESSAGES = {
    400: "The request could not be understood.",
    401: "A valid staff token is required.",
    403: "You are not allowed to do that.",
    404: "Nothing is here.",
    405: "That method is not allowed here.",
    413: "The request body is too large.",
    415: "That content type is not accepted here.",
    414: "The address is too long.",
    429: "Too many requests; slow down and try again shortly.",
    431: "The request headers are too large.",
    500: "Something went wrong on the server; it has been logged.",
}


class ApiError(Exception):
    """Raise anywhere in a request to answer with the error shape."""

    def __init__(self, status: int, message: str | None = None, fields: dict[str, Any] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "invalid_request")
        self.message = message or MESSAGES.get(status, "The request failed.")
        self.fields = fields or {}


def _wants_html() -> bool:
    if request.path.startswith("/api/"):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes[best] > request.accept_mimetypes["application/json"]


def error_response(status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> Response:
    if _wants_html():
        body = render_template("error.html", status=status, code=code, message=message, fields=fields or {})
        response = current_app.make_response((body, status))
    else:
        response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
        response.status_code = status
    return response


def _handle_api_error(err: ApiError) -> Response:
    return error_response(err.status, err.code, err.message, err.fields)


def _handle_http(err: HTTPException) -> Response:
    status = err.code or 500
    message = MESSAGES.get(status) or (err.description or "The request failed.")
    if status == 400 and err.description and "CSRF" in err.description:
        message = "The form expired or was not sent from this site; reload the page and try again."
    response = error_response(status, CODES.get(status, "invalid_request"), message)
    if status == 405 and err.valid_methods:
        response.headers["Allow"] = ", ".join(err.valid_methods)
    return response


def _handle_unexpected(err: Exception) -> Response:
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal", MESSAGES[500])


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _handle_api_error)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
