"""Members of staff and their API tokens: create, issue a new token, revoke (CLI and admin pages)."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy.orm import Session

from server import audit
from server.auth import hash_password, hash_token, new_token
from server.db import session_factory
from server.models import Staff


def new_password() -> str:
    return secrets.token_urlsafe(12)


def create_staff(name: str, role: str, password: str | None = None,
                 actor: str = "cli") -> tuple[Staff, str, str | None]:
    """Create a member of staff with a fresh token (and a password for admin-page roles)."""
    token = new_token()
    if role in ("reviewer", "admin") and password is None:
        password = new_password()
    with session_factory()() as db:
        staff = Staff(name=name, role=role, token_hash=hash_token(token),
                      password_hash=hash_password(password) if password else None)
        db.add(staff)
        audit.record(db, actor, "staff.add", name, role=role)
        db.commit()
    return staff, token, password


def issue_token(db: Session, staff: Staff, actor: str) -> tuple[str, str | None]:
    """Give a member of staff a new token (the old one stops working); reinstates a revoked one.

    Returns (token, password): a reinstated reviewer or admin gets a new password too (revoking
    cleared the old one), shown once like the token; otherwise the password is None.
    """
    token = new_token()
    reinstated = not staff.active
    password = new_password() if reinstated and staff.role in ("reviewer", "admin") else None
    staff.token_hash = hash_token(token)
    if password:
        staff.password_hash = hash_password(password)
    staff.active = True
    staff.revoked_at = None
    audit.record(db, actor, "staff.token_issued", staff.name, reinstated=reinstated,
                 new_password=password is not None)
    return token, password


def revoke_staff(db: Session, staff: Staff, actor: str) -> None:
    """Revoke a member of staff's token, password and admin sessions at once (the caller commits)."""
    from server.admin.signin_guard import end_all_sessions  # the admin room imports this module

    staff.active = False
    staff.token_hash = None
    staff.password_hash = None
    staff.revoked_at = datetime.now(timezone.utc)
    ended = end_all_sessions(db, staff.id)
    audit.record(db, actor, "staff.revoke", staff.name, sessions_ended=ended, password_cleared=True)
    from server.signin.devices import revoke_all  # every device of theirs stops at once
    revoke_all(db, staff, actor, "the person was revoked")
