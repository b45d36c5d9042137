"""The no-publish list's rules, shared by the admin pages, the bulk import and the CLI.

Everything that changes the list goes through here so that each change is validated the same
way, audited (never with biometric data) and bumps `nopublish_version` in the same transaction,
which makes every worker's name matcher and face index rebuild within a second.

Consent (Protection of Freedoms Act 2012 s.26-28, UK GDPR art. 9): a pupil's face may only be
enrolled once parents have been notified and a parent's written consent is recorded, and only
while the pupil has not objected. When consent is withdrawn, the pupil objects or any consent field
is blanked, their face templates and thumbnails are deleted in the same transaction; they stay on
the list by name only. Matching itself only loads templates of pupils whose consent is recorded
(`server.nopublish.state.consented`), so a template can never be used without it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping

import numpy as np
from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.orm import Session

from checks_common import Policy
from server import audit
from server.db import mark_purged
from server.models import FaceTemplate, Pupil
from server.nopublish.state import bump_version, pending_manual_count  # noqa: F401  (the pages show the count)

#: Reason categories IT can choose (stored value -> label).
REASONS = {
    "no-consent": "No consent to publish",
    "safeguarding": "Safeguarding",
    "looked-after": "Looked-after child",
    "other": "Other",
}
REASON_NOTE_MAX = 200
NAME_MAX = 200
REFERENCE_MAX = 64
YEAR_GROUP_MAX = 32
CONSENT_BY_MAX = 200


ENROL_MESSAGES = {
    "accepted": "Accepted: the face is enrolled.",
    "not_image": "Not an image (JPEG, PNG, WebP, GIF or HEIC).",
    "no_face": "No face was found in this photo.",
    "multiple_faces": "More than one face: choose which one is this pupil.",
    "too_small": "The face is too small to enrol reliably; use a closer photo.",
    "blurred": "The face is too blurred to enrol reliably; use a sharper photo.",
    "duplicate": "Duplicate of a photo already enrolled.",
    "no_consent": "Not enrolled: record the parents' written consent first.",
    "objected": "Not enrolled: consent withdrawn or the pupil objects, so no face may be kept.",
}


class ListError(ValueError):
    """A change the list's rules refuse; `fields` maps form field names to messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


@dataclass
class PupilFields:
    """Validated values for a pupil (from the form or a CSV row)."""

    display_name: str
    reference: str | None
    year_group: str | None
    reason: str
    reason_note: str | None
    review_by: date | None
    parents_notified_on: date | None = None
    consent_given_by: str | None = None
    consent_given_on: date | None = None
    pupil_objected: bool = False
    consent_withdrawn: bool = False

    def apply(self, pupil: Pupil) -> list[str]:
        """Copy onto `pupil`; returns the names of the fields that changed."""
        changed = []
        for name, value in vars(self).items():
            if getattr(pupil, name) != value:
                setattr(pupil, name, value)
                changed.append(name)
        return changed

    @property
    def has_consent(self) -> bool:
        return consent_problem_of(self) is None


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return str(value).strip() if value is not None else ""


def parse_date(value: str) -> date:
    """ISO dates (2026-07-31) or the UK's day-first form (31/07/2026)."""
    value = value.strip()
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(value)


def _truthy(value: Any) -> bool:
    return str(value or "").strip().lower() in {"1", "y", "yes", "true", "on"}


