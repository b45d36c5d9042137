"""Database engine and per-request sessions (SQLAlchemy 2; SQLite in WAL mode by default)."""
from __future__ import annotations

import os

from flask import Flask, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from server import services


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + os.path.join(app.instance_path, "secondlook.sqlite")


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """WAL lets checks read while an admin writes; foreign keys make template deletion cascade;
    secure_delete overwrites deleted rows with zeros (its default depends on how SQLite was built)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    return engine


def engine() -> Engine:
    return services.engine()


def session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    return services.sessions(app)


def get_db() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = session_factory()()
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        if exc is not None:
            db.rollback()
        db.close()


def init_db(app: Flask | None = None) -> None:
    """Migrate the schema to the newest revision (server/migrations/) and add the no-publish list's
    version counter if missing; safe to run again on an existing database, and on one made before
    migrations existed."""
    from server import migrations  # Alembic is loaded by init-db, not by every worker
    from server.nopublish.state import ensure_version

    migrations.upgrade(services.engine(app))
    with session_factory(app)() as db:
        ensure_version(db)
        db.commit()



def mark_purged(db: Session) -> None:
    """Say that this transaction deletes personal data (templates, near-misses): once it commits,
    the write-ahead log is checkpointed and truncated, so no copy of the deleted rows stays in the
    -wal file either (secure_delete has already zeroed them in the database file)."""
    db.info["purged"] = True


def _checkpoint_after_purge(db: Session) -> None:
    if not db.info.pop("purged", False):
        return
    bind = db.get_bind()
    if bind.dialect.name == "sqlite":
        with bind.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _forget_purge(db: Session, *_: object) -> None:
    db.info.pop("purged", None)


def private_file(path: str) -> None:
    """Create `path` readable by this user only (0600), or tighten it and its -wal/-shm files when it
    exists (SQLite gives those the database file's mode when it creates them)."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if not os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for name in (path, path + "-wal", path + "-shm"):
        if os.path.exists(name) and os.stat(name).st_mode & 0o077 and os.stat(name).st_uid == os.getuid():
            os.chmod(name, 0o600)


def init_app(app: Flask) -> None:
    url = database_url(app)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        private_file(url.removeprefix("sqlite:///").split("?", 1)[0])
    eng = make_engine(url)
    services.register(app, services.ENGINE, eng)
    sessions = sessionmaker(bind=eng, expire_on_commit=False)
    event.listen(sessions, "after_commit", _checkpoint_after_purge)
    event.listen(sessions, "after_rollback", _forget_purge)
    services.register(app, services.SESSIONS, sessions)
    app.teardown_appcontext(close_db)
