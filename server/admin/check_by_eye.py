"""Pupils to check by eye: the names and year groups of pupils on the no-publish list by name only.

The face check cannot recognise them (consent to face matching withdrawn, or the pupil objects,
so no face data is kept), so a warning (`name-only-pupil-face`) asks staff to check a photo
against this list, as schools keep it on paper. It is for signed-in people only: a browser
session (the school account, server/signin/views.py, or a password where that is off), never an
API token, so a stolen token cannot list anyone; it is the one page a staff session opens.
Nothing is shown until year groups are chosen; the reason a pupil is listed is never shown; every
view is audited with the year groups and how many names it showed.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request
from sqlalchemy import or_, select

from server import audit
from server.admin.blueprint import bp
from server.admin.login import current_user, login_required
from server.db import get_db
from server.models import Pupil

#: The choice for pupils whose year group was not recorded.
NO_YEAR = "none"


def name_only_condition() -> Any:
    return or_(Pupil.consent_withdrawn.is_(True), Pupil.pupil_objected.is_(True))


def year_groups(db: Any) -> list[str]:
    """Every year group on the whole list (not only name-only pupils', so the choice reveals nothing)."""
    values = db.execute(select(Pupil.year_group).where(Pupil.year_group.is_not(None)).distinct()).scalars()
    return sorted({v.strip() for v in values if v and v.strip()}, key=_year_sort_key)


def _year_sort_key(value: str) -> tuple[int, str]:
    digits = "".join(ch for ch in value if ch.isdigit())
    return (int(digits) if digits else 99, value.lower())


@bp.get("/check-by-eye")
@login_required("staff", "reviewer", "admin")
def check_by_eye() -> Any:
    db = get_db()
    offered = year_groups(db)
    chosen = [y for y in request.args.getlist("year") if y in offered or y == NO_YEAR]
    pupils: list[Pupil] = []
    if chosen:
        years = [y for y in chosen if y != NO_YEAR]
        wanted = Pupil.year_group.in_(years)
        if NO_YEAR in chosen:
            wanted = or_(wanted, Pupil.year_group.is_(None), Pupil.year_group == "")
        pupils = list(db.execute(select(Pupil).where(name_only_condition(), wanted)).scalars())
        pupils.sort(key=lambda p: (_year_sort_key(p.year_group or ""), p.display_name.lower()))
        audit.record(db, current_user().name, "check_by_eye.viewed", None,
                     year_groups=chosen, names_shown=len(pupils))
        db.commit()
    body = render_template("admin/check_by_eye.html", offered=offered, chosen=chosen, no_year=NO_YEAR,
                           rows=[(p.display_name, p.year_group or "not recorded") for p in pupils])
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
