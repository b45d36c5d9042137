"""`secondlook nopublish …`: the no-publish list from the command line, under the admin pages' rules.

`add`, `list`, `remove`, `expire` and `import` go through `server.nopublish` (records and bulk
import), like the admin pages, so a pupil added here is validated the same way (reason, review-by date, reference),
a face is enrolled only with the parents' notification and written consent recorded and while
the pupil has not objected (Protection of Freedoms Act 2012 s.26-28), and every change is
audited with the pages' actions (`pupil.add`, `pupil.photo_enrolled`/`refused`, `pupil.remove`)
and bumps `nopublish_version` in the same transaction. Only encodings and face thumbnails are
kept, never the photos. The actor in the audit log is "cli".
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from server import services
from server.db import session_factory
from server.models import Pupil
from server.nopublish import bulk_import
from server.nopublish import records

ACTOR = "cli"

nopublish_group = AppGroup("nopublish", help="The no-publish list: pupils whose photos must not be posted.")

#: The pupil field (as `validate_fields` names it) -> the option that sets it, for error messages.
OPTION_OF = {
    "display_name": "--name", "reference": "--reference", "year_group": "--year-group", "reason": "--reason",
    "reason_note": "--reason-note", "review_by": "--review-by", "parents_notified_on": "--parents-notified-on",
    "consent_given_by": "--consent-given-by", "consent_given_on": "--consent-given-on", "photos": "PHOTO",
}


def _refusal(exc: records.ListError) -> click.ClickException:
    """One line per field the rules refused, named by its option; nothing was stored."""
    lines = [f"{OPTION_OF.get(name, name)}: {message}" for name, message in exc.fields.items()] or [str(exc)]
    return click.ClickException("\n".join(lines + ["Nothing was added."]))


CONSENT_OPTIONS = "--parents-notified-on, --consent-given-by, --consent-given-on"


def _read(path: Path, limit: int) -> bytes | None:
    """The photo's bytes, or None when it is larger than the service accepts."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def _describe(outcome: records.EnrolOutcome) -> str:
    if outcome.status != "multiple_faces":
        return outcome.message
    faces = ", ".join(
        f"{c.number}: {c.box.left},{c.box.top}-{c.box.right},{c.box.bottom}" if c.box is not None else str(c.number)
        for c in outcome.candidates)
    return f"{len(outcome.candidates)} faces found; choose which one is this pupil with --choose N ({faces})."


@nopublish_group.command("add")
@click.option("--name", required=True, help="The pupil's name as staff would write it.")
@click.option("--reference", default=None, help="The school's own reference (UPN or MIS id).")
@click.option("--year-group", default=None, help="e.g. 'Year 7'.")
@click.option("--reason", default="no-consent", show_default=True,
              help="Why the pupil is on the list: " + ", ".join(records.REASONS) + ".")
@click.option("--reason-note", default=None, help="A short note (required when the reason is 'other').")
@click.option("--review-by", required=True, help="Review this entry by this date (2027-07-31 or 31/07/2027).")
@click.option("--parents-notified-on", default=None, help="When the parents were notified (needed for photos).")
@click.option("--consent-given-by", default=None, help="Who gave written consent (needed for photos).")
@click.option("--consent-given-on", default=None, help="When written consent was given (needed for photos).")
@click.option("--pupil-objected", is_flag=True, help="The pupil objects: name-only entry, no face is kept.")
@click.option("--consent-withdrawn", is_flag=True, help="Consent was withdrawn: name-only entry, no face is kept.")
@click.option("--choose", type=int, default=None, help="Which face to take from a photo with several (0-based).")
@click.argument("photos", metavar="[PHOTO]...", nargs=-1,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def add(photos: tuple[Path, ...], choose: int | None, **options: object) -> None:
    """Add a pupil (name only, or with their face from PHOTOs); the new entry's id is on the last line.

    Photos need the consent options. All or nothing: when the details are refused, or photos
    were given and none was accepted, nothing is stored.
    """
    raw = {("display_name" if key == "name" else key): value for key, value in options.items()}
    try:
        fields = records.validate_fields(raw)
        records.refuse_photos_without_consent(fields, bool(photos), how=CONSENT_OPTIONS)
    except records.ListError as exc:
        raise _refusal(exc) from None
    policy = services.policy()
    limit = current_app.config["MAX_IMAGE_BYTES"]
    with session_factory()() as db:
        if fields.reference and records.find_by_reference(db, fields.reference):
            raise _refusal(records.ListError("Reference already on the list.", {
                "reference": "Another pupil on the list already has this reference."}))
        outcomes: list[records.EnrolOutcome] = []
        for path in photos:
            data = _read(path, limit)
            if data is None:
                outcome = records.EnrolOutcome(path.name, "too_large", f"Larger than {limit // (1024 * 1024)} MB.")
            else:
                outcome = records.assess_photo(db, fields, data, policy, path.name, choose=choose,
                                               pending=[o for o in outcomes if o.accepted])
            outcomes.append(outcome)
            click.echo(f"{path.name}: {_describe(outcome)}")
        if photos and not any(o.accepted for o in outcomes):
            raise click.ClickException("No face was enrolled, so the pupil was not added.")
        try:
            pupil = records.add_pupil(db, ACTOR, fields, via="cli")
        except records.ListError as exc:
            db.rollback()
            raise _refusal(exc) from None
        for outcome in outcomes:
            records.store_outcome(db, ACTOR, pupil, outcome)
        db.commit()
        services.nopublish().invalidate()
        kept = sum(o.accepted for o in outcomes)
        status = records.status_of(pupil, kept)
        click.echo(f"Added entry {pupil.id} ({status}) with {kept} face template(s). Entry id:")
        click.echo(str(pupil.id))


@nopublish_group.command("list")
def list_entries() -> None:
    """List the entries: id, name, number of face templates, review-by date, status."""
    with session_factory()() as db:
        pupils = db.execute(select(Pupil).order_by(Pupil.id)).scalars().all()
        counts = records.photo_counts(db)
        older = records.older_model_pupils(db)
        if not pupils:
            click.echo("The no-publish list is empty.")
            return
        for pupil in pupils:
            templates = counts.get(pupil.id, 0)
            status = records.status_of(pupil, templates, pupil.id in older)
            click.echo(f"{pupil.id}\t{pupil.display_name}\t{templates} face template(s)\t"
                       f"review by {pupil.review_by or '-'}\t{status}")


@nopublish_group.command("remove")
@click.argument("entry_id", type=int)
def remove(entry_id: int) -> None:
    """Remove entry ENTRY_ID and delete its face templates and thumbnails (same transaction)."""
    with session_factory()() as db:
        pupil = db.get(Pupil, entry_id)
        if pupil is None:
            raise click.ClickException(f"No no-publish entry with id {entry_id}.")
        deleted = records.remove_pupil(db, ACTOR, pupil)
        db.commit()
    services.nopublish().invalidate()
    click.echo(f"Removed entry {entry_id} and {deleted} face template(s).")


@nopublish_group.command("expire")
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


@nopublish_group.command("import")
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
    policy = services.policy()
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
