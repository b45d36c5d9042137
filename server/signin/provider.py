"""Talking to the school's OpenID provider (Entra ID, Google, or any certified provider).

Authlib's OAuth 2 client builds the authorization request (PKCE S256, state, nonce), exchanges
the code and refreshes; joserfc (Authlib's JOSE library) verifies the ID token: its signature
against the provider's published keys (JWKS), and its issuer, audience, expiry, issue time and
nonce. The provider's settings come from its discovery document
(`<issuer>/.well-known/openid-configuration`), fetched at first use and kept for an hour; keys
are fetched again once when a token names a key not seen yet (the provider rotated its keys).

Nothing is downloaded at start-up: a provider that cannot be reached answers every sign-in with
a clear 503 (`signin_unavailable`) naming the address tried, and `secondlook signin check`
tells IT the same from the command line.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from server import services
from server.signin.settings import OidcSettings

METADATA_SECONDS = 3600
#: Signature algorithms accepted for ID tokens (never "none", never HMAC with the client secret).
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
#: Clock difference tolerated between this server and the provider.
LEEWAY_SECONDS = 60


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered nonsense: nobody can sign in right now."""


#: Why a sign-in, code or refresh was refused: each is also the stable API error code
#: `signin_<reason>` (docs/DESIGN.md), and the audit log's reason.
REASONS = frozenset({
    "provider_refused", "provider_error", "bad_id_token", "no_id_token", "no_userinfo", "userinfo_refused",
    "wrong_tenant", "email_unverified", "no_email", "domain_not_allowed", "subject_changed", "staff_revoked",
    "code_unknown", "code_reused", "code_expired", "refresh_unknown", "refresh_expired", "device_revoked",
    "no_upstream",
})
#: Error codes of the sign-in routes besides `signin_<reason>`.
OTHER_CODES = frozenset({"signin_not_configured", "signin_unavailable", "signin_bad_state", "signin_extension"})
ERROR_CODES = OTHER_CODES | {f"signin_{reason}" for reason in REASONS}


class SignInRefused(Exception):
    """The provider's answer does not let this person in (the message is safe to show)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        assert reason in REASONS, reason
        self.reason = reason  # a short word for the audit log and the error code


@dataclass
class _Cache:
    fetched_at: float = 0.0
    metadata: dict[str, Any] | None = None
    keys: KeySet | None = None


_lock = threading.Lock()


def settings() -> OidcSettings:
    return services.oidc()


def _cache() -> _Cache:
    return current_app.extensions.setdefault("secondlook.oidc_cache", _Cache())


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings().timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"The school's sign-in service could not be reached at {url} "
                                  f"({type(exc).__name__}). Try again shortly, or ask IT.") from None
    if not isinstance(body, dict):
        raise ProviderUnavailable(f"The school's sign-in service answered {url} with something other than JSON.")
    return body


def metadata(force: bool = False) -> dict[str, Any]:
    """The provider's discovery document, checked to be for the configured issuer."""
    oidc = settings()
    cache = _cache()
    with _lock:
        if not force and cache.metadata and time.monotonic() - cache.fetched_at < METADATA_SECONDS:
            return cache.metadata
    found = _get_json(f"{oidc.issuer}/.well-known/openid-configuration")
    if (found.get("issuer") or "").rstrip("/") != oidc.issuer:
        raise ProviderUnavailable(f"The discovery document at {oidc.issuer} names another issuer "
                                  f"({found.get('issuer')!r}): check OIDC_ISSUER.")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not found.get(key):
            raise ProviderUnavailable(f"The discovery document at {oidc.issuer} has no {key}.")
    with _lock:
        cache.metadata, cache.fetched_at, cache.keys = found, time.monotonic(), None
    return found


def _keys(force: bool = False) -> KeySet:
    cache = _cache()
    meta = metadata()
    if cache.keys is None or force:
        try:
            keys = KeySet.import_key_set(_get_json(meta["jwks_uri"]))  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise ProviderUnavailable(f"The provider's signing keys could not be read ({exc}).") from None
        with _lock:
            cache.keys = keys
    assert cache.keys is not None
    return cache.keys


