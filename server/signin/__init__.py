"""Sign-in with the school's own accounts (OpenID Connect), per-device tokens, QR sign-in codes.

    settings.py   what the school configured (issuer, client, allowed domains or tenant, roles)
    provider.py   the provider: discovery, the authorization request (PKCE, state, nonce), the
                  code exchange and ID-token verification, refreshes (Authlib + joserfc)
    identity.py   verified claims -> a member of staff (domain / tenant rules, first sign-in)
    devices.py    device tokens (short access + rotating refresh) and single-use sign-in codes
    views.py      /signin/start and /signin/callback (browser redirects)
    cli.py        `secondlook signin check`: is the provider reachable, as configured

The tables are in server/models.py (SignInIdentity, Device, SignInCode); the device API,
/api/v1/signin/… (exchange a code, refresh, sign out, who am I), is in server/api/signin.py.

`init_app` registers the blueprint and the CLI; nothing here is imported by the checks.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from server.signin import cli, views
    from server.signin.settings import OidcSettings, SignInConfigError

    try:
        app.extensions["secondlook.oidc"] = OidcSettings.from_config(app.config)
    except SignInConfigError as exc:
        raise SystemExit(f"Second Look cannot start: {exc}") from None
    app.context_processor(lambda: {"oidc_enabled": app.extensions["secondlook.oidc"].enabled})
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.signin_group)
