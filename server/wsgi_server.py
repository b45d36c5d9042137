"""Runs the app under gunicorn from Python, so `secondlook serve` needs no separate config file."""
from __future__ import annotations

import json
from typing import Any

from gunicorn import util as gunicorn_util
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from server import create_app
        return create_app()


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """Gunicorn's own answers (a request line or header block it will not parse, a crash outside
    the app) in the project's JSON error shape, instead of gunicorn's HTML page.

    Gunicorn's message is not echoed: it may quote the offending header, which can be a token.
    """
    from server.errors import CODES, MESSAGES

    body = json.dumps({"error": {
        "code": CODES.get(status_int, "invalid_request"),
        "message": MESSAGES.get(status_int, f"{reason}."),
        "fields": {},
    }}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    gunicorn_util.write_nonblock(sock, head + body)


def _post_worker_init(worker: Any) -> None:
    # The worker calls `gunicorn.util.write_error` for what never reaches the app.
    gunicorn_util.write_error = write_json_error
    from image_checks.budget import cap_arenas
    cap_arenas()
    from server.warmup import warm_up_in_background
    warm_up_in_background(worker.wsgi)


def run_gunicorn(host: str, port: int, workers: int = 2, threads: int = 4, **extra: Any) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        # Never log query strings or bodies: drafts may hold pupils' data.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        # Several servers may run on one machine (tests, benchmarks): no shared control socket.
        "control_socket_disable": True,
        # Let headers up to 64 KB reach the app, which refuses any over MAX_HEADER_BYTES (8 KB) with
        # the JSON error shape (server/security.py): gunicorn's own 431 is an HTML page.
        "limit_request_field_size": 64 * 1024,
        "post_worker_init": _post_worker_init,
        # A worker is replaced after this many requests (staggered by the jitter, so that not
        # all restart at once): whatever memory a worker's libraries kept is given back.
        "max_requests": 500,
        "max_requests_jitter": 100,
        **extra,
    }
    _Gunicorn(options).run()