def validate_fields(raw: Mapping[str, Any], today: date | None = None) -> PupilFields:
    """Check a form or CSV row; raises ListError with a message per bad field."""
    errors: dict[str, str] = {}
    name = " ".join(_text(raw, "display_name").split())
    if not name:
        errors["display_name"] = "Enter the pupil's name."
    elif len(name) > NAME_MAX:
        errors["display_name"] = f"At most {NAME_MAX} characters."
    reference = _text(raw, "reference") or None
    if reference and (len(reference) > REFERENCE_MAX or not re.fullmatch(r"[A-Za-z0-9._-]+", reference)):
        errors["reference"] = "A UPN or MIS id: letters, digits, '.', '_' or '-' only, at most 64."
    year_group = _text(raw, "year_group") or None
    if year_group and len(year_group) > YEAR_GROUP_MAX:
        errors["year_group"] = f"At most {YEAR_GROUP_MAX} characters."
    reason = _text(raw, "reason").lower().replace(" ", "-").replace("_", "-")
    if reason not in REASONS:
        errors["reason"] = "Choose one of: " + ", ".join(REASONS) + "."
    note = _text(raw, "reason_note") or None
    if note and len(note) > REASON_NOTE_MAX:
        errors["reason_note"] = f"Keep it short: at most {REASON_NOTE_MAX} characters."
    if reason == "other" and not note:
        errors["reason_note"] = "Say briefly why (the reason is 'other')."

    dates: dict[str, date | None] = {}
    for key in ("review_by", "parents_notified_on", "consent_given_on"):
        text = _text(raw, key)
        dates[key] = None
        if text:
            try:
                dates[key] = parse_date(text)
            except ValueError:
                errors[key] = "Not a date (use 2026-07-31 or 31/07/2026)."
    if "review_by" not in errors and dates["review_by"] is None:
        errors["review_by"] = "Set a date by which this entry is reviewed."
    today = today or date.today()
    for key in ("parents_notified_on", "consent_given_on"):
        if dates[key] and dates[key] > today:
            errors[key] = "This date is in the future."
    consent_by = _text(raw, "consent_given_by") or None
    if consent_by and len(consent_by) > CONSENT_BY_MAX:
        errors["consent_given_by"] = f"At most {CONSENT_BY_MAX} characters."
    if bool(consent_by) != bool(dates["consent_given_on"]) and "consent_given_on" not in errors:
        errors["consent_given_on" if consent_by else "consent_given_by"] = (
            "Record both who gave written consent and when.")
    if errors:
        raise ListError("Some fields need attention.", errors)
    return PupilFields(
        display_name=name, reference=reference, year_group=year_group, reason=reason,
        reason_note=note, review_by=dates["review_by"], parents_notified_on=dates["parents_notified_on"],
        consent_given_by=consent_by, consent_given_on=dates["consent_given_on"],
        pupil_objected=_truthy(raw.get("pupil_objected")), consent_withdrawn=_truthy(raw.get("consent_withdrawn")),
    )


def consent_problem_of(p: Pupil | PupilFields) -> str | None:
    """Why a face may not be enrolled for this pupil now, or None when it may."""
    if p.consent_withdrawn or p.pupil_objected:
        return "objected"
    if not (p.parents_notified_on and p.consent_given_by and p.consent_given_on):
        return "no_consent"
    return None


#: Why photos are refused for a pupil (the problem `consent_problem_of` names): summary, message.
PHOTO_REFUSALS = {
    "objected": ("No photos.", "Consent withdrawn or the pupil objects: no face may be enrolled."),
    "no_consent": ("Consent first.", "Record the parents' notification and written consent before enrolling photos"),
}


def refuse_photos_without_consent(p: Pupil | PupilFields, photos_given: bool, how: str = "") -> None:
    """The list's consent rule for new photos, for every way in (pages, CLI, bulk import): photos
    only with the parents' notification and written consent recorded and no objection; otherwise
    the entry is name-only. Raises ListError on the `photos` field; `how` names where consent is
    recorded (e.g. the CLI's options)."""
    problem = consent_problem_of(p) if photos_given else None
    if problem is None:
        return
    summary, message = PHOTO_REFUSALS[problem]
    if problem == "no_consent":
        message += f" ({how})." if how else "."
    fields = {"photos": message}
    if problem == "no_consent":  # point at what is missing, not only at the photo
        fields.update({name: "Needed before a photo can be enrolled." for name in
                       ("parents_notified_on", "consent_given_by", "consent_given_on") if not getattr(p, name)})
    raise ListError(summary, fields)


def older_model_pupils(db: Session) -> set[int]:
    """Pupils none of whose templates has an SFace encoding (enrolled before it, and no face found
    again in their thumbnails): they are matched by an older, weaker network until a new photo of
    them is added."""
    has_sface = func.max(case((FaceTemplate.sface_encoding.is_not(None), 1), else_=0))
    rows = db.execute(select(FaceTemplate.pupil_id).group_by(FaceTemplate.pupil_id).having(has_sface == 0))
    return {pid for (pid,) in rows}


def upgrade_templates(db: Session, policy: Policy, actor: str = "cli") -> tuple[int, int]:
    """Give every template that lacks an ArcFace or SFace encoding the missing ones, computed from
    its stored face thumbnail (the photo itself was never kept): processing for the same purpose
    under the consent already recorded. Returns (upgraded, left as they were: no thumbnail, or no
    face found in it). Audited, and the list's version moves so every worker rebuilds its index.
    """
    from image_checks.enrol import encodings_from_thumbnail  # the image checks' notion of a template

    upgraded = left = 0
    lacking = or_(FaceTemplate.arc_encoding.is_(None), FaceTemplate.sface_encoding.is_(None))
    for template in db.execute(select(FaceTemplate).where(lacking)).scalars():
        both = encodings_from_thumbnail(template.thumbnail, policy) if template.thumbnail else None
        if both is None:
            left += 1
            continue
        template.arc_encoding = template.arc_encoding or both[0]
        template.sface_encoding = template.sface_encoding or both[1]
        upgraded += 1
    if upgraded:
        bump_version(db)
        audit.record(db, actor, "templates.upgraded", "face_templates", upgraded=upgraded, not_upgraded=left)
    return upgraded, left


