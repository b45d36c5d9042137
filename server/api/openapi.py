"""The OpenAPI 3 document of the v1 API, built by flask-smorest from the views and their
marshmallow schemas: nothing here describes a path by hand."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api

from server import services
from server.api.schemas import ErrorSchema

TITLE = "Second Look API"
DESCRIPTION = "Second Look checks a social media draft against the school's policy."


class SecondLookApi(Api):
    """flask-smorest's Api, minus its own error answers: every failure keeps the project's shape
    and stable codes (server/errors.py handles them all)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        pass  # server.errors.init_app answers every HTTPException


def init_app(app: Flask, *blueprints: Any) -> SecondLookApi:
    """Register the API blueprints and describe them; the document is served by `GET /openapi.json`."""
    app.config.setdefault("API_TITLE", TITLE)
    app.config.setdefault("API_VERSION", "1.0.0")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    api = SecondLookApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    services.register(app, services.OPENAPI, api)
    return api
