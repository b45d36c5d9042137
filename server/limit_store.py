"""A rate-limit store on disk (SQLite), so every worker of one server shares one count without Redis.

Flask-Limiter's in-memory store counts per process: with two gunicorn workers a 60/minute limit let
115 of 130 requests through. The `limits` library ships stores for Redis, Memcached, MongoDB and
etcd, none for a file, so this registers one for the `sqlite://` scheme (`limits` finds a store by
the scheme of `RATELIMIT_STORAGE_URI`). It keeps one row per request in the window (the moving
window: exact, no burst at a window edge) and takes SQLite's write lock for each decision
(`BEGIN IMMEDIATE`), so two workers can never both take the last place. Cost: one small write
transaction per limit per request (about a millisecond on the 2-core test machine).

Several servers (a trust) still need a shared store: `RATELIMIT_STORAGE_URI=redis://…`.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import Any

from limits.storage import MovingWindowSupport, Storage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hits_key_at ON hits (key, at);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL);
"""


class SQLiteStorage(Storage, MovingWindowSupport):
    """`sqlite:////absolute/path/limits.sqlite`: a rate-limit store shared by every process on a host."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = (uri or "").split("://", 1)[-1]
        if not path or path == ":memory:":
            raise ValueError("The sqlite:// rate-limit store needs a file path (sqlite:////path/limits.sqlite).")
        self.path = path
        self._local = threading.local()
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    # --- plumbing ---
    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _conn(self) -> sqlite3.Connection:
        """One connection per thread and process (a forked worker opens its own)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = self._local.conn = self._connect()
            self._local.pid = os.getpid()
        return conn

    def _write(self, work: Any) -> Any:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    # --- fixed-window counters ---
    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        def work(conn: sqlite3.Connection) -> int:
            now = time.time()
            conn.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
            conn.execute("INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value", (key, amount, now + expiry))
            return int(conn.execute("SELECT value FROM counters WHERE key = ?", (key,)).fetchone()[0])
        return self._write(work)

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
        def work(conn: sqlite3.Connection) -> int:
            return conn.execute("DELETE FROM hits").rowcount + conn.execute("DELETE FROM counters").rowcount
        return self._write(work)

    def clear(self, key: str) -> None:
        def work(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM hits WHERE key = ?", (key,))
            conn.execute("DELETE FROM counters WHERE key = ?", (key,))
        self._write(work)

    # --- moving window ---
    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False

        def work(conn: sqlite3.Connection) -> bool:
            now = time.time()
            conn.execute("DELETE FROM hits WHERE key = ? AND at < ?", (key, now - expiry))
            taken = conn.execute("SELECT COUNT(*) FROM hits WHERE key = ?", (key,)).fetchone()[0]
            if taken + amount > limit:
                return False
            conn.executemany("INSERT INTO hits (key, at) VALUES (?, ?)", [(key, now)] * amount)
            return True
        return self._write(work)

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, count = self._conn().execute("SELECT MIN(at), COUNT(*) FROM hits WHERE key = ? AND at >= ?",
                                             (key, now - expiry)).fetchone()
        return (float(oldest), int(count)) if count else (now, 0)
