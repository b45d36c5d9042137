"""The audit trail in sentences: "director withdrew consent for Amira Khan (…); 2 faces deleted".

Entries are stored as (actor, action, target, details) so they stay machine-readable; this module
turns one into a sentence and a link for the audit page, its CSV and a pupil's consent history.
A pupil is named from the list while they are on it; once removed, by their entry number only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.display import stored_utc
from server.models import AuditEvent, Pupil

FIELD_WORDS = {
    "display_name": "name", "reference": "reference", "year_group": "year group", "reason": "reason",
    "reason_note": "reason note", "review_by": "review-by date", "parents_notified_on": "date parents were notified",
    "consent_given_by": "who gave written consent", "consent_given_on": "date of written consent",
    "pupil_objected": "pupil objects", "consent_withdrawn": "consent withdrawn",
}
#: Action ids and what they are called in the page's filter.
ACTION_WORDS = {
    "login": "Signed in", "login.failed": "Failed sign-in", "login.locked_out": "Locked out", "logout": "Signed out",
    "pupil.add": "Added a pupil", "pupil.edit": "Edited a pupil", "pupil.remove": "Removed a pupil",
    "pupil.consent_withdrawn": "Consent withdrawn or objection", "pupil.consent_recorded": "Consent recorded",
    "pupil.photo_enrolled": "Enrolled a face", "pupil.photo_refused": "Face refused", "pupil.photo_removed": "Removed a face",
    "pupil.import": "Imported the list", "pupil.export": "Exported the list", "review.mark": "Marked a near-miss reviewed",
    "review.note": "Changed a review note", "review.export": "Exported the near-miss log",
    "staff.add": "Added staff", "staff.token_issued": "Issued a token", "staff.revoke": "Revoked staff",
    "log.purge": "Purged old records", "templates.upgraded": "Re-encoded faces",
    "check_by_eye.viewed": "Viewed pupils to check by eye", "audit.export": "Exported the audit log",
    "report.false_alarm": "Reported a false alarm", "report.exception": "Asked for an exception",
    "report.answered": "Answered a report",
}


@dataclass(frozen=True)
class Sentence:
    text: str
    link: str | None = None
    link_text: str | None = None


def pupil_id_of(target: str | None) -> int | None:
    if target and target.startswith("pupil:") and target[6:].isdigit():
        return int(target[6:])
    return None


class PupilNames:
    """Names of the pupils an audit page mentions, looked up once per page.

    Entry numbers can be reused after a removal (SQLite), so an event from before the current
    entry was created is about a pupil since removed, never the one who has the number now."""

    def __init__(self, db: Session, events: list[AuditEvent]) -> None:
        ids = {pid for e in events if (pid := pupil_id_of(e.target)) is not None}
        rows = db.execute(select(Pupil.id, Pupil.display_name, Pupil.created_at)
                          .where(Pupil.id.in_(ids))).all() if ids else []
        self.pupils = {pid: (name, stored_utc(created)) for pid, name, created in rows}

    def mention(self, target: str | None, at: Any = None) -> tuple[str, str | None]:
        pid = pupil_id_of(target)
        if pid is None:
            return (target or "", None)
        if pid in self.pupils:
            name, created = self.pupils[pid]
            if at is None or created is None or stored_utc(at) >= created:
                return (name, url_for("admin.pupil_detail", pupil_id=pid))
        return (f"a pupil since removed (entry {pid})", None)


def since_created(db: Session, target: str) -> Any:
    """A condition keeping only the events about the pupil who has this entry number now."""
    pid = pupil_id_of(target)
    created = db.execute(select(Pupil.created_at).where(Pupil.id == pid)).scalar_one_or_none() if pid else None
    return AuditEvent.at >= created if created is not None else None


def _fields(names: Any) -> str:
    words = [FIELD_WORDS.get(n, n.replace("_", " ")) for n in (names or [])]
    return ", ".join(words) if words else "nothing"


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _consent_change(d: dict[str, Any], who: str | None = None) -> str:
    """"withdrew consent to face matching for Zoë (1 enrolled face deleted)"; without `who`, no "for"."""
    if d.get("consent_withdrawn"):
        what = "withdrew consent to face matching"
    elif d.get("pupil_objected"):
        what = "recorded an objection to face matching"
    else:
        what = "recorded consent to face matching"
    if who:
        what += f" for {who}"
    if d.get("templates_deleted"):
        what += f" ({_plural(d['templates_deleted'], 'enrolled face')} deleted)"
    return what

#: Why an enrolment was refused, in words (the stored status is a code).
REFUSAL_WORDS = {
    "none_of_these_faces": "none of the faces was the pupil",
    "far_from_others": "it did not look like the pupil's faces already enrolled",
    "multiple_faces": "more than one face, none chosen yet",
    "no_face": "no face found", "not_image": "not an image", "too_small": "the face was too small",
    "blurred": "the face was too blurred", "duplicate": "a duplicate of a face already enrolled",
    "no_consent": "no written consent recorded", "objected": "consent withdrawn or the pupil objects",
}


def _refusal(status: Any) -> str:
    return REFUSAL_WORDS.get(str(status), str(status).replace("_", " ").replace("-", " "))


_SENTENCES: dict[str, Callable[[dict[str, Any], str], str]] = {
    "login": lambda d, who: "signed in",
    "login.failed": lambda d, who: "failed to sign in (wrong name or password)",
    "login.locked_out": lambda d, who: "was refused sign-in: locked out after repeated failures",
    "logout": lambda d, who: "signed out",
    "pupil.add": lambda d, who: f"added {who} to the no-publish list"
    + (" with consent to face matching recorded" if d.get("consent_recorded") else " (name only)")
    + (" by bulk import" if d.get("via") == "import" else ""),
    "pupil.edit": lambda d, who: f"changed {who}'s {_fields(d.get('changed'))}",
    "pupil.consent_withdrawn": lambda d, who: _consent_change(d, who),
    "pupil.consent_recorded": lambda d, who: _consent_change(d, who),
    "pupil.remove": lambda d, who: f"removed {who} from the no-publish list"
    + (f" ({_plural(d['templates_deleted'], 'enrolled face')} deleted)" if d.get("templates_deleted") else ""),
    "pupil.photo_enrolled": lambda d, who: f"enrolled a face for {who}",
    "pupil.photo_refused": lambda d, who: f"tried to enrol a face for {who}; it was refused"
    + (f" ({_refusal(d['status'])})" if d.get("status") else ""),
    "pupil.photo_removed": lambda d, who: f"removed one of {who}'s enrolled faces",
    "pupil.import": lambda d, who: f"imported the no-publish list: {d.get('imported', '?')} of "
                                   f"{_plural(d.get('rows', '?'), 'row')} added",
    "pupil.export": lambda d, who: f"exported the no-publish list ({_plural(d.get('rows', '?'), 'row')})",
    "review.mark": lambda d, who: "marked a near-miss as reviewed",
    "review.note": lambda d, who: "changed the review note on a near-miss",
    "review.export": lambda d, who: f"exported the near-miss log ({_plural(d.get('rows', '?'), 'row')})",
    "staff.add": lambda d, who: f"added {who} as {d.get('role', 'staff')}",
    "staff.token_issued": lambda d, who: f"issued a new token to {who}" + (" (reinstated)" if d.get("reinstated") else ""),
    "staff.revoke": lambda d, who: f"revoked {who}'s token and sign-in",
    "log.purge": lambda d, who: f"deleted near-miss records older than {d.get('days', '?')} days",
    "templates.upgraded": lambda d, who: f"re-encoded {_plural(d.get('upgraded', '?'), 'enrolled face')}",
    "check_by_eye.viewed": lambda d, who: "viewed the pupils to check by eye for "
    + ", ".join(str(y) for y in d.get("year_groups", [])) + f" ({_plural(d.get('names_shown', '?'), 'name')} shown)",
    "audit.export": lambda d, who: f"exported the audit log ({_plural(d.get('rows', '?'), 'entry')})",
    "report.false_alarm": lambda d, who: "reported a false alarm on a near-miss",
    "report.exception": lambda d, who: "asked for an exception on a near-miss",
    "report.answered": lambda d, who: f"answered {d.get('to', 'a member of staff')}'s report ({d.get('decision', '')})",
}


def sentence(event: AuditEvent, names: PupilNames) -> Sentence:
    """One entry as a sentence that starts after the actor's name, with a link when there is one."""
    who, link = names.mention(event.target, event.at)
    details = event.details or {}
    make = _SENTENCES.get(event.action)
    if make:
        text = make(details, who)
    else:  # an action this version has no sentence for: its name and details, in words
        text = f"{event.action.replace('.', ' ').replace('_', ' ')} {who}".strip()
        extra = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in details.items() if k != "evidence")
        text += f" ({extra})" if extra else ""
    if details.get("evidence"):
        text += f"; evidence: {details['evidence']}"
    if (event.action.startswith(("review.", "report.")) and event.action != "review.export"
            and event.target):
        return Sentence(text, url_for("admin.review_detail", check_id=event.target), "Open the near-miss")
    if event.action.startswith("staff."):
        return Sentence(text, url_for("admin.staff_list"), "Staff")
    return Sentence(text, link, who if link else None)


