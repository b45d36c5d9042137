"""Per-device tokens and single-use sign-in codes.

A device (a browser's extension, a phone's check page) holds two tokens of its own:

* an **access token** (`sld_…`, `DEVICE_ACCESS_SECONDS`, default an hour) sent as
  `Authorization: Bearer` with every check, and
* a **refresh token** (`slr_…`) it trades for a new pair when the access token has expired.
  Each refresh rotates both; a refresh token presented a second time means a copy was stolen,
  and the device is revoked. A device not refreshed for `DEVICE_REFRESH_DAYS` must sign in again.

A refresh is where access is re-validated. For a device signed in with the school account the
server asks the provider with the refresh token the provider gave at sign-in: if the person has
signed out of the provider (the provider ended their grants), their account was disabled or
deleted, or it is no longer in an allowed domain or the tenant, the provider refuses or the
claims fail the rules, and the device is revoked. So access ends at most one access-token
lifetime after the provider ends it. Revoking a person revokes every device at once.

Tokens never travel in a URL: a device gets them only in the body of a POST answer, in exchange
for a single-use code (`slc_…`): the QR code IT shows (`SIGNIN_CODE_SECONDS`, five minutes) or
the code the sign-in redirect hands to the page or extension (two minutes). Only hashes of
tokens and codes are stored.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, g
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from server import audit
from server.models import Staff
from server.signin import provider
from server.signin.identity import recheck
from server.models import Device, SignInCode
from server.signin.provider import SignInRefused

ACCESS_PREFIX, REFRESH_PREFIX, CODE_PREFIX = "sld_", "slr_", "slc_"
HANDOFF_SECONDS = 120
#: Writing `last_used_at` at most this often keeps a check from costing a write every time.
LAST_USED_GRANULARITY = timedelta(seconds=60)
CLIENTS = ("extension", "check-page", "script")
NAME_MAX = 120


def hash_token(token: str) -> str:
    """Device tokens and codes are random, so a fast hash is enough (as for staff tokens in
    server/auth.py, which imports this module and so cannot be imported here)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def _fernet() -> Fernet:
    key = hashlib.sha256(b"secondlook-signin-upstream:" + str(current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str | None) -> str | None:
    return _fernet().encrypt(value.encode()).decode() if value else None


def unseal(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return None  # the secret key changed: the device must sign in again


def clean_name(value: Any, fallback: str) -> str:
    name = " ".join(str(value or "").split())[:NAME_MAX]
    return name or fallback


# ---- single-use codes ---------------------------------------------------------------------------
def create_code(db: Session, staff: Staff, purpose: str, created_by: str, *, client: str | None = None,
                device_name: str | None = None, upstream_refresh: str | None = None,
                seconds: int | None = None) -> str:
    code = CODE_PREFIX + secrets.token_urlsafe(24)
    lifetime = seconds if seconds is not None else current_app.config["SIGNIN_CODE_SECONDS"]
    db.add(SignInCode(code_hash=hash_token(code), staff_id=staff.id, purpose=purpose, client=client,
                      device_name=device_name, upstream_refresh=seal(upstream_refresh), created_by=created_by,
                      expires_at=now() + timedelta(seconds=lifetime)))
    return code


def _code_row(db: Session, code: str) -> SignInCode:
    row = db.execute(select(SignInCode).where(SignInCode.code_hash == hash_token(code or ""))).scalar_one_or_none()
    if row is None:
        raise SignInRefused("That sign-in code is not valid.", "code_unknown")
    if row.used_at is not None:
        raise SignInRefused("That sign-in code has already been used: ask for a new one.", "code_reused")
    if _aware(row.expires_at) <= now():
        raise SignInRefused("That sign-in code has expired: ask for a new one.", "code_expired")
    if not row.staff.active:
        raise SignInRefused("That member of staff's access has been revoked.", "staff_revoked")
    return row


def inspect_code(db: Session, code: str) -> SignInCode:
    """Whose sign-in a code carries, without using it (so the page can ask before replacing)."""
    return _code_row(db, code)


def redeem_code(db: Session, code: str, device_name: Any, client: str) -> tuple[Device, str, str]:
    """Use a code once (atomically: two devices racing with one code, one wins) for a device's tokens."""
    row = _code_row(db, code)
    used = db.execute(update(SignInCode).where(SignInCode.id == row.id, SignInCode.used_at.is_(None))
                      .values(used_at=now())).rowcount
    if used != 1:
        raise SignInRefused("That sign-in code has already been used: ask for a new one.", "code_reused")
    client = row.client or client
    name = clean_name(device_name or row.device_name, "Unnamed device")
    method = "school-account" if row.purpose == "school-account" else "qr-code"
    return issue_device(db, row.staff, name, client, method, unseal(row.upstream_refresh), row.created_by)


# ---- devices ------------------------------------------------------------------------------------
def _lifetimes() -> tuple[datetime, datetime]:
    config = current_app.config
    return (now() + timedelta(seconds=config["DEVICE_ACCESS_SECONDS"]),
            now() + timedelta(days=config["DEVICE_REFRESH_DAYS"]))


def issue_device(db: Session, staff: Staff, name: str, client: str, method: str,
                 upstream_refresh: str | None, actor: str | None = None) -> tuple[Device, str, str]:
    access, refresh = ACCESS_PREFIX + secrets.token_urlsafe(32), REFRESH_PREFIX + secrets.token_urlsafe(32)
    access_until, refresh_until = _lifetimes()
    device = Device(staff_id=staff.id, name=name, client=client if client in CLIENTS else "script", method=method,
                    access_hash=hash_token(access), access_expires_at=access_until, refresh_hash=hash_token(refresh),
                    refresh_expires_at=refresh_until, upstream_refresh=seal(upstream_refresh), last_used_at=now())
    device.staff = staff
    db.add(device)
    db.flush()
    audit.record(db, staff.name, "signin.device_added", staff.name, device=name, client=device.client,
                 method=method, **({"code_from": actor} if actor and actor != staff.name else {}))
    return device, access, refresh


def token_answer(device: Device, access: str, refresh: str) -> dict[str, Any]:
    """The body a device gets its tokens in (never a URL)."""
    return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
            "expires_in": int((_aware(device.access_expires_at) - now()).total_seconds()),
            "staff": {"name": device.staff.name, "role": device.staff.role},
            "device": {"id": device.id, "name": device.name, "client": device.client}}


def staff_for_device_token(db: Session, token: str) -> Staff | None:
    """The bearer of a live access token; notes the device's last use (at most once a minute)."""
    device = db.execute(select(Device).options(joinedload(Device.staff))
                        .where(Device.access_hash == hash_token(token))).scalar_one_or_none()
    if device is None or device.revoked_at is not None or _aware(device.access_expires_at) <= now():
        return None
    staff = device.staff
    if staff is None or not staff.active:
        return None
    last = _aware(device.last_used_at)
    if last is None or now() - last > LAST_USED_GRANULARITY:
        device.last_used_at = now()
        db.commit()
    g.device = device
    return staff


def refresh_device(db: Session, refresh_token: str) -> tuple[Device, str, str]:
    """A new token pair for a device, after re-validating the person (see the module docstring)."""
    digest = hash_token(refresh_token or "")
    device = db.execute(select(Device).where(Device.refresh_hash == digest)).scalar_one_or_none()
    if device is None:
        replayed = db.execute(select(Device).where(Device.previous_refresh_hash == digest)).scalar_one_or_none()
        if replayed is not None and replayed.revoked_at is None:
            revoke_device(db, replayed, "system", "refresh token used twice (a copy may have been stolen)")
            db.commit()
        raise SignInRefused("This device's sign-in is not valid: sign in again.", "refresh_unknown")
    if device.revoked_at is not None:
        raise SignInRefused("This device has been signed out: sign in again.", "device_revoked")
    if _aware(device.refresh_expires_at) <= now():
        raise SignInRefused("This device has not been used for a long time: sign in again.", "refresh_expired")
    staff = device.staff
    if not staff.active:
        raise SignInRefused("Your access to Second Look has been revoked: ask IT.", "staff_revoked")
    if device.method == "school-account":
        upstream = unseal(device.upstream_refresh)
        if not upstream:
            revoke_device(db, device, "system", "no way to re-check the school account")
            db.commit()
            raise SignInRefused("Sign in with your school account again.", "no_upstream")
        try:
            claims, new_upstream = provider.refresh(upstream)
            recheck(db, staff, claims)
        except SignInRefused as refused:
            revoke_device(db, device, "system", f"the school's sign-in service refused ({refused.reason})")
            db.commit()
            raise
        device.upstream_refresh = seal(new_upstream)
    access, refresh = ACCESS_PREFIX + secrets.token_urlsafe(32), REFRESH_PREFIX + secrets.token_urlsafe(32)
    device.previous_refresh_hash = device.refresh_hash
    device.access_hash, device.refresh_hash = hash_token(access), hash_token(refresh)
    device.access_expires_at, device.refresh_expires_at = _lifetimes()
    device.last_used_at = now()
    return device, access, refresh


def revoke_device(db: Session, device: Device, actor: str, reason: str) -> None:
    if device.revoked_at is not None:
        return
    device.revoked_at = now()
    device.revoked_reason = reason[:120]
    device.access_hash = device.refresh_hash = None
    device.upstream_refresh = None
    audit.record(db, actor, "signin.device_revoked", device.staff.name, device=device.name, reason=reason)


def revoke_all(db: Session, staff: Staff, actor: str, reason: str) -> int:
    """Revoke every device of a member of staff, and every unused sign-in code for them."""
    devices = active_devices(db, staff.id)
    for device in devices:
        revoke_device(db, device, actor, reason)
    db.execute(update(SignInCode).where(SignInCode.staff_id == staff.id, SignInCode.used_at.is_(None))
               .values(used_at=now()))
    return len(devices)


def active_devices(db: Session, staff_id: int) -> list[Device]:
    return list(db.execute(select(Device).where(Device.staff_id == staff_id, Device.revoked_at.is_(None))
                           .order_by(Device.last_used_at.desc())).scalars())
