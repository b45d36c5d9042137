"""Schemas of /api/v1/signin/… (server/api/signin.py) and their part of the OpenAPI document.

Kept apart from the routes so server/api/openapi.py can document them without importing the
views (which import the OpenAPI module themselves).
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from server.api.schemas import StrictSchema
from server.signin.devices import CLIENTS, NAME_MAX


class CodeSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ExchangeSchema(CodeSchema):
    device_name = fields.String(load_default=None, validate=validate.Length(max=NAME_MAX))
    client = fields.String(load_default="script", validate=validate.OneOf(CLIENTS))


class RefreshSchema(StrictSchema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class StaffRefSchema(Schema):
    name = fields.String()
    role = fields.String()


class DeviceRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    client = fields.String()


class TokensSchema(Schema):
    access_token = fields.String(dump_only=True)
    refresh_token = fields.String(dump_only=True)
    token_type = fields.String(dump_only=True)
    expires_in = fields.Integer(dump_only=True, metadata={"description": "Seconds the access token lasts"})
    staff = fields.Nested(StaffRefSchema, dump_only=True)
    device = fields.Nested(DeviceRefSchema, dump_only=True)


class CodeInfoSchema(Schema):
    staff = fields.Nested(StaffRefSchema, dump_only=True)
    purpose = fields.String(dump_only=True)
    expires_in = fields.Integer(dump_only=True)


class MeSchema(Schema):
    staff = fields.Nested(StaffRefSchema, dump_only=True)
    device = fields.Nested(DeviceRefSchema, dump_only=True, allow_none=True)


class SignInConfigSchema(Schema):
    enabled = fields.Boolean(dump_only=True)
    issuer = fields.String(dump_only=True, allow_none=True)
    start_url = fields.String(dump_only=True, allow_none=True)


def document(spec: Any, json: Any, errors: Any) -> None:
    """Add these operations to the API's OpenAPI document (server/api/openapi.py)."""
    for name, schema in (("SignInCode", CodeSchema), ("SignInExchange", ExchangeSchema),
                         ("SignInRefresh", RefreshSchema), ("DeviceTokens", TokensSchema),
                         ("SignInCodeInfo", CodeInfoSchema), ("SignedInAs", MeSchema),
                         ("SignInConfig", SignInConfigSchema)):
        spec.components.schema(name, schema=schema)
    secured = [{"bearer": []}]

    def post(summary: str, body: str, answer: str, *codes: str) -> dict[str, Any]:
        return {"post": {"summary": summary, "security": [], "requestBody": {"required": True, **json(body)},
                         "responses": {"200": {"description": "OK", **json(answer)}, **errors(*codes)}}}

    spec.path("/api/v1/signin/config", operations={"get": {
        "summary": "Whether sign-in with the school account is set up, and its start address", "security": [],
        "responses": {"200": {"description": "OK", **json("SignInConfig")}}}})
    spec.path("/api/v1/signin/inspect", operations=post(
        "Whose sign-in a single-use code carries (the code stays unused)", "SignInCode", "SignInCodeInfo",
        "400", "401", "415", "422"))
    spec.path("/api/v1/signin/exchange", operations=post(
        "Exchange a single-use sign-in code for this device's tokens", "SignInExchange", "DeviceTokens",
        "400", "401", "415", "422"))
    spec.path("/api/v1/signin/refresh", operations=post(
        "New tokens for this device, after re-checking the person with the school's sign-in service",
        "SignInRefresh", "DeviceTokens", "400", "401", "415", "422"))
    spec.path("/api/v1/signin/signout", operations={"post": {
        "summary": "Sign this device out (its tokens stop working)", "security": secured,
        "responses": {"200": {"description": "Signed out"}, **errors("401")}}})
    spec.path("/api/v1/signin/me", operations={"get": {
        "summary": "Who this token signs in as", "security": secured,
        "responses": {"200": {"description": "OK", **json("SignedInAs")}, **errors("401")}}})
