"""A rate-limit store on disk (SQLite), so every worker of one server shares one count without Redis.

Flask-Limiter's in-memory store counts per process: with two gunicorn workers a 60/minute limit let
115 of 130 requests through. The `limits` library ships stores for Redis, Memcached, MongoDB and
etcd, none for a file, so this registers one for the `sqlite://` scheme (`limits` finds a store by
the scheme of `RATELIMIT_STORAGE_URI`).

It counts fixed windows (server/limits.py picks that strategy for it): each hit is one SQL statement
(an upsert that starts a new window when the old one has expired and returns the count), atomic
in SQLite itself. Nothing holds the database's write lock across Python code, which matters: a
moving window needs read-then-write transactions, and with a worker's threads waiting for the GIL
while holding that lock, checks on a busy 2-core machine slowed to a quarter. The cost of the
fixed window is the usual one: a burst straddling two windows can pass up to twice the limit once.

Several servers (a trust) still need a shared store: `RATELIMIT_STORAGE_URI=redis://…`.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import Any

from limits.storage import Storage

_SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)"
#: One statement: a new window when the stored one has expired, else one more hit in it.
_INCR = """
INSERT INTO counters (key, value, expires) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    value = CASE WHEN counters.expires <= :now THEN excluded.value ELSE counters.value + excluded.value END,
    expires = CASE WHEN counters.expires <= :now THEN excluded.expires ELSE counters.expires END
RETURNING value
"""
#: Expired windows are deleted about once in this many hits.
_SWEEP_EVERY = 500


class SQLiteStorage(Storage):
    """`sqlite:////absolute/path/limits.sqlite`: a rate-limit store shared by every process on a host."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = (uri or "").split("://", 1)[-1]
        if not path or path == ":memory:":
            raise ValueError("The sqlite:// rate-limit store needs a file path (sqlite:////path/limits.sqlite).")
        self.path = path
        self._local = threading.local()
        self._hits = 0
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._conn().execute(_SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        """One connection per thread and process (a forked worker opens its own)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)  # autocommit
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # a count lost in a power cut costs nothing
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        conn = self._conn()
        value = conn.execute(_INCR, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()[0]
        self._hits += 1
        if self._hits % _SWEEP_EVERY == 0:
            conn.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return int(value)

    def get(self, key: str) -> int:
        row = self._conn().execute("SELECT value FROM counters WHERE key = ? AND expires > ?",
                                   (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._conn().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        return self._conn().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._conn().execute("DELETE FROM counters WHERE key = ?", (key,))
