"""Staff tokens for the API and passwords for the admin pages; only hashes are ever stored."""
from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from typing import Any, Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import g, request
from sqlalchemy import select

from server.db import get_db
from server.errors import ApiError
from server.models import Staff

_hasher = PasswordHasher()
# A real hash to verify against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not a real password")


def new_token() -> str:
    """A fresh staff API token (256 bits of randomness)."""
    return "sl_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are random, so a fast hash is enough to make a stolen database useless."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def staff_for_token(token: str) -> Staff | None:
    if token.startswith("sld_"):  # a device's access token (server/signin/devices.py)
        from server.signin.devices import staff_for_device_token
        return staff_for_device_token(get_db(), token)
    digest = hash_token(token)
    staff = get_db().execute(select(Staff).where(Staff.token_hash == digest)).scalar_one_or_none()
    if staff is None or not staff.active or staff.token_hash is None:
        return None
    # The lookup is by an index on the hash; compare again in constant time all the same.
    return staff if hmac.compare_digest(staff.token_hash, digest) else None


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Require `Authorization: Bearer <staff token>`; puts the member of staff on `g.staff`."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = bearer_token()
        if token is None:
            raise ApiError(401, "Send your staff token as 'Authorization: Bearer <token>'.")
        staff = staff_for_token(token)
        if staff is None:
            raise ApiError(401, "That staff token is not valid or has been revoked.")
        g.staff = staff
        return view(*args, **kwargs)

    return wrapped
