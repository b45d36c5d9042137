"""The staff page's devices: each person's signed-in browsers and phones, with last use,
revocable one by one or all at once; and the single-use QR sign-in codes (five minutes) the staff
page shows (server/admin/staff.py)."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.admin.blueprint import bp
from server.admin.login import current_user, login_required
from server.db import get_db
from server.errors import ApiError
from server.models import Staff
from server.signin.devices import create_code, revoke_all, revoke_device
from server.models import Device


def devices_by_staff(db: Session) -> dict[int, list[Device]]:
    found: dict[int, list[Device]] = {}
    for device in db.execute(select(Device).where(Device.revoked_at.is_(None))
                             .order_by(Device.last_used_at.desc())).scalars():
        found.setdefault(device.staff_id, []).append(device)
    return found


def phone_code(db: Session, staff: Staff, actor: str) -> str:
    """A single-use code for the QR code (the caller commits)."""
    return create_code(db, staff, "qr-code", actor, client="check-page")


@bp.post("/staff/<int:staff_id>/devices/<int:device_id>/revoke")
@login_required("admin")
def device_revoke(staff_id: int, device_id: int) -> Any:
    db = get_db()
    device = db.get(Device, device_id)
    if device is None or device.staff_id != staff_id:
        raise ApiError(404, "No such device.")
    revoke_device(db, device, current_user().name, "revoked on the staff page")
    db.commit()
    flash(f"Signed out {device.staff.name}'s device “{device.name}”.", "ok")
    return redirect(url_for("admin.staff_list"))


@bp.post("/staff/<int:staff_id>/devices/revoke-all")
@login_required("admin")
def devices_revoke_all(staff_id: int) -> Any:
    db = get_db()
    staff = get_db().get(Staff, staff_id)
    if staff is None:
        raise ApiError(404, "No member of staff with that id.")
    count = revoke_all(db, staff, current_user().name, "all devices revoked on the staff page")
    db.commit()
    flash(f"Signed out all {count} of {staff.name}'s devices.", "ok")
    return redirect(url_for("admin.staff_list"))
