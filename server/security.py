"""Web security for every response: headers, cookies, HTTPS behind a proxy, no caching of private pages.

Why here and not in each view: a header that one page forgets is the page an attacker uses. The
admin pages, the check page and the API all pass through `after_request`, so the rules hold for
pages other engineers add later too. The policy (see docs/deployment.md):

* A strict Content-Security-Policy on HTML: scripts and styles only from this site, no inline
  script or style, no plugins, no framing, forms post only here.
* The API's JSON gets `default-src 'none'` (nothing in it should ever run or load anything).
* `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: same-origin` (no
  address leaves the site; a page may set a stricter one for itself).
* `Strict-Transport-Security` only on requests that really came over HTTPS (directly, or through
  a trusted proxy when `BEHIND_PROXY` is set, via werkzeug's ProxyFix).
* `Cache-Control: no-store` on admin pages and API answers: they hold pupils' data and drafts.
* The session cookie is HttpOnly and SameSite=Lax always, and Secure whenever the request came over
  HTTPS (`SESSION_COOKIE_SECURE` = None / "auto", the default), or always / never when set.
* No CORS headers at all: the extension's service worker has host permissions, and the check page
  is same-origin, so no other origin is ever allowed to read an answer.
"""
from __future__ import annotations

from typing import IO

from flask import Flask, Request, Response, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

#: Cross-site request forgery protection for the admin and check pages' forms (the API is exempt).
csrf = CSRFProtect()

#: Content-Security-Policy of every HTML page (admin pages, check page).
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: Content-Security-Policy of API answers: JSON never needs to load or run anything.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: A year, the minimum the HSTS preload list asks for.
HSTS = "max-age=31536000; includeSubDomains"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": over HTTPS Flask-WTF's CSRF check needs the same-origin Referer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), microphone=(), payment=(), usb=()",
}


def _private(path: str) -> bool:
    """Admin pages and API answers are never stored by a browser or a proxy."""
    return path.startswith("/admin") or path.startswith("/api/")


def secure_headers(response: Response) -> Response:
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/"):
        response.headers["Content-Security-Policy"] = API_CSP
    else:
        response.headers["Content-Security-Policy"] = PAGE_CSP
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    if _private(request.path):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        response.vary.add("Cookie")
    # Belt and braces: nothing in the app sets CORS headers, and nothing may.
    for name in [h for h in response.headers.keys() if h.lower().startswith("access-control-")]:
        del response.headers[name]
    return response


class ClosingRequest(Request):
    """Closes every upload spool the form parser opened, even when a malformed multipart body
    aborts the parse: werkzeug then drops the half-built files without closing them (found by
    tests/api/test_fuzz_api.py; each one over 500 KB is a temporary file on disk until collected).
    """

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> IO[bytes]:
        stream = super()._get_file_stream(total_content_length, content_type, filename, content_length)
        self.__dict__.setdefault("_secondlook_spools", []).append(stream)
        return stream

    def close(self) -> None:
        try:
            super().close()
        finally:
            for stream in self.__dict__.pop("_secondlook_spools", []):
                stream.close()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with `SESSION_COOKIE_SECURE = None` meaning "when on HTTPS"."""

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = app.config.get("SESSION_COOKIE_SECURE")
        if setting is None or (isinstance(setting, str) and setting.lower() == "auto"):
            return has_request_context() and request.is_secure
        return bool(setting)


def refuse_oversize_headers() -> None:
    """A header longer than MAX_HEADER_BYTES (8 KB) gets the JSON error shape with code
    `request_header_fields_too_large`. gunicorn is told to pass headers up to 64 KB to the app
    (server/wsgi_server.py), so the client gets this answer instead of gunicorn's HTML 431."""
    from server.errors import ApiError

    limit = current_app.config["MAX_HEADER_BYTES"]
    for name, value in request.headers.items():
        if len(name) + len(value) > limit:
            raise ApiError(431, f"The {name[:40]} header is longer than {limit // 1024} KB.",
                           {name[:40]: ["Too long."]})


def init_app(app: Flask) -> None:
    app.before_request(refuse_oversize_headers)
    proxies = int(app.config.get("BEHIND_PROXY") or 0)
    if proxies:
        # Trust exactly `proxies` hops of X-Forwarded-For/-Proto/-Host/-Port; never more, or a
        # client could claim any address (and escape the per-address limits) or fake HTTPS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,  # type: ignore[method-assign]
                                x_port=proxies)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if app.config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = SessionInterface()
    app.request_class = ClosingRequest
    app.after_request(secure_headers)

