"""The no-publish list as the checks see it, rebuilt in every worker when the list changes.

Each change to the list bumps the `nopublish_version` counter in the database (same transaction);
each worker compares it at most every `POLL_SECONDS` and rebuilds its name matcher and face index
lazily, so a change is seen everywhere within a second without any message bus.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from server.models import Counter, FaceTemplate, Pupil
from server.nopublish.protocols import FaceIndex, NameMatcher

POLL_SECONDS = 0.5
#: The database counter every change to the list bumps (models.Counter).
VERSION_COUNTER = "nopublish_version"


def ensure_version(db: Session) -> None:
    """Add the version counter at 0 if the database has none yet (init-db)."""
    if db.get(Counter, VERSION_COUNTER) is None:
        db.add(Counter(name=VERSION_COUNTER, value=0))


def bump_version(db: Session) -> None:
    """Tell every worker the list has changed, inside the caller's transaction."""
    counter = db.get(Counter, VERSION_COUNTER)
    if counter is None:
        db.add(Counter(name=VERSION_COUNTER, value=1))
    else:
        counter.value = Counter.value + 1


def read_version(db: Session) -> int:
    value = db.execute(select(Counter.value).where(Counter.name == VERSION_COUNTER)).scalar_one_or_none()
    return int(value or 0)


def _build_names(pupils: list[tuple[int, str]]) -> NameMatcher | None:
    """The text checks' matcher for no-publish names, when the text checks provide one."""
    try:
        from text_checks.names import NoPublishNames
    except ImportError:
        return None
    return NoPublishNames(pupils)


def _build_index(rows: list[tuple[int, bytes, bytes | None, bytes | None]], pending_manual: int = 0) -> FaceIndex | None:
    """The image checks' face index, when the image checks provide one.

    `pending_manual` counts listed pupils kept by name only (consent withdrawn or the pupil
    objects): their faces cannot be matched, so images with faces need a manual confirmation.
    """
    try:
        from image_checks.index import NoPublishIndex
    except ImportError:
        return None
    return NoPublishIndex.from_rows(rows, pending_manual=pending_manual)


def consented() -> Any:
    """SQL condition: the pupil's biometric consent is recorded and stands (the same rule as
    server/nopublish/records.consent_problem_of returning None)."""
    return and_(Pupil.parents_notified_on.is_not(None), Pupil.consent_given_by.is_not(None),
                Pupil.consent_given_by != "", Pupil.consent_given_on.is_not(None),
                Pupil.consent_withdrawn.is_not(True), Pupil.pupil_objected.is_not(True))


def pending_manual_count(db: Session) -> int:
    """Listed pupils whose templates were deleted because consent was withdrawn or they object."""
    query = select(func.count(Pupil.id)).where(or_(Pupil.consent_withdrawn.is_(True), Pupil.pupil_objected.is_(True)))
    return int(db.execute(query).scalar_one())


class NoPublishState:
    """Per-process cache of the list, keyed by the database's version counter."""

    def __init__(self, build_names: Callable[[list[tuple[int, str]]], NameMatcher | None] = _build_names,
                 build_index: Callable[..., FaceIndex | None] = _build_index) -> None:
        self._lock = threading.Lock()
        self._build_names = build_names
        self._build_index = build_index
        self._checked_at = 0.0
        self._version: int | None = None
        self._names: NameMatcher | None = None
        self._names_version: int | None = None
        self._index: FaceIndex | None = None
        self._index_version: int | None = None

    def version(self, db: Session) -> int:
        now = time.monotonic()
        if self._version is None or now - self._checked_at >= POLL_SECONDS:
            self._version = read_version(db)
            self._checked_at = now
        return self._version

    def invalidate(self) -> None:
        """Forget the cached version (this process just changed the list)."""
        self._version = None

    def names(self, db: Session) -> NameMatcher | None:
        version = self.version(db)
        if self._names_version != version:
            with self._lock:
                if self._names_version != version:
                    rows = db.execute(select(Pupil.id, Pupil.display_name)).all()
                    self._names = self._build_names([(r[0], r[1]) for r in rows])
                    self._names_version = version
        return self._names

    def index(self, db: Session) -> FaceIndex | None:
        version = self.version(db)
        if self._index_version != version:
            with self._lock:
                if self._index_version != version:
                    # Only templates of pupils whose consent is recorded.
                    rows = db.execute(select(FaceTemplate.pupil_id, FaceTemplate.encoding, FaceTemplate.arc_encoding,
                                             FaceTemplate.sface_encoding)
                                      .join(Pupil, Pupil.id == FaceTemplate.pupil_id).where(consented())).all()
                    self._index = self._build_index([tuple(r) for r in rows],
                                                    pending_manual=pending_manual_count(db))
                    self._index_version = version
        return self._index
