"""Routes of the check page: the page, its manifest, its service worker and the share fallback."""
from __future__ import annotations

import json
import os
from typing import Any

from flask import Response, current_app, redirect, render_template, send_from_directory, url_for

from server import services
from server.checkpage.blueprint import bp
from server.checkpage.manifest import web_app_manifest
from server.security import csrf

#: The page runs only its own script and style (no inline script or style, no third parties).
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:"

PLATFORMS = (("x", "X (Twitter)"), ("facebook", "Facebook"), ("instagram", "Instagram"),
             ("linkedin", "LinkedIn"), ("other", "Another app"))


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


@bp.get("")
def page() -> Any:
    """The page itself: served to anyone, it holds nothing private; its API calls carry the token."""
    policy = services.policy()
    return render_template("checkpage/check.html", school_name=policy.school_name, platforms=PLATFORMS,
                           max_images=current_app.config["MAX_IMAGES"])


@bp.get("/manifest.webmanifest")
def manifest() -> Any:
    policy = services.policy()
    body = json.dumps(web_app_manifest(policy.school_name), indent=1)
    return Response(body, mimetype="application/manifest+json")


@bp.get("/sw.js")
def service_worker() -> Any:
    """Served from /check/ with `Service-Worker-Allowed: /check`, so its scope can be /check itself."""
    response = send_from_directory(os.path.join(current_app.static_folder, "checkpage"), "sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = url_for("checkpage.page")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/share")
@csrf.exempt
def share() -> Any:
    """The Share sheet posts here; normally the service worker answers before the network.

    When no service worker is active yet (the page was never opened on this phone, or the
    browser cleared it), the shared photos and text reach the server. They are not read, kept or
    checked here — that would need the staff token, which the phone only sends from the page —
    so the answer is a redirect to the page with a message to open it once and share again.
    """
    return redirect(url_for("checkpage.page", shared="unavailable"), code=303)
