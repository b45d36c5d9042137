"""CLI for IT: `secondlook admin create`, and the no-publish list's `expire` and `import` commands.

`expire` and `import` join the image checks' `secondlook nopublish` group (add/list/remove), so
the list has one command group.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from server.admin import bulk_import
from server import pupil_records as records
from server.cli_nopublish import nopublish_group
from server.db import session_factory
from server.models import Staff

MIN_PASSWORD = 12


@click.group("admin", cls=AppGroup)
def admin_group() -> None:
    """Admins of the admin pages (IT)."""


@admin_group.command("create")
@click.argument("name")
@click.option("--generate", is_flag=True, help="Generate a strong password and print it once.")
def admin_create(name: str, generate: bool) -> None:
    """Create an admin who can sign in to the admin pages and keep the no-publish list."""
    from server.cli import create_staff, new_password  # server.cli registers this module

    name = name.strip()
    if not name:
        raise click.ClickException("Give the admin a name.")
    with session_factory()() as db:
        if db.execute(select(Staff).where(Staff.name == name)).scalar_one_or_none():
            raise click.ClickException(f"A member of staff called {name!r} already exists.")
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


@click.command("expire")
@with_appcontext
@click.option("--remove", is_flag=True, help="Remove them (with their face templates), not just list them.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Pretend today is this date.")
def expire(remove: bool, today: object) -> None:
    """List (or remove) entries whose review-by date has passed."""
    day = today.date() if today else date.today()  # type: ignore[attr-defined]
    with session_factory()() as db:
        due = records.expired(db, day)
        if not due:
            click.echo("No entry is past its review-by date.")
            return
        for pupil in due:
            click.echo(f"{pupil.id}\t{pupil.review_by}\t{pupil.reference or '-'}\t{pupil.display_name}")
        if not remove:
            click.echo(f"{len(due)} entr{'y is' if len(due) == 1 else 'ies are'} past review-by; "
                       "review them, or run again with --remove.")
            return
        for pupil in due:
            records.remove_pupil(db, "cli", pupil, why="expired")
        db.commit()
    click.echo(f"Removed {len(due)} expired entr{'y' if len(due) == 1 else 'ies'} and their face templates.")


@click.command("import")
@with_appcontext
@click.argument("csv_path", metavar="CSV", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("photos_path", metavar="[ZIP_OR_FOLDER]", required=False,
                type=click.Path(exists=True, path_type=Path))
def import_command(csv_path: Path, photos_path: Path | None) -> None:
    """Import pupils from a CSV, with photos named by reference in a ZIP or folder.

    Each pupil is imported whole or not at all; exits with 1 if any row was not imported.
    """
    try:
        rows = bulk_import.parse_csv(csv_path.read_bytes()[: bulk_import.MAX_CSV_BYTES + 1])
        photos: list[bulk_import.Photo] = []
        if photos_path is not None:
            photos = (bulk_import.read_folder(photos_path) if photos_path.is_dir()
                      else bulk_import.read_zip(photos_path.read_bytes()))
    except bulk_import.ImportRefused as exc:
        raise click.ClickException(f"{exc} Nothing was imported.") from None
    policy = current_app.extensions["secondlook.policy"]
    reports = []
    steps = bulk_import.import_rows(session_factory(), "cli", rows, photos, policy)
    with click.progressbar(length=len(rows), label="Importing", file=sys.stderr) as bar:
        last = 0
        for done, _, report in steps:
            bar.update(done - last)
            last = done
            reports.append(report)
    failed = 0
    for report in reports:
        if not report.line:
            click.echo("; ".join(report.problems))
            continue
        failed += not report.imported
        state = "imported" if report.imported else "NOT imported"
        click.echo(f"line {report.line}: {report.name or '(no name)'} [{report.reference or '-'}]: {state}")
        for problem in report.problems:
            click.echo(f"    {problem}")
        for name, message in report.photos:
            click.echo(f"    {name}: {message}")
    click.echo(f"{len(rows) - failed} imported, {failed} not imported, of {len(rows)}.")
    if failed:
        click.get_current_context().exit(1)


def init_app(app: Flask) -> None:
    """Register `admin`, and add `expire` and `import` to the `nopublish` group."""
    nopublish_group.add_command(expire)
    nopublish_group.add_command(import_command)
    app.cli.add_command(nopublish_group)
    app.cli.add_command(admin_group)
