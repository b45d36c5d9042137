"""The no-publish list pages: search, add, edit, enrol photos, remove (admins only).

The rules live in `server.nopublish.records`; these views turn forms into calls and results into pages.
Face-crop thumbnails are served from the database with `Cache-Control: no-store`; the original
photos are never stored (a photo with several faces is sent back to the browser, not kept, so IT
can pick the pupil's face).
"""
from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from server import audit, services
from server.admin.blueprint import bp
from server.admin.audit_text import consent_history
from server.admin.login import current_user, login_required
from server.db import get_db
from server.display import csv_lines, school_zone
from server.models import FaceTemplate, Pupil
from server.nopublish import records
from server.security import csrf

MAX_PHOTOS_PER_UPLOAD = 10
PUPIL_CSV_COLUMNS = ("name", "reference", "year_group", "reason", "reason_note", "review_by", "photos", "status",
                     "parents_notified_on", "consent_given_by", "consent_given_on", "pupil_objected",
                     "consent_withdrawn")
#: The add/edit form's fields in page order, with the words the error summary links them by.
FORM_LABELS = {
    "display_name": "Name", "reference": "Reference", "year_group": "Year group", "reason": "Reason",
    "reason_note": "Note", "review_by": "Review by", "parents_notified_on": "Parents notified on",
    "consent_given_by": "Written consent given by", "consent_given_on": "Written consent given on",
    "confirm_delete_faces": "Delete the faces", "photos": "Photos",
}
HELP_CONSENT = (
    "A face may only be enrolled once the parents have been told and a parent has given written "
    "consent (Protection of Freedoms Act 2012 s.26-28; UK GDPR art. 9). If consent is withdrawn "
    "or the pupil objects, their face templates and thumbnails are deleted at once and they stay "
    "on the list by name only: their name still blocks in text, and every image with faces posted "
    "from a school account then asks staff to check it by eye against the pupils to check by eye, "
    "until the entry is removed."
)


def _policy() -> Any:
    return services.policy()


def _changed_list() -> None:
    """This process changed the list: see it now (other workers see the counter within a second)."""
    services.nopublish().invalidate()


def _actor() -> str:
    user = current_user()
    return user.name if user else "unknown"


def _pupil_or_404(pupil_id: int) -> Pupil:
    pupil = get_db().get(Pupil, pupil_id)
    if pupil is None:
        abort(404)
    return pupil


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _uploaded_photos() -> list[tuple[str, bytes]]:
    """The files in the `photos` field, refusing oversize ones before they are read whole."""
    limit = current_app.config["MAX_IMAGE_BYTES"]
    photos = []
    for upload in request.files.getlist("photos"):
        if not upload or not upload.filename:
            continue
        data = upload.stream.read(limit + 1)
        photos.append((upload.filename, data))
    return photos


def _enrol_all(pupil: Pupil, photos: list[tuple[str, bytes]]) -> list[records.EnrolOutcome]:
    db = get_db()
    outcomes = []
    limit = current_app.config["MAX_IMAGE_BYTES"]
    for name, data in photos:
        if len(data) > limit:
            outcomes.append(records.EnrolOutcome(name, "too_large", f"Larger than {limit // (1024 * 1024)} MB."))
            continue
        outcomes.append(records.enrol_photo(db, _actor(), pupil, data, _policy(), filename=name))
    return outcomes


def _results_page(pupil: Pupil, outcomes: list[records.EnrolOutcome], status: int = 200) -> Response:
    for outcome in outcomes:
        outcome.candidate_images = [  # type: ignore[attr-defined]
            "data:image/jpeg;base64," + base64.b64encode(c.thumbnail).decode() if c.thumbnail else None
            for c in outcome.candidates
        ]
        outcome.photo_b64 = base64.b64encode(outcome.photo).decode() if outcome.photo else None  # type: ignore[attr-defined]
    body = render_template("admin/pupil_enrol.html", pupil=pupil, outcomes=outcomes)
    return _no_store(current_app.make_response((body, status)))


# --- the list --------------------------------------------------------------------------------------

