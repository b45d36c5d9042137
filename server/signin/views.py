"""/signin/start and /signin/callback: the browser's round trip to the school's sign-in service.

`/signin/start?client=admin|check-page|extension` keeps the flow's secrets (state, nonce, PKCE
verifier) in the session and sends the browser to the provider; `/signin/callback` accepts only
a state this browser started (each used once, within ten minutes), exchanges the code, verifies
the ID token and maps the account to a member of staff. Then:

* admin: a browser session starts, back to `next`. It opens the pages of the person's role:
  reviewers and admins the admin pages, staff only the pages meant for them (the pupils to check
  by eye, which a warning card links to; every admin page refuses them);
* check-page: back to `/check#signin=<single-use code>`; the page exchanges it by POST;
* extension: back to `https://<extension id>.chromiumapp.org/#signin=<code>`, the address
  `chrome.identity.launchWebAuthFlow` waits for; the service worker exchanges it by POST.

The code is not a token: it works once, for two minutes, and only through a POST.
"""
from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, redirect, request, session, url_for

from server import audit
from server.admin.signin_guard import start_session
from server.admin.views import _safe_next
from server.db import get_db
from server.errors import ApiError
from server.signin import devices, provider
from server.signin.identity import staff_for_claims
from server.signin.provider import ProviderUnavailable, SignInRefused, settings

bp = Blueprint("signin", __name__, url_prefix="/signin")


@bp.after_request
def _private(response: Any) -> Any:
    """The redirects carry one-time codes and states: never cached, never sent on as a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

FLOWS = "signin_flows"
FLOW_SECONDS = 600
MAX_FLOWS = 4  # sign-ins started in this browser and not finished (oldest dropped)
BROWSER_CLIENTS = ("admin", "check-page", "extension")


def _redirect_uri() -> str:
    return url_for("signin.callback", _external=True)


def _unavailable(exc: ProviderUnavailable) -> ApiError:
    return ApiError(503, str(exc), code="signin_unavailable")


@bp.get("/start")
def start() -> Any:
    if not settings().enabled:
        raise ApiError(404, "Sign-in with the school's accounts is not set up on this server.",
                       code="signin_not_configured")
    client = request.args.get("client", "")
    if client not in BROWSER_CLIENTS:
        raise ApiError(400, f"Say which client signs in: client={'|'.join(BROWSER_CLIENTS)}.")
    flow: dict[str, Any] = {"client": client, "at": time.time(),
                            "device": devices.clean_name(request.args.get("device"), "")}
    if client == "admin":
        flow["next"] = _safe_next(request.args.get("next"))
    if client == "extension":
        extension_id = request.args.get("extension_id", "")
        if not settings().extension_allowed(extension_id):
            raise ApiError(403, "That browser extension may not sign in to this server.", code="signin_extension")
        flow["return_to"] = f"https://{extension_id}.chromiumapp.org/"
    hints = {k: request.args[k][:200] for k in ("login_hint", "domain_hint") if request.args.get(k)}
    try:
        url, secrets_ = provider.authorization_request(_redirect_uri(), hints)
    except ProviderUnavailable as exc:
        raise _unavailable(exc) from None
    flows = dict(session.get(FLOWS) or {})
    flows[secrets_["state"]] = {**secrets_, **flow}
    session[FLOWS] = dict(sorted(flows.items(), key=lambda item: item[1]["at"])[-MAX_FLOWS:])
    return redirect(url)


def _start_admin_session(db: Any, staff: Any) -> None:
    """The browser session, started exactly as the password sign-in starts it (server-side,
    server/admin/signin_guard.py; the caller commits). Each page checks the role (login_required)."""
    start_session(db, staff)


def _take_flow(state: str | None) -> dict[str, Any] | None:
    flows = dict(session.get(FLOWS) or {})
    flow = flows.pop(state, None) if state else None
    session[FLOWS] = flows
    if flow is None or time.time() - flow["at"] > FLOW_SECONDS:
        return None
    return flow


def _refused(flow: dict[str, Any], refused: SignInRefused) -> Any:
    """Tell the client that asked, in its own way, why the sign-in did not work."""
    if flow["client"] == "check-page":
        return redirect(url_for("checkpage.page") + "#" + urlencode({"signin_error": str(refused)}, quote_via=quote))
    if flow["client"] == "extension":
        return redirect(flow["return_to"] + "#" + urlencode({"error": refused.reason, "message": str(refused)},
                                                            quote_via=quote))
    raise ApiError(403, str(refused), code=f"signin_{refused.reason}")


@bp.get("/callback")
def callback() -> Any:
    db = get_db()
    flow = _take_flow(request.args.get("state"))
    if flow is None:
        audit.record(db, None, "signin.refused", None, reason="bad_state")
        db.commit()
        raise ApiError(400, "This sign-in was not started in this browser, was already used, or took too long: "
                            "start again.", code="signin_bad_state")
    if request.args.get("error"):
        refused = SignInRefused("The school's sign-in service did not sign you in "
                                f"({request.args.get('error')[:80]}).", "provider_error")
        return _refused(flow, refused)
    try:
        claims, tokens = provider.exchange_code(request.args.get("code", ""), _redirect_uri(), flow)
        staff = staff_for_claims(db, claims)
    except SignInRefused as refused:
        db.rollback()
        audit.record(db, None, "signin.refused", None, reason=refused.reason, client=flow["client"])
        db.commit()
        return _refused(flow, refused)
    except ProviderUnavailable as exc:
        raise _unavailable(exc) from None
    audit.record(db, staff.name, "signin", staff.name, client=flow["client"], via="school account")
    if flow["client"] == "admin":
        _start_admin_session(db, staff)
        db.commit()
        return redirect(flow["next"])
    code = devices.create_code(db, staff, "school-account", staff.name, client=flow["client"],
                               device_name=flow.get("device") or None,
                               upstream_refresh=tokens.get("refresh_token"), seconds=devices.HANDOFF_SECONDS)
    db.commit()
    target = url_for("checkpage.page") if flow["client"] == "check-page" else flow["return_to"]
    return redirect(target + "#" + urlencode({"signin": code}))
