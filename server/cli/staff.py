"""`secondlook staff add|revoke` and `secondlook admin create`: members of staff and admins."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from server.db import session_factory
from server.models import ROLES, Staff
from server.staff import create_staff, new_password, password_label, revoke_staff

MIN_PASSWORD = 12


@click.group("staff", cls=AppGroup)
def staff_group() -> None:
    """Members of staff and their API tokens."""


def _refuse_taken(name: str) -> None:
    with session_factory()() as db:
        if db.execute(select(Staff).where(Staff.name == name)).scalar_one_or_none():
            raise click.ClickException(f"A member of staff called {name!r} already exists.")


@staff_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.option("--password", default=None,
              help="Password for the web pages (generated and printed when omitted and the role signs in with one).")
def staff_add(name: str, role: str, password: str | None) -> None:
    """Create a member of staff and print their API token once (alone on the last line)."""
    name = name.strip()
    _refuse_taken(name)
    _, token, generated = create_staff(name, role, password)
    click.echo(f"Created {role} {name!r}.")
    if generated and password is None:
        click.echo(f"{password_label(role)} (shown once): {generated}")
    click.echo("API token (shown once, store it now):")
    click.echo(token)


@staff_group.command("revoke")
@click.argument("name")
def staff_revoke(name: str) -> None:
    """Revoke a member of staff's token and sign-in at once."""
    with session_factory()() as db:
        staff = db.execute(select(Staff).where(Staff.name == name)).scalar_one_or_none()
        if staff is None:
            raise click.ClickException(f"No member of staff called {name!r}.")
        revoke_staff(db, staff, "cli")
        db.commit()
    click.echo(f"Revoked {name!r}: their token no longer works.")


@click.group("admin", cls=AppGroup)
def admin_group() -> None:
    """Admins of the admin pages (IT)."""


@admin_group.command("create")
@click.argument("name")
@click.option("--generate", is_flag=True, help="Generate a strong password and print it once.")
def admin_create(name: str, generate: bool) -> None:
    """Create an admin who can sign in to the admin pages and keep the no-publish list."""
    name = name.strip()
    if not name:
        raise click.ClickException("Give the admin a name.")
    _refuse_taken(name)
    if generate:
        password = new_password()
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) < MIN_PASSWORD:
            raise click.ClickException(f"Use at least {MIN_PASSWORD} characters (or --generate).")
    create_staff(name, "admin", password)
    click.echo(f"Created admin {name!r}.")
    if generate:
        click.echo("Password (shown once, store it now):")
        click.echo(password)
