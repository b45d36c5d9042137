"""Admin sign-in: server-side sessions and a back-off on failed attempts, instead of a lock.

Sessions. The session cookie (Flask's, signed) carries only a random session id; the server keeps
its SHA-256 in `admin_sessions` with when it started and when it was last used. A session ends at
logout (the row is deleted, so a cookie copied before then no longer works), after
`ADMIN_SESSION_LIFETIME` seconds (8 hours) whatever happens, after `ADMIN_SESSION_IDLE` seconds
(30 minutes) without a request, and when the person is revoked.

Back-off. Each failed attempt counts against the account name typed (a keyed hash of it, so names
that do not exist count the same way and nothing tells them apart) and against the client's
address. After `LOGIN_FREE_FAILURES` failures each further attempt must wait twice as long as the
one before, up to `LOGIN_ACCOUNT_MAX_WAIT` seconds for an account (so a stranger who knows the
name can slow the owner down, never lock them out) and `LOGIN_ADDRESS_MAX_WAIT` for an address.
Failures older than an hour are forgotten; a success clears the account's count. Every refusal,
whatever the cause, shows the same message.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app, request, session
from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.display import stored_utc
from server.models import AdminSession, LoginThrottle, Staff

#: The one message for a wrong name, a wrong password, a revoked account and a wait.
SIGN_IN_REFUSED = ("That name and password did not work. Check them and try again; after several "
                   "tries you may need to wait a little before the next one.")
FORGET_AFTER = timedelta(hours=1)
#: last_seen_at is written at most this often, so each page view does not write to the database.
TOUCH_EVERY = timedelta(seconds=60)
_SESSION_KEY = "sid"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


# --- sessions -----------------------------------------------------------------------------------

def start_session(db: Session, user: Staff) -> None:
    """Sign `user` in: a fresh session id in the cookie, its hash on the server (caller commits)."""
    session.clear()
    sid = secrets.token_urlsafe(32)
    now = _now()
    db.add(AdminSession(id_hash=_digest(sid), staff_id=user.id, created_at=now, last_seen_at=now))
    session[_SESSION_KEY] = sid
    session.permanent = False


def session_user(db: Session) -> Staff | None:
    """The person this request's session belongs to, or None (no session, ended, expired, idle)."""
    sid = session.get(_SESSION_KEY)
    if not isinstance(sid, str):
        return None
    row = db.get(AdminSession, _digest(sid))
    now = _now()
    config = current_app.config
    if row is None:
        return None
    if (now - stored_utc(row.created_at) > timedelta(seconds=config["ADMIN_SESSION_LIFETIME"])
            or now - stored_utc(row.last_seen_at) > timedelta(seconds=config["ADMIN_SESSION_IDLE"])):
        db.delete(row)
        db.commit()
        return None
    if now - stored_utc(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        db.commit()
    return db.get(Staff, row.staff_id)


def end_session(db: Session) -> None:
    """Log out: the server forgets the session, the cookie is cleared (caller commits)."""
    sid = session.get(_SESSION_KEY)
    if isinstance(sid, str):
        db.execute(delete(AdminSession).where(AdminSession.id_hash == _digest(sid)))
    session.clear()


def end_all_sessions(db: Session, staff_id: int) -> int:
    """End every session of a person (revoked); returns how many there were (caller commits)."""
    return db.execute(delete(AdminSession).where(AdminSession.staff_id == staff_id)).rowcount or 0


# --- back-off -----------------------------------------------------------------------------------

def _keys(name: str) -> list[tuple[str, int]]:
    """(throttle key, longest wait in seconds) for the account name typed and the client address."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    account = hmac.new(secret, name.strip().casefold().encode("utf-8"), hashlib.sha256).hexdigest()[:40]
    return [("account:" + account, current_app.config["LOGIN_ACCOUNT_MAX_WAIT"]),
            ("address:" + (request.remote_addr or "")[:64], current_app.config["LOGIN_ADDRESS_MAX_WAIT"])]


def must_wait(db: Session, name: str) -> bool:
    """Whether the account or the address is still waiting after earlier failures."""
    now = _now()
    for key, _ in _keys(name):
        row = db.get(LoginThrottle, key)
        if row is not None and row.not_before is not None and stored_utc(row.not_before) > now:
            return True
    return False


def record_failure(db: Session, name: str) -> None:
    """Count a failed attempt against the account and the address; set when the next may come."""
    now = _now()
    free = current_app.config["LOGIN_FREE_FAILURES"]
    for key, longest in _keys(name):
        row = db.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0)
            db.add(row)
        if row.last_failure_at is not None and now - stored_utc(row.last_failure_at) > FORGET_AFTER:
            row.failures = 0
        row.failures = (row.failures or 0) + 1
        row.last_failure_at = now
        if row.failures > free:
            wait = min(float(longest), 2.0 ** (row.failures - free - 1))
            row.not_before = now + timedelta(seconds=wait)
    db.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER * 24))


def record_success(db: Session, name: str) -> None:
    """A right password clears the account's count (the address keeps its own)."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == _keys(name)[0][0]))
