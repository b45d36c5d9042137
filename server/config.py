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
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "secondlook_session",
    "WTF_CSRF_TIME_LIMIT": None,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCKOUT_SECONDS": 15 * 60,
    # Web security and rate limits (server/security.py, server/limits.py, docs/deployment.md).
    "SESSION_COOKIE_SECURE": None,  # None = "auto": Secure whenever the request came over HTTPS
    "BEHIND_PROXY": 0,  # how many reverse proxies set X-Forwarded-* (0: trust none)
    "RATE_LIMIT": "60/minute;600/hour",  # /api/v1/check per staff token
    "RATE_LIMIT_ADDRESS": "300/minute;3000/hour",  # /api/v1/check per client address
    "LOGIN_RATE_LIMIT": "10/minute;100/hour",  # admin sign-in attempts per client address
    "ADAPTER_HEALTH_RATE_LIMIT": "20/minute;200/day",  # extension adapter-health reports per staff token
    "RATELIMIT_STORAGE_URI": "memory://",  # e.g. redis://127.0.0.1:6379 for several servers
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