#: Photos of a pupil worth enrolling. Measured with 120 pupils listed (LFW people, docs/images.md,
#: `bench/face_quality.py --lfw --network sface`): at the policy's thresholds three photos each
#: caught all of the pupils' other photos (160), two 99.2 in 100; so IT is asked for a third rather
#: than told two are enough.
RECOMMENDED_PHOTOS = 3


def photos_wanted(pupil: Pupil, photo_count: int) -> int:
    """How many more photos of the pupil to ask IT for: none when no face may be enrolled, none
    before the first (the page asks for photos then anyway), otherwise up to RECOMMENDED_PHOTOS."""
    if consent_problem_of(pupil) is not None or not photo_count:
        return 0
    return max(0, RECOMMENDED_PHOTOS - photo_count)


def status_of(pupil: Pupil, photo_count: int, older_model: bool = False) -> str:
    """A short status for the list page."""
    if pupil.consent_withdrawn:
        return "Name only: consent withdrawn"
    if pupil.pupil_objected:
        return "Name only: pupil objects"
    if photo_count and older_model:
        return "Name and face (older face model: add a new photo)"
    if photos_wanted(pupil, photo_count):
        return f"Name and face ({photo_count} of {RECOMMENDED_PHOTOS} photos: add another)"
    if photo_count:
        return "Name and face"
    if consent_problem_of(pupil) == "no_consent":
        return "Name only: no biometric consent"
    return "Name only: no photo yet"


def is_overdue(pupil: Pupil, today: date | None = None) -> bool:
    return pupil.review_by is not None and pupil.review_by < (today or date.today())


def find_by_reference(db: Session, reference: str, exclude_id: int | None = None) -> Pupil | None:
    query = select(Pupil).where(func.lower(Pupil.reference) == reference.lower())
    if exclude_id is not None:
        query = query.where(Pupil.id != exclude_id)
    return db.execute(query.limit(1)).scalar_one_or_none()


def _check_reference_free(db: Session, fields: PupilFields, exclude_id: int | None = None) -> None:
    if fields.reference and find_by_reference(db, fields.reference, exclude_id) is not None:
        raise ListError("Reference already on the list.",
                        {"reference": "Another pupil on the list already has this reference."})


def purge_templates(db: Session, pupil_id: int) -> int:
    """Delete a pupil's face templates and thumbnails (in the caller's transaction)."""
    deleted = db.execute(delete(FaceTemplate).where(FaceTemplate.pupil_id == pupil_id)).rowcount or 0
    mark_purged(db)
    pupil = db.get(Pupil, pupil_id)
    if pupil is not None:
        db.expire(pupil, ["templates"])
    return deleted


CONSENT_FIELDS = ("parents_notified_on", "consent_given_by", "consent_given_on", "pupil_objected",
                  "consent_withdrawn")


def consent_values(pupil: Pupil) -> dict[str, Any]:
    """The consent record as it now stands, for the consent history (dates as ISO text)."""
    return {name: (value.isoformat() if isinstance(value, date) else value)
            for name in CONSENT_FIELDS for value in [getattr(pupil, name)]}


def add_pupil(db: Session, actor: str, fields: PupilFields, via: str = "admin", evidence: str | None = None) -> Pupil:
    """Put a pupil on the list (not committed: the caller commits with any photos). `evidence`:
    where the consent paperwork is (kept in the consent history, e.g. "signed form, file 2025/14")."""
    _check_reference_free(db, fields)
    pupil = Pupil()
    fields.apply(pupil)
    db.add(pupil)
    db.flush()
    audit.record(db, actor, "pupil.add", f"pupil:{pupil.id}", reason=pupil.reason, via=via,
                 consent_recorded=fields.has_consent, consent=consent_values(pupil),
                 **({"evidence": evidence} if evidence else {}))
    bump_version(db)
    return pupil


