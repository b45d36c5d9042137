"""The real server in a subprocess (`secondlook serve` = gunicorn), for the durability, load and
deployment tests and for bench/load.py. Each instance has its own instance folder and port, and
may share a database with another (several app servers of one trust).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`secondlook serve` on 127.0.0.1:<free port> with the given settings (SECONDLOOK_* names)."""

    def __init__(self, instance: Path, database_url: str, workers: int = 2, threads: int = 4,
                 settings: dict[str, str] | None = None) -> None:
        self.instance = Path(instance)
        self.instance.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.threads = threads
        self.env = {**os.environ, "SECONDLOOK_INSTANCE_PATH": str(self.instance),
                    "SECONDLOOK_DATABASE_URL": database_url, "SECONDLOOK_SECRET_KEY": "serverproc-secret",
                    **(settings or {})}
        self.process: subprocess.Popen | None = None
        self._log = None

    def init_db(self) -> Any:
        """Create the schema from an in-process app on the same database (quicker than the CLI); returns the app."""
        from server.db import init_db
        app = self.app()
        with app.app_context():
            init_db()
        return app

    def start(self, timeout: float = 60) -> "ServerProcess":
        self._log = open(self.instance / "server.log", "wb")
        self.process = subprocess.Popen(
            [str(BIN / "secondlook"), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers), "--threads", str(self.threads)],
            env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=2) as res:
                    if res.status == 200 and len(self.worker_pids()) >= self.workers:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer in {timeout}s: {self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the master's child processes (read from /proc)."""
        assert self.process is not None
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] not in ("Z", "X"):
                children.append(int(stat.parent.name))
        return sorted(children)

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self, graceful: bool = False) -> None:
        """SIGTERM waits for requests in flight; SIGQUIT (the default here) stops at once."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if graceful else signal.SIGQUIT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, chars: int = 2000) -> str:
        path = self.instance / "server.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def app(self) -> Any:
        """An in-process app on the same database, to arrange data and read it back."""
        from server import create_app
        return create_app({"DATABASE_URL": self.env["SECONDLOOK_DATABASE_URL"],
                           "SECRET_KEY": self.env["SECONDLOOK_SECRET_KEY"]})

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def request(url: str, method: str = "GET", body: Any = None, token: str | None = None,
            headers: dict[str, str] | None = None, raw: bytes | None = None,
            content_type: str | None = None, timeout: float = 30) -> tuple[int, dict[str, str], Any]:
    """(status, headers, parsed JSON or text); never raises for an HTTP status."""
    data = raw
    hdrs = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    if content_type:
        hdrs["Content-Type"] = content_type
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            status, headers_out, payload = res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as err:
        status, headers_out, payload = err.code, dict(err.headers), err.read()
    text = payload.decode("utf-8", "replace")
    try:
        return status, headers_out, json.loads(text)
    except ValueError:
        return status, headers_out, text
