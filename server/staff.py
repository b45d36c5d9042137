"""Members of staff and their API tokens: create, issue a new token, revoke (CLI and admin pages)."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy.orm import Session

from server import audit, services
from server.auth import hash_password, hash_token, new_token
from server.db import session_factory
from server.models import Staff


def new_password() -> str:
    return secrets.token_urlsafe(12)


def signs_in_with_password(role: str) -> bool:
    """Who is given a password for the web pages.

    Reviewers and admins always (the admin pages). Staff only where the school's own sign-in is
    off: they sign in to one page, the pupils to check by eye, and with the school account set up
    they use that instead, so no password exists to be guessed or reused.
    """
    return role in ("reviewer", "admin") or not services.oidc().enabled


def password_label(role: str) -> str:
    """What a password is for, where it is shown once (the staff page, the command line)."""
    return "Admin-page password" if role in ("reviewer", "admin") else "Password for the pupils to check by eye"


def create_staff(name: str, role: str, password: str | None = None, actor: str = "cli",
                 *, with_password: bool = True) -> tuple[Staff, str, str | None]:
    """Create a member of staff with a fresh token, and a password when their role signs in with one
    (`signs_in_with_password`; `with_password=False` gives none unless `password` is given)."""
    token = new_token()
    if password is None and with_password and signs_in_with_password(role):
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
    cleared the old one), and so does anyone without one where a password is the only way to sign
    in to the web pages (no school-account sign-in: staff added before they were given one); it is
    shown once like the token. Otherwise the password is None.
    """
    token = new_token()
    reinstated = not staff.active
    needs_one = reinstated or (staff.password_hash is None and not services.oidc().enabled)
    password = new_password() if needs_one and signs_in_with_password(staff.role) else None
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
