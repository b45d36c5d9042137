"""Upgrading the near-miss log to the allow-list excerpt (server/nearmiss/excerpt.py), run by `init-db`.

Records stored before the allow-list kept the words around each finding as typed. This passes every
stored excerpt and override reason through the neutral vocabulary once (masks already in them stay),
audits how many changed, and checkpoints the write-ahead log so the old text does not linger there.
"""
from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server import audit
from server.db import mark_purged
from server.nearmiss.excerpt import reredact
from server.models import Check
from server.nearmiss.redaction import DEFAULT_MASKS, GENERIC_MASK

#: Every word of a mask the rules put in the log, plus the masks a finding may ask for.
_EXTRA_MASK_WORDS = "phone email postcode address number date of birth handle parent statement discriminatory"


def _label_words() -> frozenset[str]:
    words = {w.lower() for label in (*DEFAULT_MASKS.values(), GENERIC_MASK) for w in re.findall(r"[A-Za-z]+", label)}
    return frozenset(words | set(_EXTRA_MASK_WORDS.split()) | {"nhs", "upn", "uln", "ni"})


def reredact_log(db: Session, actor: str = "cli") -> int:
    """Re-redact every stored excerpt and reason (in the caller's transaction); returns how many changed."""
    label_words = _label_words()
    changed = 0
    rows = db.execute(select(Check.id, Check.excerpt, Check.override_reason)
                      .where((Check.excerpt.is_not(None)) | (Check.override_reason.is_not(None)))).all()
    for check_id, excerpt, reason in rows:
        new_excerpt = reredact(excerpt, label_words) if excerpt else excerpt
        new_reason = reredact(reason, label_words) if reason else reason
        if (new_excerpt, new_reason) != (excerpt, reason):
            db.execute(update(Check).where(Check.id == check_id).values(excerpt=new_excerpt, override_reason=new_reason))
            changed += 1
    if changed:
        mark_purged(db)
        audit.record(db, actor, "log.reredacted", "near-miss log", records=changed)
    return changed
