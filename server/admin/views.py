"""Admin pages: sign in, sign out and the start page (the list and log pages build on these)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from flask import redirect, render_template, request, url_for

from server import audit
from server.admin.blueprint import bp
from server.admin.login import attempt_login, current_user, login_required
from server.admin.signin_guard import end_session, start_session
from server.db import get_db


def _safe_next(target: str | None) -> str:
    """Only follow redirects back into this site's admin pages."""
    if target and target.startswith("/admin") and not urlparse(target).netloc and "//" not in target:
        return target
    return url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        name = (request.form.get("name") or "").strip()
        password = request.form.get("password") or ""
        user, error = attempt_login(name, password)
        if user is not None:
            db = get_db()
            start_session(db, user)
            db.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("admin/login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout() -> Any:
    user = current_user()
    if user is not None:
        db = get_db()
        audit.record(db, user.name, "logout")
    end_session(get_db())
    get_db().commit()
    return redirect(url_for("admin.login"))


@bp.get("/")
@login_required("staff", "reviewer", "admin")
def index() -> Any:
    return render_template("admin/index.html", user=current_user())
