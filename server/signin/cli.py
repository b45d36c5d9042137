"""`secondlook signin check`: can this server reach the school's sign-in service, as configured?"""
from __future__ import annotations

import click
from flask.cli import AppGroup

from server.signin import provider


@click.group("signin", cls=AppGroup)
def signin_group() -> None:
    """Sign-in with the school's accounts (OpenID Connect)."""


@signin_group.command("check")
def check() -> None:
    """Fetch the provider's discovery document and signing keys, and say what was found."""
    oidc = provider.settings()
    if not oidc.enabled:
        raise click.ClickException("SECONDLOOK_OIDC_ISSUER is not set: staff sign in with tokens only.")
    try:
        meta = provider.metadata(force=True)
        keys = provider._keys(force=True)
    except provider.ProviderUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Issuer: {meta['issuer']}")
    click.echo(f"Authorization endpoint: {meta['authorization_endpoint']}")
    click.echo(f"Token endpoint: {meta['token_endpoint']}")
    click.echo(f"Signing keys: {len(keys.keys)}")
    who = f"tenant {oidc.tenant_id}" if oidc.tenant_id else ""
    if oidc.allowed_domains:
        who = (who + " and " if who else "") + "e-mail domains " + ", ".join(oidc.allowed_domains)
    click.echo(f"Lets in: {who}; client id {oidc.client_id}.")
