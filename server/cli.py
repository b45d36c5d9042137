"""The `secondlook` command: a Flask CLI group, so it reads the same configuration as the app."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server import audit
from server.auth import hash_password, hash_token, new_token
from server.cli_log import log_group
from server.cli_nopublish import nopublish_group
from server.db import init_db, session_factory
from server.models import ROLES, Staff


def _create_app() -> Flask:
    from server import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Second Look: a pre-post checker for school staff."""


@click.group("staff", cls=AppGroup)
def staff_group() -> None:
    """Members of staff and their API tokens."""


def new_password() -> str:
    return secrets.token_urlsafe(12)


def create_staff(name: str, role: str, password: str | None = None,
                 actor: str = "cli") -> tuple[Staff, str, str | None]:
    """Create a member of staff with a fresh token (and a password for admin-page roles)."""
    token = new_token()
    if role in ("reviewer", "admin") and password is None:
        password = new_password()
    with session_factory()() as db:
        staff = Staff(name=name, role=role, token_hash=hash_token(token),
                      password_hash=hash_password(password) if password else None)
        db.add(staff)
        audit.record(db, actor, "staff.add", name, role=role)
        db.commit()
    return staff, token, password


def issue_token(db: Session, staff: Staff, actor: str) -> tuple[str, str | None]:
    """Give a member of staff a new token (the old one stops working); reinstates a revoked one.

    Returns (token, password): a reinstated reviewer or admin gets a new password too (revoking
    cleared the old one), shown once like the token; otherwise the password is None.
    """
    token = new_token()
    reinstated = not staff.active
    password = new_password() if reinstated and staff.role in ("reviewer", "admin") else None
    staff.token_hash = hash_token(token)
    if password:
        staff.password_hash = hash_password(password)
    staff.active = True
    staff.revoked_at = None
    audit.record(db, actor, "staff.token_issued", staff.name, reinstated=reinstated,
                 new_password=password is not None)
    return token, password


def revoke_staff(db: Session, staff: Staff, actor: str) -> None:
    """Revoke a member of staff's token, password and admin sessions at once (the caller commits)."""
    from server.admin.signin_guard import end_all_sessions  # the admin room imports this module

    staff.active = False
    staff.token_hash = None
    staff.password_hash = None
    staff.revoked_at = datetime.now(timezone.utc)
    ended = end_all_sessions(db, staff.id)
    audit.record(db, actor, "staff.revoke", staff.name, sessions_ended=ended, password_cleared=True)


@staff_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.option("--password", default=None, help="Admin-page password (generated and printed when omitted).")
def staff_add(name: str, role: str, password: str | None) -> None:
    """Create a member of staff and print their API token once (alone on the last line)."""
    name = name.strip()
    with session_factory()() as db:
        if db.execute(select(Staff).where(Staff.name == name)).scalar_one_or_none():
            raise click.ClickException(f"A member of staff called {name!r} already exists.")
    _, token, generated = create_staff(name, role, password)
    click.echo(f"Created {role} {name!r}.")
    if generated and password is None:
        click.echo(f"Admin-page password (shown once): {generated}")
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


@click.command("demo-seed")
@with_appcontext
def demo_seed() -> None:
    """Set up a demo school on first run: an admin login and a staff API token, printed once."""
    init_db()
    with session_factory()() as db:
        existing = db.execute(select(func.count(Staff.id))).scalar_one()
    if existing:
        click.echo("Demo school already set up (tokens are shown only when created; "
                   "make another with `.venv/bin/secondlook staff add NAME`).")
        return
    _, _, password = create_staff("director", "admin")
    _, token, _ = create_staff("demo-teacher", "staff")
    policy = current_app.extensions["secondlook.policy"]
    click.echo("")
    click.echo(f"Demo school: {policy.school_name}")
    click.echo(f"  Admin pages: http://127.0.0.1:5000/admin/  sign in as 'director' with password: {password}")
    click.echo("  Staff API token for 'demo-teacher' (for the extension and curl), shown once:")
    click.echo(f"  {token}")
    click.echo("")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Worker processes.")
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker.")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn, the production WSGI server (each worker builds its own app)."""
    from server.wsgi_server import run_gunicorn
    run_gunicorn(host=host, port=port, workers=workers, threads=threads)


def init_app(app: Flask) -> None:
    app.cli.add_command(staff_group)
    app.cli.add_command(demo_seed)
    app.cli.add_command(serve)
    app.cli.add_command(log_group)
    app.cli.add_command(nopublish_group)
    from server.cli_admin import init_app as init_admin_cli  # imports server.cli, so not at the top
    init_admin_cli(app)