CONSENT_ACTIONS = ("pupil.add", "pupil.consent_withdrawn", "pupil.consent_recorded")


@dataclass(frozen=True)
class ConsentChange:
    at: Any
    actor: str
    what: str
    record: str
    evidence: str


def _record_words(consent: dict[str, Any]) -> str:
    """The consent record after a change, in words."""
    if not consent:
        return ""
    parts = []
    if consent.get("parents_notified_on"):
        parts.append(f"parents notified {consent['parents_notified_on']}")
    if consent.get("consent_given_by"):
        parts.append(f"written consent from {consent['consent_given_by']}"
                     + (f" on {consent['consent_given_on']}" if consent.get("consent_given_on") else ""))
    if consent.get("pupil_objected"):
        parts.append("the pupil objects")
    if consent.get("consent_withdrawn"):
        parts.append("consent withdrawn")
    return "; ".join(parts) or "no consent recorded"


def consent_history(db: Session, pupil_id: int) -> list[ConsentChange]:
    """Every change to a pupil's consent record, oldest first: what, when, who, the evidence."""
    query = select(AuditEvent).where(AuditEvent.target == f"pupil:{pupil_id}", AuditEvent.action.in_(CONSENT_ACTIONS))
    current = since_created(db, f"pupil:{pupil_id}")
    if current is not None:
        query = query.where(current)
    events = db.execute(query.order_by(AuditEvent.at, AuditEvent.id)).scalars().all()
    changes = []
    for e in events:
        d = e.details or {}
        if e.action == "pupil.add":
            what = "Added to the list " + ("with consent to face matching" if d.get("consent_recorded")
                                           else "by name only")
        else:
            what = _consent_change(d)
            what = what[:1].upper() + what[1:]
            if d.get("changed"):
                what += f" (changed: {_fields(d['changed'])})"
        changes.append(ConsentChange(e.at, e.actor or "", what, _record_words(d.get("consent") or {}),
                                     d.get("evidence") or ""))
    return changes
