"""`secondlook nopublish add | list | remove`: the admin pages' rules from a terminal.

Enrol from photos only with consent recorded, all or nothing, templates deleted with the entry,
audited with the pages' actions (`pupil.add`, `pupil.photo_*`, `pupil.remove`) as actor "cli".
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.db import session_factory
from server.nopublish.state import read_version
from server.models import AuditEvent, FaceTemplate, Pupil
from tests.support.helpers import make_test_app
from tests.support.image_synth import FACES, lfw_people

CONSENT = ["--parents-notified-on", "2026-09-01", "--consent-given-by", "B. Example (mother)",
           "--consent-given-on", "03/09/2026"]
REVIEW = ["--review-by", "2027-07-31"]


@pytest.fixture(scope="module")
def cli_app(tmp_path_factory):
    app, cleanup = make_test_app(tmp_path_factory.mktemp("nopublish_cli"), "sqlite")
    yield app
    cleanup()


@pytest.fixture(scope="module")
def photos():
    people = lfw_people(4)
    return people[next(iter(people))][:2]


def counts(app):
    with app.app_context(), session_factory(app)() as db:
        return (db.execute(select(func.count(Pupil.id))).scalar_one(),
                db.execute(select(func.count(FaceTemplate.id))).scalar_one(),
                read_version(db))


def audit_actions(app):
    with app.app_context(), session_factory(app)() as db:
        return [(e.actor, e.action) for e in db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def add(app, *args):
    return app.test_cli_runner().invoke(args=["nopublish", "add", *args])


def test_add_list_remove(cli_app, photos, tmp_path):
    runner = cli_app.test_cli_runner()
    not_photo = tmp_path / "notes.jpg"
    not_photo.write_text("not a photo at all")
    before = counts(cli_app)
    events = len(audit_actions(cli_app))
    result = add(cli_app, "--name", "Ada  Example", "--reference", "A123", "--year-group", "Year 7",
                 "--reason", "safeguarding", *REVIEW, *CONSENT,
                 str(photos[0]), str(photos[1]), str(photos[0]), str(not_photo))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == f"{photos[0].name}: Accepted: the face is enrolled."
    assert lines[2].startswith(f"{photos[0].name}: Duplicate of a photo already enrolled.")
    assert lines[3].startswith("notes.jpg: Not a photo")
    entry = lines[-1]
    assert entry.isdigit()
    pupils, templates, version = counts(cli_app)
    assert (pupils, templates) == (before[0] + 1, before[1] + 2) and version > before[2]
    with cli_app.app_context(), session_factory(cli_app)() as db:
        pupil = db.get(Pupil, int(entry))
        assert (pupil.display_name, pupil.reference, pupil.year_group, pupil.reason) == (
            "Ada Example", "A123", "Year 7", "safeguarding")
        assert str(pupil.review_by) == "2027-07-31" and str(pupil.consent_given_on) == "2026-09-03"
        template = db.execute(select(FaceTemplate).where(FaceTemplate.pupil_id == pupil.id)).scalars().first()
        assert len(template.encoding) == 1024 and template.thumbnail[:2] == b"\xff\xd8"
        assert len(template.photo_sha256) == 64
        details = db.execute(select(AuditEvent.details).where(AuditEvent.action == "pupil.add",
                                                              AuditEvent.target == f"pupil:{entry}")).scalar_one()
        assert details["via"] == "cli" and details["consent_recorded"] is True and "Ada" not in str(details)
    # the same audit actions as the admin pages: the addition, then every photo attempt
    assert audit_actions(cli_app)[events:] == [
        ("cli", "pupil.add"), ("cli", "pupil.photo_enrolled"), ("cli", "pupil.photo_enrolled"),
        ("cli", "pupil.photo_refused"), ("cli", "pupil.photo_refused")]

    listed = runner.invoke(args=["nopublish", "list"])
    assert "Ada Example\t2 face template(s)\treview by 2027-07-31\tName and face" in listed.output

    # the reference is taken now: refused before any photo is looked at
    again = add(cli_app, "--name", "Someone Else", "--reference", "a123", *REVIEW)
    assert again.exit_code != 0 and "--reference: Another pupil" in again.output
    assert counts(cli_app)[0] == pupils

    removed = runner.invoke(args=["nopublish", "remove", entry])
    assert removed.exit_code == 0 and "2 face template(s)" in removed.output
    after = counts(cli_app)
    assert after[:2] == before[:2] and after[2] > version
    assert audit_actions(cli_app)[-1] == ("cli", "pupil.remove")


def test_name_only_entry_needs_no_consent(cli_app):
    before = counts(cli_app)
    result = add(cli_app, "--name", "Ben Example", "--reason", "other", "--reason-note", "court order", *REVIEW)
    assert result.exit_code == 0, result.output
    entry = result.output.strip().splitlines()[-1]
    assert "Name only: no biometric consent" in result.output
    assert counts(cli_app)[:2] == (before[0] + 1, before[1])
    with cli_app.app_context(), session_factory(cli_app)() as db:
        pupil = db.get(Pupil, int(entry))
        assert pupil.reason_note == "court order" and pupil.consent_given_by is None
    assert cli_app.test_cli_runner().invoke(args=["nopublish", "remove", entry]).exit_code == 0


def test_photos_without_consent_are_refused_and_nothing_is_stored(cli_app, photos):
    before = counts(cli_app)
    events = len(audit_actions(cli_app))
    result = add(cli_app, "--name", "Cat Example", *REVIEW, str(photos[0]))
    assert result.exit_code != 0
    assert "PHOTO: Record the parents' notification and written consent" in result.output
    assert "Nothing was added." in result.output and "Accepted" not in result.output
    # half the consent record is refused too, naming the missing field
    half = add(cli_app, "--name", "Cat Example", *REVIEW, "--consent-given-by", "B. Example", str(photos[0]))
    assert half.exit_code != 0 and "--consent-given-on: Record both who gave written consent and when." in half.output
    objected = add(cli_app, "--name", "Cat Example", *REVIEW, *CONSENT, "--pupil-objected", str(photos[0]))
    assert objected.exit_code != 0 and "no face may be enrolled" in objected.output
    assert counts(cli_app) == before and len(audit_actions(cli_app)) == events


@pytest.mark.parametrize("args, message", [
    ([], "Missing option '--review-by'"),
    (["--review-by", "next summer"], "--review-by: Not a date"),
    (["--review-by", "2027-07-31", "--reason", "because"], "--reason: Choose one of"),
    (["--review-by", "2027-07-31", "--reason", "other"], "--reason-note: Say briefly why"),
    (["--review-by", "2027-07-31", "--reference", "A 1/2"], "--reference: A UPN or MIS id"),
    (["--review-by", "2027-07-31", "--parents-notified-on", "2999-01-01"], "--parents-notified-on: This date is in"),
])
def test_invalid_details_are_refused_with_the_fields_message(cli_app, args, message):
    before = counts(cli_app)
    result = add(cli_app, "--name", "Dan Example", *args)
    assert result.exit_code != 0 and message in result.output
    assert counts(cli_app) == before


def test_add_refuses_when_no_face_is_enrolled(cli_app):
    before = counts(cli_app)
    group = FACES / "groups" / "two_people.jpg"
    result = add(cli_app, "--name", "Two", *REVIEW, *CONSENT, str(group))
    assert result.exit_code != 0
    assert "2 faces" in result.output and "--choose" in result.output
    assert "No face was enrolled, so the pupil was not added." in result.output
    assert counts(cli_app) == before


def test_remove_unknown_entry(cli_app):
    result = cli_app.test_cli_runner().invoke(args=["nopublish", "remove", "9999"])
    assert result.exit_code != 0 and "No no-publish entry" in result.output