def update_pupil(db: Session, actor: str, pupil: Pupil, fields: PupilFields, evidence: str | None = None) -> list[str]:
    """Apply an edit; any consent gap (withdrawn, an objection, a consent field blanked) deletes the
    face templates in the same transaction."""
    _check_reference_free(db, fields, exclude_id=pupil.id)
    changed = fields.apply(pupil)
    if not changed:
        return changed
    purged = 0
    if consent_problem_of(pupil) is not None:  # any gap: withdrawn, objected, or a field blanked
        purged = purge_templates(db, pupil.id)
    details: dict[str, Any] = {"changed": changed}
    if purged:
        details["templates_deleted"] = purged
    audit.record(db, actor, "pupil.edit", f"pupil:{pupil.id}", **details)
    if purged or consent_changed(changed):
        audit.record(db, actor, "pupil.consent_withdrawn" if consent_problem_of(pupil) is not None
                     else "pupil.consent_recorded", f"pupil:{pupil.id}",
                     pupil_objected=pupil.pupil_objected, consent_withdrawn=pupil.consent_withdrawn,
                     templates_deleted=purged, changed=[c for c in changed if c in CONSENT_FIELDS],
                     consent=consent_values(pupil), **({"evidence": evidence} if evidence else {}))
    bump_version(db)
    return changed


def consent_changed(changed: list[str]) -> bool:
    return bool({"pupil_objected", "consent_withdrawn", "consent_given_by", "consent_given_on",
                 "parents_notified_on"} & set(changed))


def remove_pupil(db: Session, actor: str, pupil: Pupil, why: str = "removed") -> int:
    """Take a pupil off the list with their templates and thumbnails, in one transaction."""
    pupil_id = pupil.id
    purged = purge_templates(db, pupil_id)
    db.delete(pupil)
    audit.record(db, actor, "pupil.remove", f"pupil:{pupil_id}", templates_deleted=purged, why=why)
    bump_version(db)
    return purged


def remove_template(db: Session, actor: str, template: FaceTemplate) -> None:
    pupil_id = template.pupil_id
    db.delete(template)
    mark_purged(db)
    audit.record(db, actor, "pupil.photo_removed", f"pupil:{pupil_id}")
    bump_version(db)


def expired(db: Session, today: date | None = None) -> list[Pupil]:
    """Entries whose review-by date has passed."""
    today = today or date.today()
    return list(db.execute(select(Pupil).where(Pupil.review_by < today).order_by(Pupil.review_by)).scalars())


def photo_counts(db: Session) -> dict[int, int]:
    rows = db.execute(select(FaceTemplate.pupil_id, func.count(FaceTemplate.id)).group_by(FaceTemplate.pupil_id))
    return {pid: count for pid, count in rows}


# --- enrolment ------------------------------------------------------------------------------------

def enrol_engine() -> Callable[..., Any]:
    """The image checks' enrolment (face detection, quality gates, encoding, face-crop thumbnail)."""
    from image_checks.enrol import enrol_photo
    return enrol_photo


@dataclass
class Candidate:
    """One face in a photo with several faces: IT picks which is the pupil."""

    number: int
    thumbnail: bytes | None
    box: Any = None  # where the face is in the photo (the CLI names faces by position, not by picture)


