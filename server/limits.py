"""Rate limits (Flask-Limiter): checks per staff token and per address, sign-in attempts per address.

Why: a member of staff could otherwise probe the no-publish list (is this child's face or name on
it?) as fast as the server answers, or guess an admin password from a script. The limits are
generous for a person typing (the extension debounces by 500 ms and a person pauses), and strict
for a script. Every worker of one server shares one count in a SQLite file beside the database (the
default, server/limit_store.py: no Redis needed); the app servers of a trust share one when
`RATELIMIT_STORAGE_URI` points at Redis. If the store fails, checks keep working and the
per-address limit is counted in memory until it is back (a limiter must not take the checker down).

Settings (config or SECONDLOOK_* environment): RATE_LIMIT (per token on /api/v1/check),
RATE_LIMIT_ADDRESS (per address on /api/v1/check), LOGIN_RATE_LIMIT (sign-in POSTs per address),
RATELIMIT_STORAGE_URI (unset: sqlite:// beside the database; memory:// for one process only;
redis://host:port for several servers). Limit strings are Flask-Limiter's, e.g.
"60/minute;600/hour". A refused request gets 429 with the usual error JSON (code `rate_limited`)
and a Retry-After header, from server/errors.py.
"""
from __future__ import annotations

import os
from typing import Callable

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from server import services
from server.auth import bearer_token, hash_token


def token_key() -> str:
    """The staff token's hash (never the token itself, which would then sit in Redis)."""
    token = bearer_token()
    if token:
        return "token:" + hash_token(token)[:32]
    return "no-token:" + (get_remote_address() or "")


def address_key() -> str:
    return "address:" + (get_remote_address() or "")


def _setting(name: str) -> Callable[[], str]:
    """Read the limit at request time, so a changed config applies without a restart of the app."""
    return lambda: current_app.config[name]


def _wrap(app: Flask, endpoint: str, wrap: Callable[[Callable], Callable]) -> None:
    view = app.view_functions.get(endpoint)
    if view is not None:
        app.view_functions[endpoint] = wrap(view)


def storage_uri(app: Flask) -> str:
    """The configured store, or by default a SQLite file beside the database (in the instance folder
    when the database is not a SQLite file), which every worker of this server shares."""
    configured = app.config.get("RATELIMIT_STORAGE_URI")
    if configured and configured != "auto":
        return configured
    from server.db import database_url
    url = database_url(app)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return "sqlite:///" + url.removeprefix("sqlite:///") + "-ratelimits"
    return "sqlite:///" + os.path.join(app.instance_path, "ratelimits.sqlite")


def init_app(app: Flask) -> Limiter:
    """Give the app its own limiter (one per app, so test apps never share counts)."""
    import server.limit_store  # noqa: F401  (registers the sqlite:// scheme with `limits`)

    uri = storage_uri(app)
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=uri,
        # Moving window (exact: a burst can never pass twice the limit at a window edge) where the
        # store does it atomically; the SQLite store counts fixed windows (server/limit_store.py).
        strategy="fixed-window" if uri.startswith("sqlite") else "moving-window",
        headers_enabled=True,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        in_memory_fallback=[app.config["RATE_LIMIT_ADDRESS"]],
        key_prefix="secondlook",
    )
    limiter.init_app(app)
    check_by_token = limiter.limit(_setting("RATE_LIMIT"), key_func=token_key, scope="check-token")
    check_by_address = limiter.limit(_setting("RATE_LIMIT_ADDRESS"), key_func=address_key, scope="check-address")
    login_by_address = limiter.limit(_setting("LOGIN_RATE_LIMIT"), key_func=address_key, scope="login",
                                     methods=["POST"])
    _wrap(app, "api.check", lambda view: check_by_address(check_by_token(view)))
    _wrap(app, "admin.login", login_by_address)
    _wrap(app, "api.adapter_health", limiter.limit(_setting("ADAPTER_HEALTH_RATE_LIMIT"), key_func=token_key,
                                                   scope="adapter-health"))
    services.register(app, services.LIMITER, limiter)
    return limiter
