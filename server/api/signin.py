"""/api/v1/signin/…: what devices call to get, renew and give up their own tokens
(server/signin/ does the work; docs/deployment.md describes the design).

    GET  signin/config    is school-account sign-in set up here, and where it starts
    POST signin/inspect   {code}                      -> whose sign-in a code carries (code not used)
    POST signin/exchange  {code, device_name, client} -> the device's tokens (the code is used up)
    POST signin/refresh   {refresh_token}             -> new tokens, after re-validating the person
    POST signin/signout   (bearer)                    -> this device's tokens stop working
    GET  signin/me        (bearer)                    -> who this token signs in as, and the device

Tokens are only ever in these answers' bodies; codes and refresh tokens only in request bodies.
"""
from __future__ import annotations

from typing import Any

from flask import g, url_for

from server.api.blueprint import OPEN, SECURED, bp
from server.api.signin_schemas import (
    DeviceTokensSchema,
    SignedInAsSchema,
    SignInCodeInfoSchema,
    SignInCodeSchema,
    SignInConfigSchema,
    SignInExchangeSchema,
    SignInRefreshSchema,
)
from server.auth import token_required
from server.db import get_db
from server.errors import ApiError
from server.signin import devices
from server.signin.provider import ProviderUnavailable, SignInRefused, settings


def _refused(refused: SignInRefused, status: int = 401) -> ApiError:
    return ApiError(status, str(refused), code=f"signin_{refused.reason}")


@bp.get("/signin/config")
@bp.doc(summary="Whether sign-in with the school account is set up, and its start address", security=OPEN)
@bp.response(200, SignInConfigSchema, description="OK")
def signin_config() -> Any:
    oidc = settings()
    return {"enabled": oidc.enabled, "issuer": oidc.issuer,
            "start_url": url_for("signin.start", _external=True) if oidc.enabled else None}


@bp.post("/signin/inspect")
@bp.doc(summary="Whose sign-in a single-use code carries (the code stays unused)", security=OPEN)
@bp.arguments(SignInCodeSchema)
@bp.response(200, SignInCodeInfoSchema, description="OK")
@bp.errors(400, 401, 415, 422)
def signin_inspect(data: dict[str, Any]) -> Any:
    try:
        row = devices.inspect_code(get_db(), data["code"])
    except SignInRefused as refused:
        raise _refused(refused) from None
    left = int((devices._aware(row.expires_at) - devices.now()).total_seconds())
    return {"staff": {"name": row.staff.name, "role": row.staff.role}, "purpose": row.purpose, "expires_in": left}


@bp.post("/signin/exchange")
@bp.doc(summary="Exchange a single-use sign-in code for this device's tokens", security=OPEN)
@bp.arguments(SignInExchangeSchema)
@bp.response(200, DeviceTokensSchema, description="OK")
@bp.errors(400, 401, 415, 422)
def signin_exchange(data: dict[str, Any]) -> Any:
    db = get_db()
    try:
        device, access, refresh = devices.redeem_code(db, data["code"], data["device_name"], data["client"])
    except SignInRefused as refused:
        db.rollback()
        raise _refused(refused) from None
    db.commit()
    return devices.token_answer(device, access, refresh)


@bp.post("/signin/refresh")
@bp.doc(summary="New tokens for this device, after re-checking the person with the school's sign-in service",
        security=OPEN)
@bp.arguments(SignInRefreshSchema)
@bp.response(200, DeviceTokensSchema, description="OK")
@bp.errors(400, 401, 415, 422, 503)
def signin_refresh(data: dict[str, Any]) -> Any:
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


@bp.post("/signin/signout")
@token_required
@bp.doc(summary="Sign this device out (its tokens stop working)", security=SECURED)
@bp.response(200, description="Signed out")
@bp.errors(401)
def signin_signout() -> Any:
    device = g.get("device")
    if device is not None:
        db = get_db()
        devices.revoke_device(db, device, g.staff.name, "signed out on the device")
        db.commit()
    return {"signed_out": device is not None}


@bp.get("/signin/me")
@token_required
@bp.doc(summary="Who this token signs in as", security=SECURED)
@bp.response(200, SignedInAsSchema, description="OK")
@bp.errors(401)
def signin_me() -> Any:
    device = g.get("device")
    return {"staff": {"name": g.staff.name, "role": g.staff.role},
            "device": {"id": device.id, "name": device.name, "client": device.client} if device else None}
