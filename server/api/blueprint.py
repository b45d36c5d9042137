"""The `api` blueprint itself, which the package's view modules register their routes on.

A flask-smorest Blueprint: `@bp.arguments` parses and validates a request with a marshmallow
schema (server/api/parsing.py answers refusals in the project's error shape), `@bp.response` and
`@bp.alt_response` serialise and document the answers, and the OpenAPI document is built from them
(server/api/openapi.py).
"""
from __future__ import annotations

from typing import Any, Callable

from flask_smorest import Blueprint

from server.api.parsing import ApiParser
from server.api.schemas import ErrorSchema

#: Why each status can answer (the OpenAPI descriptions of the error answers).
ERRORS = {
    400: "Malformed body", 401: "Missing, wrong or revoked token", 404: "Not found", 409: "Conflict",
    413: "Body too large", 415: "Wrong content type or image type", 422: "Invalid fields",
    429: "Rate limited", 500: "Internal error", 503: "A service it depends on is unavailable",
}
#: The `security` of an operation that needs a staff token, and of one that does not.
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
OPEN: list[dict[str, list[str]]] = []


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = ApiParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "draft": "application/json"}

    def errors(self, *statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Document the error answers a view can give (each in the shape of `ErrorSchema`)."""
        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            for status in statuses:
                view = self.alt_response(status, schema=ErrorSchema, description=ERRORS[status])(view)
            return view
        return decorator


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")
