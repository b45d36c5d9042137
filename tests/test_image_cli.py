"""`secondlook nopublish add | list | remove`: enrol from photos, templates deleted with the entry, audited."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.db import read_counter, session_factory
from server.models import AuditEvent, FaceTemplate, Pupil
from tests.helpers import make_test_app
from tests.image_synth import FACES, lfw_people


@pytest.fixture(scope="module")
def cli_app(tmp_path_factory):
    app, cleanup = make_test_app(tmp_path_factory.mktemp("nopublish_cli"), "sqlite")
    yield app
    cleanup()


def counts(app):
    with app.app_context(), session_factory(app)() as db:
        return (db.execute(select(func.count(Pupil.id))).scalar_one(),
                db.execute(select(func.count(FaceTemplate.id))).scalar_one(),
                read_counter(db, "nopublish_version"))


def test_add_list_remove(cli_app, tmp_path):
    runner = cli_app.test_cli_runner()
    photos = lfw_people(4)[next(iter(lfw_people(4)))][:2]
    not_photo = tmp_path / "notes.jpg"
    not_photo.write_text("not a photo at all")
    version = counts(cli_app)[2]
    result = runner.invoke(args=["nopublish", "add", "--name", "Ada Example", str(photos[0]), str(photos[1]),
                                 str(photos[0]), str(not_photo)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert f"{photos[0].name}: face enrolled." in lines[0]
    assert "skipped" in result.output and "notes.jpg: not enrolled" in result.output
    entry = lines[-1]
    assert entry.isdigit()
    pupils, templates, new_version = counts(cli_app)
    assert (pupils, templates) == (1, 2) and new_version == version + 1
    with cli_app.app_context(), session_factory(cli_app)() as db:
        template = db.execute(select(FaceTemplate)).scalars().first()
        assert len(template.encoding) == 1024 and template.thumbnail[:2] == b"\xff\xd8"
        assert len(template.photo_sha256) == 64

    listed = runner.invoke(args=["nopublish", "list"])
    assert "Ada Example" in listed.output and "2 face template(s)" in listed.output

    removed = runner.invoke(args=["nopublish", "remove", entry])
    assert removed.exit_code == 0 and "2 face template(s)" in removed.output
    assert counts(cli_app) == (0, 0, version + 2)
    with cli_app.app_context(), session_factory(cli_app)() as db:
        actions = [e.action for e in db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
        assert actions[-2:] == ["nopublish.add", "nopublish.remove"]
        details = db.execute(select(AuditEvent.details).where(AuditEvent.action == "nopublish.add")).scalar_one()
        assert "Ada" not in str(details)
    assert "empty" in runner.invoke(args=["nopublish", "list"]).output


def test_add_refuses_when_no_face_is_enrolled(cli_app, tmp_path):
    group = FACES / "groups" / "two_people.jpg"
    result = cli_app.test_cli_runner().invoke(args=["nopublish", "add", "--name", "Two", str(group)])
    assert result.exit_code != 0
    assert "2 faces" in result.output and "--choose" in result.output
    assert counts(cli_app)[0] == 0


def test_remove_unknown_entry(cli_app):
    result = cli_app.test_cli_runner().invoke(args=["nopublish", "remove", "9999"])
    assert result.exit_code != 0 and "No no-publish entry" in result.output
