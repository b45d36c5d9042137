"""Writing the near-miss log: one record per near-miss, even when a draft is checked as it is typed.

The extension checks a draft again each time the member of staff pauses typing. Without help every
one of those checks would be a record of its own and the log would count one post many times. So
a client may send `client_draft_id` (any id it keeps for the draft being composed): checks of the
same draft by the same member of staff then share a record while the rules that fire stay the same
(the excerpt follows the latest text). When the rules or the set of listed pupils named change
(compared as a keyed hash of their ids, server/nopublish/enumeration.py), the earlier record is closed as
`edited` (the member of staff changed the draft and that near-miss went away) and a new one starts;
a clean check closes it the same way. Without a draft id every check with findings is its own record.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from checks_common import Draft, Finding
from server import audit
from server.models import Check, OutcomeReport
from server.nearmiss.clean_counts import count_clean
from server.nearmiss.redaction import logged_finding, logged_images, redacted_excerpt

#: A draft id older than this starts a new record (a draft left open overnight is a new post).
DRAFT_WINDOW = timedelta(hours=6)

_CHECKS = Check.__table__
_C = _CHECKS.c
# Core statements built once (building one costs more than running it; the ORM unit of work
# would triple the log's cost on every check).
_INSERT = _CHECKS.insert()
_OPEN = (select(_C.id, _C.rules, _C.images, _C.pupils_key)
         .where(_C.staff_id == bindparam("_staff"), _C.draft_key == bindparam("_key"), _C.outcome.is_(None),
                _C.created_at >= bindparam("_since"))
         .order_by(_C.created_at.desc()).limit(1))
_UPDATE = update(_CHECKS).where(_C.id == bindparam("_id"))  # SET: the columns named in the parameters
_HISTORY = OutcomeReport.__table__.insert()
_CLOSE = (update(_CHECKS).where(_C.id == bindparam("_id"), _C.outcome.is_(None))
          .values(outcome="edited", outcome_at=bindparam("_at"), flagged=False))


def draft_key(staff_id: int, client_draft_id: str | None) -> str | None:
    """What is stored of the client's draft id: a hash bound to the member of staff."""
    if not client_draft_id:
        return None
    return hashlib.sha256(f"{staff_id}\n{client_draft_id}".encode("utf-8")).hexdigest()


def _open_record(db: Session, staff_id: int, key: str) -> Any:
    """The draft's record that is still open (no outcome yet, recent), if any."""
    since = datetime.now(timezone.utc) - DRAFT_WINDOW
    return db.connection().execute(_OPEN, {"_staff": staff_id, "_key": key, "_since": since}).first()


def _close_as_edited(db: Session, check_id: str) -> None:
    """The draft changed and this near-miss went away: its outcome is `edited`, kept as history too."""
    now = datetime.now(timezone.utc)
    if db.connection().execute(_CLOSE, {"_id": check_id, "_at": now}).rowcount:
        db.connection().execute(_HISTORY, {"check_id": check_id, "at": now, "action": "edited",
                                           "override_reason": None, "source": "draft-changed", "stands": True})
        audit.record(db, None, "check.outcome", check_id, reported="edited", standing="edited",
                     flagged=False, reason_given=False, source="the draft changed")


def first_block_of_draft(db: Session, staff_id: int, client_draft_id: str | None, check_id: str) -> bool:
    """Whether the new record `check_id` (a block on a school account) is its draft's first: the one
    alert a draft gets (server/alerts). Checks of one draft whose rules change start new records;
    they must not alert again. Without a draft id each record is a draft of its own."""
    key = draft_key(staff_id, client_draft_id)
    if key is None:
        return True
    since = datetime.now(timezone.utc) - DRAFT_WINDOW
    earlier = db.execute(select(Check.id).where(
        Check.staff_id == staff_id, Check.draft_key == key, Check.id != check_id, Check.verdict == "block",
        Check.account_type == "school", Check.created_at >= since).limit(1)).first()
    return earlier is None


def _same_images(logged: Any, current: list[dict[str, Any]]) -> bool:
    """A different photo is a different near-miss: photo after photo sent under one draft id (a
    probe of the no-publish list) must not hide in one record (tests/nopublish/test_membership_oracle.py)."""
    return sorted(i.get("sha256", "") for i in (logged or [])) == sorted(i["sha256"] for i in current)


def record(db: Session, *, check_id: str, staff_id: int, draft: Draft, images: list[Any],
           findings: list[Finding], verdict: str, elapsed_ms: float, ruleset: str,
           client_draft_id: str | None = None, pupils_key: str | None = None) -> str:
    """Log one check in the caller's transaction; returns the id the client should report against.

    A check with findings is recorded (redacted); a clean one is only counted.
    """
    key = draft_key(staff_id, client_draft_id)
    earlier = _open_record(db, staff_id, key) if key else None
    if not findings:
        count_clean(db, draft, ruleset)
        if earlier is not None:
            _close_as_edited(db, earlier.id)
        return check_id
    rules = " " + " ".join(sorted({f.rule for f in findings})) + " "
    values = dict(
        platform=draft.platform,
        account_type=draft.account_type,
        audience=draft.audience,
        client=draft.client,
        verdict=verdict,
        findings=[logged_finding(f, draft.text) for f in findings],
        rules=rules,
        excerpt=redacted_excerpt(draft.text, findings),
        images=logged_images(images),
        elapsed_ms=round(elapsed_ms, 2),
        pupils_key=pupils_key,
    )
    if (earlier is not None and earlier.rules == rules and earlier.pupils_key == pupils_key
            and _same_images(earlier.images, values["images"])):
        db.connection().execute(_UPDATE, {"_id": earlier.id, **values})
        return earlier.id
    if earlier is not None:
        _close_as_edited(db, earlier.id)
    db.connection().execute(_INSERT, dict(values, id=check_id, staff_id=staff_id, draft_key=key))
    return check_id
