"""`secondlook nopublish …`: the no-publish list from the command line (until, and beside, the admin pages).

`add` enrols one pupil from one or more photos (only encodings and face thumbnails are kept,
never the photos), `list` shows the list, `remove` deletes a pupil with their templates. Every
change bumps the `nopublish_version` counter in the same transaction, so every worker rebuilds
its index within a second, and is audited.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from server import audit
from server.db import bump_counter, session_factory
from server.models import FaceTemplate, Pupil

nopublish_group = AppGroup("nopublish", help="The no-publish list: pupils whose photos must not be posted.")


@nopublish_group.command("add")
@click.option("--name", required=True, help="The pupil's name as staff would write it.")
@click.option("--reference", default=None, help="The school's own reference (e.g. admission number).")
@click.option("--choose", type=int, default=None, help="Which face to take from a photo with several (0-based).")
@click.argument("photos", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def add(name: str, reference: str | None, choose: int | None, photos: tuple[Path, ...]) -> None:
    """Add a pupil and enrol their face from PHOTOS; the new entry's id is printed on the last line."""
    from image_checks.enrol import enrol_photo, is_duplicate

    name = name.strip()
    if not name:
        raise click.ClickException("--name must not be empty.")
    policy = current_app.extensions["secondlook.policy"]
    accepted = []
    for path in photos:
        result = enrol_photo(path.read_bytes(), policy, choose=choose)
        rows = [(0, r.encoding) for r in accepted]
        if result.accepted and is_duplicate(result, rows, {r.photo_sha256 for r in accepted}):
            click.echo(f"{path.name}: skipped, the same photo as one already enrolled.")
            continue
        if result.accepted:
            accepted.append(result)
            click.echo(f"{path.name}: face enrolled.")
        elif result.status == "multiple_faces":
            boxes = ", ".join(f"{i}: {c.box.left},{c.box.top}-{c.box.right},{c.box.bottom}"
                              for i, c in enumerate(result.candidates))
            click.echo(f"{path.name}: not enrolled, {result.reason} Use --choose N ({boxes}).")
        else:
            click.echo(f"{path.name}: not enrolled, {result.reason}")
    if not accepted:
        raise click.ClickException("No face was enrolled, so the pupil was not added.")
    with session_factory()() as db:
        sha_known = set(db.execute(select(FaceTemplate.photo_sha256)).scalars())
        pupil = Pupil(display_name=name, reference=reference)
        db.add(pupil)
        db.flush()
        kept = 0
        for result in accepted:
            if result.photo_sha256 in sha_known:
                click.echo("note: one photo is already enrolled for another entry; kept for this one too.")
            db.add(FaceTemplate(pupil_id=pupil.id, encoding=result.encoding, thumbnail=result.thumbnail,
                                photo_sha256=result.photo_sha256))
            kept += 1
        bump_counter(db, "nopublish_version")
        audit.record(db, "cli", "nopublish.add", f"pupil:{pupil.id}", templates=kept)
        db.commit()
        current_app.extensions["secondlook.nopublish"].invalidate()
        click.echo(f"Added entry {pupil.id} with {kept} face template(s). Entry id:")
        click.echo(str(pupil.id))


@nopublish_group.command("list")
def list_entries() -> None:
    """List the entries: id, name, number of face templates."""
    with session_factory()() as db:
        rows = db.execute(
            select(Pupil.id, Pupil.display_name, func.count(FaceTemplate.id))
            .outerjoin(FaceTemplate, FaceTemplate.pupil_id == Pupil.id)
            .group_by(Pupil.id, Pupil.display_name).order_by(Pupil.id)
        ).all()
    if not rows:
        click.echo("The no-publish list is empty.")
        return
    for pid, name, templates in rows:
        click.echo(f"{pid}\t{name}\t{templates} face template(s)")


@nopublish_group.command("remove")
@click.argument("entry_id", type=int)
def remove(entry_id: int) -> None:
    """Remove entry ENTRY_ID and delete its face templates (same transaction)."""
    with session_factory()() as db:
        pupil = db.get(Pupil, entry_id)
        if pupil is None:
            raise click.ClickException(f"No no-publish entry with id {entry_id}.")
        deleted = db.query(FaceTemplate).filter(FaceTemplate.pupil_id == entry_id).delete(synchronize_session=False)
        db.delete(pupil)
        bump_counter(db, "nopublish_version")
        audit.record(db, "cli", "nopublish.remove", f"pupil:{entry_id}", templates=deleted)
        db.commit()
    current_app.extensions["secondlook.nopublish"].invalidate()
    click.echo(f"Removed entry {entry_id} and {deleted} face template(s).")