@bp.get("/pupils")
@login_required("admin")
def pupils() -> Any:
    db = get_db()
    q = (request.args.get("q") or "").strip()
    show = request.args.get("show", "all")
    query = select(Pupil).order_by(func.lower(Pupil.display_name))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Pupil.display_name).like(like), func.lower(Pupil.reference).like(like),
                                func.lower(Pupil.year_group).like(like)))
    today = date.today()
    if show == "overdue":
        query = query.where(Pupil.review_by < today)
    elif show == "name-only":
        query = query.where(or_(Pupil.consent_withdrawn.is_(True), Pupil.pupil_objected.is_(True)))
    rows = db.execute(query).scalars().all()
    counts = records.photo_counts(db)
    older = records.older_model_pupils(db)
    entries = [{
        "pupil": p, "photos": counts.get(p.id, 0), "status": records.status_of(p, counts.get(p.id, 0), p.id in older),
        "overdue": records.is_overdue(p, today), "reason": records.REASONS.get(p.reason, p.reason),
    } for p in rows]
    total = db.execute(select(func.count(Pupil.id))).scalar_one()
    return _no_store(current_app.make_response(render_template(
        "admin/pupils.html", entries=entries, q=q, show=show, total=total,
        overdue=sum(1 for e in entries if e["overdue"]), pending_manual=records.pending_manual_count(db),
        older_model=len(older),
        help_consent=HELP_CONSENT)))


