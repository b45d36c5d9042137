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


def issue_token(db: Session, staff: Staff, actor: str) -> str:
    """Give a member of staff a new token (the old one stops working); reinstates a revoked one."""
    token = new_token()
    reinstated = not staff.active
    staff.token_hash = hash_token(token)
    staff.active = True
    staff.revoked_at = None
    audit.record(db, actor, "staff.token_issued", staff.name, reinstated=reinstated)
    return token


def revoke_staff(db: Session, staff: Staff, actor: str) -> None:
    """Revoke a member of staff's token and sign-in at once (the caller commits)."""
    staff.active = False
    staff.token_hash = None
    staff.revoked_at = datetime.now(timezone.utc)
    audit.record(db, actor, "staff.revoke", staff.name)
    from server.signin.devices import revoke_all  # every device of theirs stops at once
    revoke_all(db, staff, actor, "the person was revoked")
