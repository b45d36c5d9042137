"""Configuration: defaults, then the instance folder's config.py, then SECONDLOOK_* environment."""
from __future__ import annotations

import os
from typing import Any

MB = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,  # filled from the instance folder's secret file when not given
    "DATABASE_URL": None,  # default: SQLite in the instance folder
    "POLICY": None,  # path to a policy TOML; None = built-in default (King James's School)
    "MAX_JSON_BYTES": 1 * MB,
    "MAX_MULTIPART_BYTES": 40 * MB,
    "MAX_CONTENT_LENGTH": 40 * MB,
    "MAX_FORM_MEMORY_SIZE": 1 * MB,
    "MAX_TEXT_CHARS": 20_000,
    "MAX_IMAGES": 4,
    "MAX_IMAGE_BYTES": 10 * MB,
    "MAX_HEADER_BYTES": 8 * 1024,  # one request header, name and value (gunicorn lets up to 64 KB through)
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "secondlook_session",
    "WTF_CSRF_TIME_LIMIT": None,
    # Admin sign-in (server/admin/signin_guard.py): back-off after failures, server-side sessions.
    "LOGIN_FREE_FAILURES": 3,  # failures before each further attempt must wait (1 s, 2 s, 4 s …)
    "LOGIN_ACCOUNT_MAX_WAIT": 60,  # longest wait for one account name, in seconds: never a lock
    "LOGIN_ADDRESS_MAX_WAIT": 15 * 60,  # longest wait for one client address
    "ADMIN_SESSION_LIFETIME": 8 * 3600,  # a session ends 8 hours after sign-in
    "ADMIN_SESSION_IDLE": 30 * 60,  # … or after 30 minutes without a request
    # Enumeration of the no-publish list (server/nopublish/enumeration.py).
    "NOPUBLISH_MAX_NAMES_PER_DRAFT": 2,  # more listed pupils in one draft: one generic block, no positions
    "NOPUBLISH_DAILY_PUPILS_ALERT": 5,  # distinct listed pupils one member of staff may name a day before IT is alerted
    # Web security and rate limits (server/security.py, server/limits.py, docs/deployment.md).
    "SESSION_COOKIE_SECURE": None,  # None = "auto": Secure whenever the request came over HTTPS
    "BEHIND_PROXY": 0,  # how many reverse proxies set X-Forwarded-* (0: trust none)
    "RATE_LIMIT": "60/minute;600/hour",  # /api/v1/check per staff token
    "RATE_LIMIT_ADDRESS": "300/minute;3000/hour",  # /api/v1/check per client address
    "LOGIN_RATE_LIMIT": "10/minute;100/hour",  # admin sign-in attempts per client address
    "ADAPTER_HEALTH_RATE_LIMIT": "20/minute;200/day",  # extension adapter-health reports per staff token
    # None: a SQLite file beside the database, shared by every worker (server/limit_store.py);
    # redis://127.0.0.1:6379 for several servers; memory:// counts per process.
    "RATELIMIT_STORAGE_URI": None,
    "TIMEZONE": "Europe/London",  # pages and CSV show times in the school's zone (IANA name)
    # Sign-in with the school's accounts (OpenID Connect) and per-device tokens (server/signin/).
    "OIDC_ISSUER": None,  # e.g. https://login.microsoftonline.com/<tenant-id>/v2.0; None = no OIDC
    "OIDC_CLIENT_ID": None,
    "OIDC_CLIENT_SECRET": None,
    "OIDC_ALLOWED_DOMAINS": "",  # e.g. "school.org.uk, trust.org.uk": e-mail domains let in
    "OIDC_TENANT_ID": None,  # Entra ID: only ID tokens whose `tid` is this tenant are accepted
    "OIDC_SCOPES": "openid email profile",  # Entra: add offline_access for refresh tokens
    "OIDC_AUTH_PARAMS": "",  # extra authorize parameters, e.g. Google: access_type=offline&prompt=consent
    "OIDC_GROUPS_CLAIM": "groups",
    "OIDC_GROUP_ROLES": "",  # "group-id=admin, other-group=reviewer": the directory decides roles
    "OIDC_EXTENSION_IDS": "",  # extension ids allowed to sign in (empty: any well-formed id)
    "OIDC_TIMEOUT_SECONDS": 10,
    "DEVICE_ACCESS_SECONDS": 3600,  # a device's access token; then it refreshes (re-validated)
    "DEVICE_REFRESH_DAYS": 30,  # a device unused this long must sign in again
    "SIGNIN_CODE_SECONDS": 300,  # a QR sign-in code
}

#: Environment variables read at start-up, with how to convert each one.
ENVIRONMENT: dict[str, Any] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "POLICY": str,
    "MAX_TEXT_CHARS": int,
    "SESSION_COOKIE_SECURE": lambda v: None if v.lower() == "auto" else v.lower() in {"1", "true", "yes"},
    "BEHIND_PROXY": lambda v: 1 if v.lower() in {"true", "yes"} else 0 if v.lower() in {"false", "no"} else int(v),
    "RATE_LIMIT": str,
    "RATE_LIMIT_ADDRESS": str,
    "LOGIN_RATE_LIMIT": str,
    "ADAPTER_HEALTH_RATE_LIMIT": str,
    "RATELIMIT_STORAGE_URI": str,
    "TIMEZONE": str,
    # e-mail alerts (server/alerts): off until MAIL_SERVER and ALERT_TO are set
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_STARTTLS": lambda v: v.lower() in {"1", "true", "yes"},
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_FROM": str,
    "ALERT_TO": str,
    "PUBLIC_URL": str,
    "OIDC_ISSUER": str,
    "OIDC_CLIENT_ID": str,
    "OIDC_CLIENT_SECRET": str,
    "OIDC_ALLOWED_DOMAINS": str,
    "OIDC_TENANT_ID": str,
    "OIDC_SCOPES": str,
    "OIDC_AUTH_PARAMS": str,
    "OIDC_GROUPS_CLAIM": str,
    "OIDC_GROUP_ROLES": str,
    "OIDC_EXTENSION_IDS": str,
    "OIDC_TIMEOUT_SECONDS": float,
    "DEVICE_ACCESS_SECONDS": int,
    "DEVICE_REFRESH_DAYS": int,
    "SIGNIN_CODE_SECONDS": int,
}


def from_environment(environ: os._Environ[str] | dict[str, str] = os.environ) -> dict[str, Any]:
    """The SECONDLOOK_* settings present in the environment."""
    found = {}
    for key, convert in ENVIRONMENT.items():
        value = environ.get(f"SECONDLOOK_{key}")
        if value not in (None, ""):
            found[key] = convert(value)
    return found
