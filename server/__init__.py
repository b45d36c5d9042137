"""Second Look's web service: `create_app` builds the Flask app (Flask tutorial's factory)."""
from __future__ import annotations

import logging
import os
import secrets
from typing import Any

from flask import Flask
from checks_common import PolicyError, load_policy
from server.security import csrf  # noqa: F401  (re-exported: `server.csrf`)


def _secret_key(app: Flask) -> str:
    """A per-installation secret kept in the instance folder, made on first start."""
    path = os.path.join(app.instance_path, "secret_key")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Defaults, then instance/config.py, then SECONDLOOK_* environment, then `test_config`."""
    from server import admin, api, cli, config, db, errors, limits, security, services
    from server import alerts, checkpage, display, help as help_pages, signin
    from server.nopublish import enumeration
    from server.admin.nav import admin_links
    from server.admin.login import current_user
    from server.nopublish.state import NoPublishState
    from text_checks import TextChecker

    instance_path = os.environ.get("SECONDLOOK_INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    # A path with doubled slashes (or an encoded one) is a 404, not an HTML-free 308 redirect that
    # a POST client would follow with its body: every answer of the API is one of its documented ones.
    app.url_map.merge_slashes = False
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment())
    if test_config is not None:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)

    try:
        policy = load_policy(app.config.get("POLICY"))
    except PolicyError as exc:
        raise SystemExit(f"Second Look cannot start: invalid policy file: {exc}") from None
    services.register(app, services.POLICY, policy)
    services.register(app, services.TEXT_CHECKER, TextChecker(policy))
    services.register(app, services.NOPUBLISH, NoPublishState())

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    db.init_app(app)
    errors.init_app(app)
    csrf.init_app(app)
    csrf.exempt(api.bp)  # the API authenticates with bearer tokens, not cookies
    api.openapi.init_app(app, api.bp)  # registers the blueprint and builds its OpenAPI document
    app.register_blueprint(admin.bp)
    app.register_blueprint(checkpage.bp)
    signin.init_app(app)  # sign-in with the school's accounts, device tokens (server/signin/)
    cli.init_app(app)
    display.init_app(app)
    help_pages.init_app(app)
    alerts.init_app(app)
    security.init_app(app)  # headers, cookies, proxy (after the blueprints: it sees every answer)
    enumeration.init_app(app)  # the admins' banner for attempts to list the no-publish list
    limits.init_app(app)  # wraps /api/v1/check and the sign-in view, so after the blueprints

    @app.context_processor
    def _inject_admin() -> dict[str, Any]:
        return {"admin_links": admin_links(), "current_user": current_user}

    @app.before_request
    def _load_user() -> None:
        from flask import request
        if request.path.startswith("/admin"):
            current_user()

    @app.get("/")
    def home() -> Any:
        from flask import redirect, url_for
        return redirect(url_for("admin.index"))

    return app