@bp.get("/pupils/export.csv")
@login_required("admin")
def pupils_export() -> Any:
    """The list without any biometric data, for the school's records; every export is audited."""
    db = get_db()
    counts = records.photo_counts(db)
    pupils_all = db.execute(select(Pupil).order_by(func.lower(Pupil.display_name))).scalars().all()
    rows = [[p.display_name, p.reference, p.year_group, p.reason, p.reason_note, p.review_by or "",
             counts.get(p.id, 0), records.status_of(p, counts.get(p.id, 0)), p.parents_notified_on or "",
             p.consent_given_by, p.consent_given_on or "", "yes" if p.pupil_objected else "no",
             "yes" if p.consent_withdrawn else "no"] for p in pupils_all]
    audit.record(db, _actor(), "pupil.export", "no-publish list", rows=len(pupils_all))
    db.commit()
    # csv_lines: the byte-order mark Excel needs for accented names, and every cell made safe
    response = Response("".join(csv_lines(PUPIL_CSV_COLUMNS, rows)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=no-publish-list-{datetime.now(school_zone()).date()}.csv")
    return _no_store(response)


# --- add and edit ---------------------------------------------------------------------------------

@bp.route("/pupils/new", methods=["GET", "POST"])
@login_required("admin")
def pupil_new() -> Any:
    errors: dict[str, str] = {}
    form: Any = request.form if request.method == "POST" else {"reason": "no-consent"}
    photos: list[tuple[str, bytes]] = []
    if request.method == "POST":
        db = get_db()
        photos = _uploaded_photos()
        try:
            fields = records.validate_fields(request.form)
            if len(photos) > MAX_PHOTOS_PER_UPLOAD:
                raise records.ListError("Too many photos.", {"photos": f"At most {MAX_PHOTOS_PER_UPLOAD} at a time."})
            records.refuse_photos_without_consent(fields, bool(photos))
            pupil = records.add_pupil(db, _actor(), fields, evidence=_evidence())
        except records.ListError as exc:
            db.rollback()
            errors = exc.fields
        else:
            outcomes = _enrol_all(pupil, photos)
            db.commit()
            _changed_list()
            if photos:
                return _results_page(pupil, outcomes, 201)
            flash(f"{pupil.display_name} is on the no-publish list.", "ok")
            return redirect(url_for("admin.pupil_detail", pupil_id=pupil.id))
    return render_template("admin/pupil_form.html", pupil=None, form=form, errors=errors, labels=FORM_LABELS,
                           photos_not_kept=bool(errors and photos),
                           reasons=records.REASONS, help_consent=HELP_CONSENT), (422 if errors else 200)


@bp.route("/pupils/<int:pupil_id>/edit", methods=["GET", "POST"])
@login_required("admin")
def pupil_edit(pupil_id: int) -> Any:
    pupil = _pupil_or_404(pupil_id)
    errors: dict[str, str] = {}
    form: Any = request.form if request.method == "POST" else _form_values(pupil)
    if request.method == "POST":
        db = get_db()
        try:
            fields = records.validate_fields(request.form)
            had_faces = bool(pupil.templates)
            _confirm_template_deletion(pupil, fields)
            changed = records.update_pupil(db, _actor(), pupil, fields, evidence=_evidence())
        except records.ListError as exc:
            db.rollback()
            errors = exc.fields
        else:
            db.commit()
            _changed_list()
            if had_faces and records.consent_problem_of(pupil) == "objected":
                flash("Consent withdrawn or the pupil objects: their face templates and thumbnails were "
                      "deleted. They stay on the list by name only.", "ok")
            elif changed:
                flash("Saved.", "ok")
            return redirect(url_for("admin.pupil_detail", pupil_id=pupil.id))
    return render_template("admin/pupil_form.html", pupil=pupil, form=form, errors=errors, labels=FORM_LABELS,
                           reasons=records.REASONS, help_consent=HELP_CONSENT), (422 if errors else 200)


def _evidence() -> str | None:
    """The evidence reference typed with a consent change (kept in the consent history only)."""
    return (request.form.get("consent_evidence") or "").strip()[:200] or None


def _confirm_template_deletion(pupil: Pupil, fields: records.PupilFields) -> None:
    """Withdrawing consent (or recording an objection) deletes the face templates at once and for
    good: it needs its own tick, so a slip of the mouse cannot do it."""
    withdrawing = (fields.consent_withdrawn and not pupil.consent_withdrawn) or \
                  (fields.pupil_objected and not pupil.pupil_objected)
    if withdrawing and pupil.templates and request.form.get("confirm_delete_faces") != "yes":
        n = len(pupil.templates)
        raise records.ListError("Confirm the deletion.", {"confirm_delete_faces": (
            f"This deletes {pupil.display_name}'s {n} enrolled face{'s' if n != 1 else ''} at once; they cannot "
            "be restored. Tick \"Yes, delete the faces\" to go ahead.")})


def _form_values(pupil: Pupil) -> dict[str, Any]:
    values = {name: getattr(pupil, name) for name in (
        "display_name", "reference", "year_group", "reason", "reason_note", "review_by",
        "parents_notified_on", "consent_given_by", "consent_given_on", "pupil_objected", "consent_withdrawn")}
    return {k: ("" if v is None else v) for k, v in values.items()}


# --- one pupil --------------------------------------------------------------------------------------

@bp.get("/pupils/<int:pupil_id>")
@login_required("admin")
def pupil_detail(pupil_id: int) -> Any:
    pupil = _pupil_or_404(pupil_id)
    templates = get_db().execute(select(FaceTemplate.id, FaceTemplate.created_at)
                                 .where(FaceTemplate.pupil_id == pupil.id).order_by(FaceTemplate.id)).all()
    return _no_store(current_app.make_response(render_template(
        "admin/pupil_detail.html", pupil=pupil, templates=templates, reason=records.REASONS.get(pupil.reason),
        status=records.status_of(pupil, len(templates)), overdue=records.is_overdue(pupil),
        consent_problem=records.consent_problem_of(pupil), help_consent=HELP_CONSENT,
        photos_wanted=records.photos_wanted(pupil, len(templates)), recommended=records.RECOMMENDED_PHOTOS,
        consent_history=consent_history(get_db(), pupil.id))))


@bp.post("/pupils/<int:pupil_id>/photos")
@login_required("admin")
def pupil_photos(pupil_id: int) -> Any:
    pupil = _pupil_or_404(pupil_id)
    photos = _uploaded_photos()
    if not photos:
        flash("Choose one or more photos to enrol.", "error")
        return redirect(url_for("admin.pupil_detail", pupil_id=pupil.id))
    if len(photos) > MAX_PHOTOS_PER_UPLOAD:
        flash(f"At most {MAX_PHOTOS_PER_UPLOAD} photos at a time.", "error")
        return redirect(url_for("admin.pupil_detail", pupil_id=pupil.id))
    outcomes = _enrol_all(pupil, photos)
    get_db().commit()
    _changed_list()
    return _results_page(pupil, outcomes)


@csrf.exempt
@bp.post("/pupils/<int:pupil_id>/photos/choose")
@login_required("admin")
def pupil_photo_choose(pupil_id: int) -> Any:
    """Enrol the face IT picked from a photo with several faces.

    The photo comes back from the page (it was never stored), which can be larger than the
    default form-field limit, so this view raises that limit for itself and runs the CSRF check
    itself, after the limit is raised.
    """
    request.max_form_memory_size = current_app.config["MAX_IMAGE_BYTES"] * 4 // 3 + 1024
    csrf.protect()  # the same check as every other form (token, and referrer over HTTPS)
    pupil = _pupil_or_404(pupil_id)
    try:
        data = base64.b64decode(request.form.get("photo", ""), validate=True)
        choose = int(request.form.get("choose", ""))
    except (binascii.Error, ValueError):
        abort(400)
    if not data or choose < 0 or len(data) > current_app.config["MAX_IMAGE_BYTES"]:
        abort(400)
    outcome = records.enrol_photo(get_db(), _actor(), pupil, data, _policy(),
                                  filename=request.form.get("filename", "")[:200], choose=choose,
                                  confirmed_far=request.form.get("confirm_far") == "yes")
    get_db().commit()
    _changed_list()
    return _results_page(pupil, [outcome])


@bp.post("/pupils/<int:pupil_id>/photos/neither")
@login_required("admin")
def pupil_photo_neither(pupil_id: int) -> Any:
    """IT says none of the faces offered is the pupil (or declines a doubtful one): nothing is kept."""
    pupil = _pupil_or_404(pupil_id)
    db = get_db()
    audit.record(db, _actor(), "pupil.photo_refused", f"pupil:{pupil.id}", status="none_of_these_faces")
    db.commit()
    flash(f"Nothing enrolled from {request.form.get('filename', '')[:200] or 'that photo'}: none of its faces "
          f"was {pupil.display_name}.", "ok")
    return redirect(url_for("admin.pupil_detail", pupil_id=pupil.id))


@bp.get("/pupils/<int:pupil_id>/photos/<int:template_id>.jpg")
@login_required("admin")
def pupil_thumbnail(pupil_id: int, template_id: int) -> Any:
    """The small face crop kept at enrolment (never the original photo); not cached anywhere."""
    template = get_db().get(FaceTemplate, template_id)
    if template is None or template.pupil_id != pupil_id or not template.thumbnail:
        abort(404)
    response = Response(template.thumbnail, mimetype="image/jpeg")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


@bp.post("/pupils/<int:pupil_id>/photos/<int:template_id>/delete")
@login_required("admin")
def pupil_photo_delete(pupil_id: int, template_id: int) -> Any:
    db = get_db()
    template = db.get(FaceTemplate, template_id)
    if template is None or template.pupil_id != pupil_id:
        abort(404)
    if request.form.get("confirm") != "yes":  # a destructive action asks first
        return _no_store(current_app.make_response(render_template(
            "admin/pupil_photo_remove.html", pupil=_pupil_or_404(pupil_id), template_id=template_id)))
    records.remove_template(db, _actor(), template)
    db.commit()
    _changed_list()
    flash("Photo removed (its face template and thumbnail are deleted).", "ok")
    return redirect(url_for("admin.pupil_detail", pupil_id=pupil_id))


@bp.post("/pupils/<int:pupil_id>/remove")
@login_required("admin")
def pupil_remove(pupil_id: int) -> Any:
    pupil = _pupil_or_404(pupil_id)
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm the removal.", "error")
        return redirect(url_for("admin.pupil_detail", pupil_id=pupil.id))
    db = get_db()
    name = pupil.display_name
    records.remove_pupil(db, _actor(), pupil)
    db.commit()
    _changed_list()
    flash(f"{name} is off the no-publish list; their face templates and thumbnails are deleted.", "ok")
    return redirect(url_for("admin.pupils"))
