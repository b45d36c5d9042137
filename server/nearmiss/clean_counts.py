"""Counting checks that found nothing: per day (and per platform, account type and rule set).

A clean check is never stored, only counted, so the log holds near-misses alone. The counters are
bumped with one INSERT … ON CONFLICT DO UPDATE on SQLite and PostgreSQL, so two workers counting
the first clean check of a day cannot collide on the primary key.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from typing import Any

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from checks_common import Draft
from server import services
from server.models import CleanCheckCount, CleanCheckTally


def ruleset_fingerprint(rule_ids: list[str], switches: dict[str, Any]) -> str:
    """A short stable name for the set of enabled rules and their severity overrides."""
    parts = sorted(rule_ids) + sorted(f"{k}={sorted(v.items())}" for k, v in switches.items())
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]


def current_ruleset(app: Flask) -> str:
    """The fingerprint of the app's enabled text rules and the policy's rule switches (cached)."""
    cached = app.extensions.get(services.RULESET)
    if cached is None:
        checker = services.text_checker(app)
        policy = services.policy(app)
        cached = ruleset_fingerprint([r.id for r in checker.rules], policy.rule_switches)
        services.register(app, services.RULESET, cached)
    return cached


def utc_today() -> date:
    """Days are UTC days, like the near-miss log's timestamps."""
    return datetime.now(timezone.utc).date()


_UPSERTS: dict[tuple[str, str], Any] = {}


def _upsert(dialect: str, model: Any, key_columns: tuple[str, ...]) -> Any:
    """INSERT … ON CONFLICT (key) DO UPDATE SET count = count + 1, built once per dialect and table
    (building a statement costs more than running it: this is on every clean check's path)."""
    cache_key = (dialect, model.__tablename__)
    stmt = _UPSERTS.get(cache_key)
    if stmt is None:
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        table = model.__table__
        stmt = insert(table).on_conflict_do_update(index_elements=list(key_columns),
                                                   set_={"count": table.c.count + 1})
        _UPSERTS[cache_key] = stmt
    return stmt


def _bump(db: Session, model: Any, key: dict[str, Any]) -> None:
    """count += 1 for the row `key`, creating it at 1; race-free where the dialect allows."""
    dialect = db.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        db.connection().execute(_upsert(dialect, model, tuple(key)), {**key, "count": 1})
        return
    done = db.execute(update(model).filter_by(**key).values(count=model.count + 1)).rowcount
    if not done:
        db.add(model(**key, count=1))


def count_clean(db: Session, draft: Draft, ruleset: str, today: date | None = None) -> None:
    """Count one clean check in the caller's transaction."""
    day = today or utc_today()
    _bump(db, CleanCheckCount, {"day": day})
    _bump(db, CleanCheckTally, {"day": day, "platform": draft.platform[:16],
                                "account_type": draft.account_type[:16], "ruleset": ruleset[:16]})