@dataclass
class EnrolOutcome:
    """What happened to one photo, safe to show to IT (no encoding in here)."""

    filename: str
    status: str
    message: str
    template_id: int | None = None
    candidates: list[Candidate] = field(default_factory=list)
    # Set only while a choice is pending, so the page can send the same photo back with `choose`.
    photo: bytes | None = None
    # Filled when the engine accepted the face; kept out of every page and log.
    encoding: bytes | None = field(default=None, repr=False)
    arc_encoding: bytes | None = field(default=None, repr=False)
    sface_encoding: bytes | None = field(default=None, repr=False)
    thumbnail: bytes | None = field(default=None, repr=False)
    photo_sha256: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def assess_photo(db: Session, pupil: Pupil | PupilFields, data: bytes, policy: Policy, filename: str = "",
                 choose: int | None = None, pending: list[EnrolOutcome] | None = None,
                 confirmed_far: bool = False) -> EnrolOutcome:
    """Run the enrolment checks on one photo without writing anything.

    `pending` holds outcomes accepted earlier in the same batch, so a photo given twice is caught
    before either is stored.
    """
    problem = consent_problem_of(pupil)
    if problem:
        return EnrolOutcome(filename, problem, ENROL_MESSAGES[problem])
    result = enrol_engine()(data, policy, choose=choose)
    status = result.status
    reason = getattr(result, "reason", None)
    if status == "multiple_faces":
        candidates = [Candidate(i, getattr(c, "thumbnail", None), getattr(c, "box", None))
                      for i, c in enumerate(getattr(result, "candidates", None) or [])]
        return EnrolOutcome(filename, status, ENROL_MESSAGES[status], candidates=candidates, photo=data)
    if status != "accepted":
        return EnrolOutcome(filename, status, reason or ENROL_MESSAGES.get(status, "Not enrolled."))
    duplicate = _duplicate_of(db, getattr(pupil, "id", None), result, pending or [])
    if duplicate:
        return EnrolOutcome(filename, "duplicate", f"{ENROL_MESSAGES['duplicate']} {duplicate}")
    if not confirmed_far:
        from server.nopublish.enrol_crosscheck import distance_to_own_faces, far_message, is_far
        far = distance_to_own_faces(db, getattr(pupil, "id", None), result.encoding,
                                    getattr(result, "arc_encoding", None), getattr(result, "sface_encoding", None),
                                    policy)
        if is_far(far, policy):
            # the same photo comes back with the choice and an explicit confirmation
            return EnrolOutcome(filename, "far_from_others", far_message(pupil.display_name, far), photo=data,
                                candidates=[Candidate(choose if choose is not None else 0, result.thumbnail, None)])
    return EnrolOutcome(filename, "accepted", ENROL_MESSAGES["accepted"], encoding=result.encoding,
                        arc_encoding=getattr(result, "arc_encoding", None) or None,
                        sface_encoding=getattr(result, "sface_encoding", None) or None,
                        thumbnail=result.thumbnail, photo_sha256=result.photo_sha256)


def _duplicate_of(db: Session, pupil_id: int | None, result: Any, pending: list[EnrolOutcome]) -> str | None:
    """Describe an existing template this photo duplicates (same file, or a near-identical face)."""
    from image_checks.enrol import DUPLICATE_DISTANCE  # the image checks' notion of "the same photo"

    for earlier in pending:
        if earlier.photo_sha256 == result.photo_sha256:
            return f"(same file as {earlier.filename or 'another photo'} in this upload)"
    rows = db.execute(select(FaceTemplate.pupil_id, FaceTemplate.photo_sha256, FaceTemplate.encoding,
                             Pupil.display_name).join(Pupil)).all()
    for owner_id, sha, _, name in rows:
        if sha and sha == result.photo_sha256:
            return _whose(owner_id, pupil_id, name, "the same file")
    encoding = np.frombuffer(result.encoding, dtype=np.float64)
    known = [(owner_id, name, enc) for owner_id, _, enc, name in rows]
    known += [(pupil_id, None, p.encoding) for p in pending if p.encoding]
    if known:
        matrix = np.stack([np.frombuffer(enc, dtype=np.float64) for _, _, enc in known])
        distances = np.linalg.norm(matrix - encoding, axis=1)
        nearest = int(np.argmin(distances))
        if distances[nearest] < DUPLICATE_DISTANCE:
            owner_id, name, _ = known[nearest]
            return _whose(owner_id, pupil_id, name, "a near-identical photo")
    return None


def _whose(owner_id: int | None, pupil_id: int | None, name: str | None, what: str) -> str:
    if name is None or (owner_id is not None and owner_id == pupil_id):
        return f"({what} is already enrolled for this pupil)"
    return f"({what} is already enrolled for {name}: check you have the right child)"


def store_outcome(db: Session, actor: str, pupil: Pupil, outcome: EnrolOutcome) -> None:
    """Keep an accepted face (template + thumbnail, never the photo) and audit every attempt."""
    if outcome.accepted:
        template = FaceTemplate(pupil_id=pupil.id, encoding=outcome.encoding, arc_encoding=outcome.arc_encoding,
                                sface_encoding=outcome.sface_encoding, thumbnail=outcome.thumbnail, photo_sha256=outcome.photo_sha256)
        db.add(template)
        db.flush()
        outcome.template_id = template.id
        bump_version(db)
    audit.record(db, actor, "pupil.photo_enrolled" if outcome.accepted else "pupil.photo_refused",
                 f"pupil:{pupil.id}", status=outcome.status)


def enrol_photo(db: Session, actor: str, pupil: Pupil, data: bytes, policy: Policy, filename: str = "",
                choose: int | None = None, confirmed_far: bool = False) -> EnrolOutcome:
    """Assess and, when accepted, store one photo for `pupil` (the caller commits)."""
    outcome = assess_photo(db, pupil, data, policy, filename, choose=choose, confirmed_far=confirmed_far)
    store_outcome(db, actor, pupil, outcome)
    return outcome
