"""Adapter health: the extension says when it cannot gate a composer on a supported site.

A site redesign that hides the Post button or the image input from an adapter must be noticed
within hours, not when a photo is already out. The extension reports (site, adapter, composer
kind, what was missing, extension version) once per page and problem; the server keeps one
counter row per day (the school's day, Europe/London by default, as IT reads the page) and those
fields, with the first and last time it was seen. No draft text, page address or member of staff
is stored.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.display import school_zone
from server.models import AdapterHealth

#: The sites the extension has adapters for (extension/adapters/*.js `platform`).
SITES = ("x", "facebook", "instagram", "linkedin", "other")
#: What an adapter can fail to find for a composer.
MISSING = ("send-control", "images", "composer")
KINDS = ("post", "reply", "comment", "dm")
KEY = ("day", "site", "adapter", "kind", "missing", "extension_version")


def _upsert(dialect: str) -> Any:
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    table = AdapterHealth.__table__
    stmt = insert(table)
    return stmt.on_conflict_do_update(index_elements=list(KEY),
                                      set_={"count": table.c.count + 1, "last_seen": stmt.excluded.last_seen})


def record(db: Session, *, site: str, adapter: str, kind: str, missing: Iterable[str], extension_version: str,
           now: datetime | None = None) -> int:
    """Count one report (one row per missing thing) in the caller's transaction; returns rows touched."""
    at = now or datetime.now(timezone.utc)
    dialect = db.get_bind().dialect.name
    touched = 0
    day = at.astimezone(school_zone()).date()
    for what in sorted(set(missing)):
        key = {"day": day, "site": site, "adapter": adapter, "kind": kind, "missing": what,
               "extension_version": extension_version}
        if dialect in ("sqlite", "postgresql"):
            db.connection().execute(_upsert(dialect), {**key, "count": 1, "first_seen": at, "last_seen": at})
        elif not db.execute(update(AdapterHealth).filter_by(**key)
                            .values(count=AdapterHealth.count + 1, last_seen=at)).rowcount:
            db.add(AdapterHealth(**key, count=1, first_seen=at, last_seen=at))
        touched += 1
    return touched


def rows(db: Session, since: date | None = None) -> list[AdapterHealth]:
    """Counter rows, newest day first, then by site."""
    query = select(AdapterHealth)
    if since is not None:
        query = query.where(AdapterHealth.day >= since)
    return list(db.execute(query.order_by(AdapterHealth.day.desc(), AdapterHealth.site, AdapterHealth.adapter,
                                          AdapterHealth.missing)).scalars())