def _client(redirect_uri: str | None = None) -> OAuth2Session:
    oidc = settings()
    return OAuth2Session(oidc.client_id, oidc.client_secret, scope=oidc.scopes, redirect_uri=redirect_uri,
                         code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")


def authorization_request(redirect_uri: str, extra: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """The provider URL to send the browser to, and the flow's secrets to keep until it returns."""
    flow = {"state": generate_token(32), "nonce": generate_token(32), "code_verifier": generate_token(64)}
    params = {**settings().auth_params, **(extra or {})}
    with _client(redirect_uri) as client:
        url, _ = client.create_authorization_url(metadata()["authorization_endpoint"], state=flow["state"],
                                                 nonce=flow["nonce"], code_verifier=flow["code_verifier"],
                                                 **params)
    return url, flow


def _token_request(call: Any) -> dict[str, Any]:
    try:
        return dict(call())
    except OAuthError as exc:
        raise SignInRefused(f"The school's sign-in service refused ({exc.error}).", "provider_refused") from None
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"The school's sign-in service could not be reached ({type(exc).__name__}).") from None


def exchange_code(code: str, redirect_uri: str, flow: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Trade the authorization code (with the PKCE verifier) for tokens; returns (ID-token claims, tokens)."""
    endpoint = metadata()["token_endpoint"]
    with _client(redirect_uri) as client:
        token = _token_request(lambda: client.fetch_token(endpoint, grant_type="authorization_code", code=code,
                                                          code_verifier=flow["code_verifier"],
                                                          timeout=settings().timeout))
    if not token.get("id_token"):
        raise SignInRefused("The sign-in service sent no ID token (is the openid scope granted?).", "no_id_token")
    return verify_id_token(token["id_token"], nonce=flow["nonce"]), token


def verify_id_token(id_token: str, nonce: str | None, now: int | None = None) -> dict[str, Any]:
    """The ID token's claims, after checking signature, iss, aud (and azp), exp, iat and nonce.

    `nonce` None is for ID tokens from a refresh, which carry none to compare (OIDC Core 12.2).
    """
    oidc = settings()
    supported = metadata().get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [a for a in supported if a in ALGORITHMS]
    try:
        try:
            token = jwt.decode(id_token, _keys(), algorithms=algorithms)
        except (JoseError, ValueError) as first:
            if "kid" not in str(first).lower() and "key" not in type(first).__name__.lower():
                raise
            token = jwt.decode(id_token, _keys(force=True), algorithms=algorithms)  # keys rotated
        options: dict[str, Any] = {
            "iss": {"essential": True, "value": oidc.issuer},
            "aud": {"essential": True, "value": oidc.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
        }
        if nonce is not None:
            options["nonce"] = {"essential": True, "value": nonce}
        jwt.JWTClaimsRegistry(now=now, leeway=LEEWAY_SECONDS, **options).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise SignInRefused("The sign-in could not be verified: " + _why(exc), "bad_id_token") from None
    claims = dict(token.claims)
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != oidc.client_id:
        raise SignInRefused("The sign-in could not be verified: it was issued to another application.", "bad_id_token")
    return claims


def _why(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "aud" in text:
        return "it was issued to another application."
    if "expired" in text.lower() or "exp" in text:
        return "it has expired."
    if "nonce" in text:
        return "it does not belong to this sign-in (used twice, or from another browser)."
    if "iss" in text:
        return "it comes from another issuer."
    return f"{text}."


def refresh(upstream_refresh: str) -> tuple[dict[str, Any], str]:
    """Ask the provider whether this person still has access; returns (fresh claims, refresh token).

    Raises SignInRefused when the provider says no (signed out everywhere, account disabled or
    deleted, consent withdrawn): the device must then stop working.
    """
    endpoint = metadata()["token_endpoint"]
    with _client() as client:
        token = _token_request(lambda: client.refresh_token(endpoint, refresh_token=upstream_refresh,
                                                            timeout=settings().timeout))
    if token.get("id_token"):
        claims = verify_id_token(token["id_token"], nonce=None)
    else:
        claims = userinfo(token.get("access_token") or "")
    return claims, token.get("refresh_token") or upstream_refresh


def userinfo(access_token: str) -> dict[str, Any]:
    endpoint = metadata().get("userinfo_endpoint")
    if not endpoint or not access_token:
        raise SignInRefused("The sign-in service gave nothing to re-check the account with.", "no_userinfo")
    try:
        response = requests.get(endpoint, headers={"Authorization": f"Bearer {access_token}"},
                                timeout=settings().timeout)
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"The school's sign-in service could not be reached ({type(exc).__name__}).") from None
    if response.status_code in (401, 403):
        raise SignInRefused("The school's sign-in service no longer accepts this account.", "userinfo_refused")
    if not response.ok:
        raise ProviderUnavailable(f"The school's sign-in service answered {response.status_code}.")
    return dict(response.json())
