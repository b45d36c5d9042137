"""/api/v1/signin/…: what devices call to get, renew and give up their own tokens.

    GET  config    is school-account sign-in set up here, and where it starts
    POST inspect   {code}                      -> whose sign-in a code carries (code not used)
    POST exchange  {code, device_name, client} -> the device's tokens (the code is used up)
    POST refresh   {refresh_token}             -> new tokens, after re-validating the person
    POST signout   (bearer)                    -> this device's tokens stop working
    GET  me        (bearer)                    -> who this token signs in as, and the device

Tokens are only ever in these answers' bodies; codes and refresh tokens only in request bodies.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g, url_for
from marshmallow import Schema, fields, validate

from server.api.schemas import StrictSchema
from server.api.views import _json_body, _limit_body, _load
from server.auth import token_required
from server.db import get_db
from server.errors import ApiError
from server.signin import devices
from server.signin.provider import ProviderUnavailable, SignInRefused, settings

bp = Blueprint("signin_api", __name__, url_prefix="/api/v1/signin")
bp.before_request(_limit_body)


class CodeSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ExchangeSchema(CodeSchema):
    device_name = fields.String(load_default=None, validate=validate.Length(max=devices.NAME_MAX))
    client = fields.String(load_default="script", validate=validate.OneOf(devices.CLIENTS))


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


def _refused(refused: SignInRefused, status: int = 401) -> ApiError:
    return ApiError(status, str(refused), code=f"signin_{refused.reason}")


@bp.get("/config")
def config() -> Any:
    oidc = settings()
    return {"enabled": oidc.enabled, "issuer": oidc.issuer,
            "start_url": url_for("signin.start", _external=True) if oidc.enabled else None}


@bp.post("/inspect")
def inspect() -> Any:
    data = _load(CodeSchema(), _json_body())
    try:
        row = devices.inspect_code(get_db(), data["code"])
    except SignInRefused as refused:
        raise _refused(refused) from None
    left = int((devices._aware(row.expires_at) - devices.now()).total_seconds())
    return {"staff": {"name": row.staff.name, "role": row.staff.role}, "purpose": row.purpose, "expires_in": left}


@bp.post("/exchange")
def exchange() -> Any:
    data = _load(ExchangeSchema(), _json_body())
    db = get_db()
    try:
        device, access, refresh = devices.redeem_code(db, data["code"], data["device_name"], data["client"])
    except SignInRefused as refused:
        db.rollback()
        raise _refused(refused) from None
    db.commit()
    return devices.token_answer(device, access, refresh)


@bp.post("/refresh")
def refresh() -> Any:
    data = _load(RefreshSchema(), _json_body())
    db = get_db()
    try:
        device, access, refresh_token = devices.refresh_device(db, data["refresh_token"])
    except SignInRefused as refused:
        db.rollback()
        raise _refused(refused) from None
    except ProviderUnavailable as down:
        db.rollback()
        raise ApiError(503, str(down), code="signin_unavailable") from None
    db.commit()
    return devices.token_answer(device, access, refresh_token)


@bp.post("/signout")
@token_required
def signout() -> Any:
    device = g.get("device")
    if device is not None:
        db = get_db()
        devices.revoke_device(db, device, g.staff.name, "signed out on the device")
        db.commit()
    return {"signed_out": device is not None}


@bp.get("/me")
@token_required
def me() -> Any:
    device = g.get("device")
    return {"staff": {"name": g.staff.name, "role": g.staff.role},
            "device": {"id": device.id, "name": device.name, "client": device.client} if device else None}


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
