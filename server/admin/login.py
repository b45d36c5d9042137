"""Session login for the admin pages: argon2 passwords, server-side sessions, back-off on failures."""
from __future__ import annotations

import functools
from typing import Any, Callable

from flask import g, redirect, request, session, url_for
from sqlalchemy import select

from server import audit
from server.admin.signin_guard import (
    SIGN_IN_REFUSED,
    end_session,
    must_wait,
    record_failure,
    record_success,
    session_user,
)
from server.auth import verify_password
from server.db import get_db
from server.errors import ApiError
from server.models import Staff

ADMIN_ROLES = ("reviewer", "admin")
#: Roles that may hold a browser session. Staff sign in only for pages meant for everyone (the
#: pupils to check by eye); every admin page names its roles, so a staff session opens none of them.
SIGN_IN_ROLES = ("staff",) + ADMIN_ROLES


def current_user() -> Staff | None:
    """The signed-in reviewer or admin, from the server-side session (server/admin/signin_guard.py)."""
    if "user" not in g:
        user = session_user(get_db()) if "sid" in session else None
        if user is not None and (not user.active or user.role not in SIGN_IN_ROLES):
            end_session(get_db())
            get_db().commit()
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
    """Check a name and password; returns the user, or None and the one refusal message.

    A wrong name, a wrong password, a revoked account and an attempt that must still wait all get
    the same message; the wait grows with each failure (signin_guard), it never locks anyone out.
    """
    db = get_db()
    if must_wait(db, name):
        audit.record(db, name[:120], "login.throttled")
        db.commit()
        return None, SIGN_IN_REFUSED
    user = db.execute(select(Staff).where(Staff.name == name)).scalar_one_or_none()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active or user.role not in SIGN_IN_ROLES:
        record_failure(db, name)
        audit.record(db, name[:120], "login.failed")
        db.commit()
        return None, SIGN_IN_REFUSED
    record_success(db, name)
    audit.record(db, user.name, "login")
    db.commit()
    return user, None
