"""Session login for the admin pages: argon2 passwords, lock-out after repeated failures."""
from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy import select

from server import audit
from server.auth import verify_password
from server.db import get_db
from server.errors import ApiError
from server.models import Staff

ADMIN_ROLES = ("reviewer", "admin")
#: Roles that may hold a browser session. Staff sign in only for pages meant for everyone (the
#: pupils to check by eye); every admin page names its roles, so a staff session opens none of them.
SIGN_IN_ROLES = ("staff",) + ADMIN_ROLES


def current_user() -> Staff | None:
    if "user" not in g:
        user = None
        staff_id = session.get("staff_id")
        if staff_id is not None:
            user = get_db().get(Staff, staff_id)
            if user is None or not user.active or user.role not in SIGN_IN_ROLES:
                session.clear()
                user = None
        g.user = user
    return g.user


def login_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a signed-in user with one of `roles` (any admin-page role when none are given)."""
    allowed = roles or ADMIN_ROLES

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("admin.login", next=request.path))
            if user.role not in allowed:
                raise ApiError(403, "Your role does not give access to this page.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def attempt_login(name: str, password: str) -> tuple[Staff | None, str | None]:
    """Check a name and password; returns the user, or None and a reason safe to show."""
    db = get_db()
    now = datetime.now(timezone.utc)
    user = db.execute(select(Staff).where(Staff.name == name)).scalar_one_or_none()
    generic = "Wrong name or password."
    if user is not None and user.locked_until is not None:
        locked_until = user.locked_until if user.locked_until.tzinfo else user.locked_until.replace(tzinfo=timezone.utc)
        if locked_until > now:
            audit.record(db, name, "login.locked_out")
            db.commit()
            return None, "Too many failed attempts: this account is locked for a while. Ask another admin or wait."
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active or user.role not in SIGN_IN_ROLES:
        if user is not None:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + timedelta(seconds=current_app.config["LOGIN_LOCKOUT_SECONDS"])
                user.failed_logins = 0
        audit.record(db, name[:120], "login.failed")
        db.commit()
        return None, generic
    user.failed_logins = 0
    user.locked_until = None
    audit.record(db, user.name, "login")
    db.commit()
    return user, None
