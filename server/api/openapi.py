"""The OpenAPI 3 document of the v1 API, generated from the marshmallow schemas (apispec)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from server.api import schemas
from server.api.signin_schemas import document as document_signin

ERRORS = {
    "400": "Malformed body", "401": "Missing, wrong or revoked token", "404": "Not found",
    "413": "Body too large", "415": "Wrong content type or image type", "422": "Invalid fields",
    "429": "Rate limited", "500": "Internal error",
}


def _errors(*statuses: str) -> dict[str, Any]:
    return {s: {"description": ERRORS[s], "content": {"application/json": {"schema": "Error"}}} for s in statuses}


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


@lru_cache(maxsize=4)
def _build(title: str) -> dict[str, Any]:
    spec = APISpec(title=title, version="1.0.0", openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   info={"description": "Second Look checks a social media draft against the school's policy."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in ("Draft", "Finding", "CheckResponse", "Outcome", "OutcomeResponse", "Health", "Error",
                 "MyChecksResponse"):
        spec.components.schema(name, schema=getattr(schemas, f"{name}Schema"))
    secured = [{"bearer": []}]
    spec.path("/api/v1/health", operations={"get": {
        "summary": "Liveness and database reachability", "security": [],
        "responses": {"200": {"description": "OK", **_json("Health")}, "503": {"description": "Degraded",
                                                                              **_json("Health")}}}})
    spec.path("/api/v1/openapi.json", operations={"get": {
        "summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3"}}}})
    spec.path("/api/v1/check", operations={"post": {
        "summary": "Check a draft (text, and up to 4 images)", "security": secured,
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": "Draft"},
            "multipart/form-data": {"schema": {"type": "object", "required": ["draft"], "properties": {
                "draft": {"type": "string", "description": "The Draft object as JSON"},
                "images": {"type": "array", "maxItems": 4, "items": {"type": "string", "format": "binary"}}}}},
        }},
        "responses": {"200": {"description": "Findings and verdict", **_json("CheckResponse")},
                      **_errors("400", "401", "413", "415", "422", "429", "500")}}})
    spec.path("/api/v1/checks/{check_id}/outcome", operations={"post": {
        "summary": "Report what was done after a check (posted, edited, cancelled)", "security": secured,
        "parameters": [{"in": "path", "name": "check_id", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"required": True, **_json("Outcome")},
        "responses": {"200": {"description": "Recorded", **_json("OutcomeResponse")},
                      **_errors("400", "401", "404", "415", "422", "500")}}})
    spec.path("/api/v1/checks/mine", operations={"get": {
        "summary": "Your own near-misses, redacted, newest first", "security": secured,
        "parameters": [{"in": "query", "schema": schemas.MyChecksQuerySchema}],
        "responses": {"200": {"description": "One page of your near-misses", **_json("MyChecksResponse")},
                      **_errors("401", "422", "500")}}})
    spec.components.schema("AdapterHealth", schema=schemas.AdapterHealthSchema)
    spec.components.schema("AdapterHealthResponse", schema=schemas.AdapterHealthResponseSchema)
    spec.path("/api/v1/adapter-health", operations={"post": {
        "summary": "The extension could not gate a composer (never the draft)", "security": secured,
        "requestBody": {"required": True, **_json("AdapterHealth")},
        "responses": {"202": {"description": "Counted", **_json("AdapterHealthResponse")},
                      **_errors("400", "401", "413", "415", "422", "429", "500")}}})
    document_signin(spec, _json, _errors)  # /api/v1/signin/…
    return spec.to_dict()


def openapi_document(app: Flask) -> dict[str, Any]:
    return _build("Second Look API")
