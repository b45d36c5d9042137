"""The staff page (admins only): who may use Second Look, and their tokens.

IT adds a member of staff, issues a new token (shown once, with a QR code that signs a phone in to
the check page) and revokes. The create/issue/revoke logic is shared with the `secondlook staff`
CLI (`server.cli.staff`; both call `server.staff`), so both paths hash the same way and write the
same audit events.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from server.admin.blueprint import bp
from server.admin.devices import devices_by_staff, phone_code
from server.admin.login import current_user, login_required
from server.checkpage.qr import qr_svg, signin_url
from server.db import get_db
from server.errors import ApiError
from server.models import ROLES, Staff
from server.staff import create_staff, issue_token, password_label, revoke_staff

NAME_MAX = 120


def _member(staff_id: int) -> Staff:
    staff = get_db().get(Staff, staff_id)
    if staff is None:
        raise ApiError(404, "No member of staff with that id.")
    return staff


def _list_page(errors: dict[str, str] | None = None, form: dict[str, str] | None = None, status: int = 200) -> Any:
    db = get_db()
    members = db.execute(select(Staff).order_by(Staff.active.desc(), Staff.name)).scalars().all()
    return render_template("admin/staff.html", members=members, roles=ROLES, errors=errors or {},
                           form=form or {}, devices=devices_by_staff(db),
                           code_minutes=current_app.config["SIGNIN_CODE_SECONDS"] // 60), status


def _issued(name: str, role: str, token: str | None, password: str | None, new_member: bool, code: str) -> Any:
    """The one page that ever shows a token: never cached, never sent on as a Referer.

    The QR code carries a single-use sign-in code (five minutes), never the token."""
    url = signin_url(code)
    body = render_template("admin/staff_issued.html", name=name, role=role, token=token, password=password,
                           password_label=password_label(role),
                           new_member=new_member, signin_url=url,
                           code_minutes=current_app.config["SIGNIN_CODE_SECONDS"] // 60,
                           qr=qr_svg(url, f"QR code that signs {name}'s phone in to the check page"))
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/staff")
@login_required("admin")
def staff_list() -> Any:
    return _list_page()


@bp.post("/staff")
@login_required("admin")
def staff_add() -> Any:
    name = " ".join((request.form.get("name") or "").split())
    role = request.form.get("role") or "staff"
    errors = {}
    if not name:
        errors["name"] = "Give the member of staff's name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"At most {NAME_MAX} characters."
    elif get_db().execute(select(Staff.id).where(Staff.name == name)).first() is not None:
        errors["name"] = "A member of staff with that name already exists: issue them a new token instead."
    if role not in ROLES:
        errors["role"] = "Choose one of the roles."
    if errors:
        return _list_page(errors, {"name": name, "role": role}, 422)
    staff, token, password = create_staff(name, role, actor=current_user().name)
    db = get_db()
    code = phone_code(db, db.get(Staff, staff.id), current_user().name)
    db.commit()
    return _issued(name, role, token, password, new_member=True, code=code)


@bp.post("/staff/<int:staff_id>/token")
@login_required("admin")
def staff_token(staff_id: int) -> Any:
    db = get_db()
    staff = _member(staff_id)
    token, password = issue_token(db, staff, current_user().name)
    code = phone_code(db, staff, current_user().name)
    db.commit()
    return _issued(staff.name, staff.role, token, password, new_member=False, code=code)


@bp.post("/staff/<int:staff_id>/revoke")
@login_required("admin")
def staff_revoke(staff_id: int) -> Any:
    db = get_db()
    staff = _member(staff_id)
    user = current_user()
    if staff.id == user.id:
        flash("You cannot revoke yourself: ask another admin.", "error")
        return redirect(url_for("admin.staff_list"))
    if staff.active:
        revoke_staff(db, staff, user.name)
        db.commit()
        flash(f"Revoked {staff.name}: their token, sign-in and every device no longer work.", "ok")
    return redirect(url_for("admin.staff_list"))


@bp.post("/staff/<int:staff_id>/phone-code")
@login_required("admin")
def staff_phone_code(staff_id: int) -> Any:
    """Just the QR code: signs one phone in within five minutes, once; no token changes."""
    db = get_db()
    staff = _member(staff_id)
    if not staff.active:
        raise ApiError(409, "That member of staff is revoked: reinstate them first.")
    code = phone_code(db, staff, current_user().name)
    db.commit()
    return _issued(staff.name, staff.role, None, None, new_member=False, code=code)
