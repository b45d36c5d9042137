"""Helpers tests import: a test app on a fresh database, and a valid check body."""
from __future__ import annotations

import os
import re
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from sqlalchemy import create_engine, text

from server import create_app
from server.db import init_db
from server import services

PG_URL = os.environ.get("SECONDLOOK_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])

# Tests exercise rules, not rate limits: test apps and the live server (a subprocess that inherits
# this environment) get limits no test reaches; the rate-limit tests set real ones explicitly.
for _limit in ("RATE_LIMIT", "RATE_LIMIT_ADDRESS", "LOGIN_RATE_LIMIT"):
    os.environ.setdefault(f"SECONDLOOK_{_limit}", "100000/minute")


def _postgres_schema_url() -> tuple[str, str]:
    """A fresh schema per test, so tests never see each other's rows."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", schema


def _drop_postgres_schema(schema: str) -> None:
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@contextmanager
def fresh_database_url(backend: str, tmp_path: Any, name: str = "test.sqlite") -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if backend != "postgres":
        yield f"sqlite:///{tmp_path / name}"
        return
    url, schema = _postgres_schema_url()
    try:
        yield url
    finally:
        _drop_postgres_schema(schema)


def make_test_app(tmp_path: Any, backend: str = "sqlite", **config: Any) -> tuple[Any, Callable[[], None]]:
    """An app on a fresh database; returns (app, cleanup)."""
    schema = None
    if backend == "postgres":
        url, schema = _postgres_schema_url()
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": config.pop("WTF_CSRF_ENABLED", True),
        **config,
    })
    with app.app_context():
        init_db()

    def cleanup() -> None:
        services.engine(app).dispose()
        if schema:
            _drop_postgres_schema(schema)

    return app, cleanup



def draft(text: str = "", **overrides: Any) -> dict[str, Any]:
    """A valid check body with the given text."""
    body = {"text": text, "platform": "x", "account_type": "personal", "audience": "public"}
    body.update(overrides)
    return body


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on an admin page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client: Any, name: str, password: str | None = None, **kwargs: Any) -> Any:
    """Sign in through the admin login form (password defaults to make_staff's 'pw-<name>')."""
    page = client.get("/admin/login", **kwargs).get_data(as_text=True)
    return client.post("/admin/login", data={"name": name, "password": f"pw-{name}" if password is None else password,
                                              "csrf_token": csrf_from(page)}, **kwargs)


#: Biometric consent as recorded for a pupil whose face is enrolled: matching loads no template
#: without it (server/pupil_records.consented).
CONSENTED = {"parents_notified_on": __import__("datetime").date(2025, 9, 1), "consent_given_by": "A parent",
             "consent_given_on": __import__("datetime").date(2025, 9, 2)}
