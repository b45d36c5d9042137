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

from server.api.blueprint import bp
from server.api.signin_schemas import CodeSchema, ExchangeSchema, RefreshSchema
from server.api.views import _json_body, _load
from server.auth import token_required
from server.db import get_db
from server.errors import ApiError
from server.signin import devices
from server.signin.provider import ProviderUnavailable, SignInRefused, settings


def _refused(refused: SignInRefused, status: int = 401) -> ApiError:
    return ApiError(status, str(refused), code=f"signin_{refused.reason}")


@bp.get("/signin/config")
def signin_config() -> Any:
    oidc = settings()
    return {"enabled": oidc.enabled, "issuer": oidc.issuer,
            "start_url": url_for("signin.start", _external=True) if oidc.enabled else None}


@bp.post("/signin/inspect")
def signin_inspect() -> Any:
    data = _load(CodeSchema(), _json_body())
    try:
        row = devices.inspect_code(get_db(), data["code"])
    except SignInRefused as refused:
        raise _refused(refused) from None
    left = int((devices._aware(row.expires_at) - devices.now()).total_seconds())
    return {"staff": {"name": row.staff.name, "role": row.staff.role}, "purpose": row.purpose, "expires_in": left}


@bp.post("/signin/exchange")
def signin_exchange() -> Any:
    data = _load(ExchangeSchema(), _json_body())
    db = get_db()
    try:
        device, access, refresh = devices.redeem_code(db, data["code"], data["device_name"], data["client"])
    except SignInRefused as refused:
        db.rollback()
        raise _refused(refused) from None
    db.commit()
    return devices.token_answer(device, access, refresh)


@bp.post("/signin/refresh")
def signin_refresh() -> Any:
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


@bp.post("/signin/signout")
@token_required
def signin_signout() -> Any:
    device = g.get("device")
    if device is not None:
        db = get_db()
        devices.revoke_device(db, device, g.staff.name, "signed out on the device")
        db.commit()
    return {"signed_out": device is not None}


@bp.get("/signin/me")
@token_required
def signin_me() -> Any:
    device = g.get("device")
    return {"staff": {"name": g.staff.name, "role": g.staff.role},
            "device": {"id": device.id, "name": device.name, "client": device.client} if device else None}
