"""The `secondlook` CLI through app.test_cli_runner()."""
from __future__ import annotations

from sqlalchemy import select

from server.auth import hash_token
from server.db import get_db
from server.models import AuditEvent, Staff


def test_init_db_is_idempotent(runner):
    for _ in range(2):
        res = runner.invoke(args=["init-db"])
        assert res.exit_code == 0 and "Database ready" in res.output


def test_staff_add_prints_token_alone_on_last_line(app, runner, client):
    res = runner.invoke(args=["staff", "add", "Ms Dale", "--role", "staff"])
    assert res.exit_code == 0, res.output
    token = res.output.strip().splitlines()[-1]
    assert token.startswith("sl_") and " " not in token
    with app.app_context():
        staff = get_db().execute(select(Staff).where(Staff.name == "Ms Dale")).scalar_one()
        assert staff.token_hash == hash_token(token)
        assert token not in (staff.token_hash or "")
    assert client.post("/api/v1/check", json={"text": "hi", "platform": "x", "account_type": "personal"},
                       headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_staff_add_admin_gets_password(runner):
    res = runner.invoke(args=["staff", "add", "boss", "--role", "admin"])
    assert res.exit_code == 0 and "password" in res.output


def test_duplicate_staff_is_refused(runner):
    runner.invoke(args=["staff", "add", "sam"])
    res = runner.invoke(args=["staff", "add", "sam"])
    assert res.exit_code != 0 and "already exists" in res.output


def test_revoke_unknown(runner):
    res = runner.invoke(args=["staff", "revoke", "nobody"])
    assert res.exit_code != 0 and "No member of staff" in res.output


def test_demo_seed_once(app, runner):
    first = runner.invoke(args=["demo-seed"])
    assert first.exit_code == 0 and "director" in first.output and "sl_" in first.output
    second = runner.invoke(args=["demo-seed"])
    assert second.exit_code == 0 and "already set up" in second.output and "sl_" not in second.output
    with app.app_context():
        actions = get_db().execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("staff.add") == 2


def test_init_db_adds_the_arcface_column_to_a_database_made_before_it(app, runner):
    """An existing school's database gains `face_templates.arc_encoding`; its dlib-only templates
    are kept and still matched (as dlib-only pupils) until a new photo adds an ArcFace template."""
    from sqlalchemy import inspect
    from sqlalchemy import text as sql_text

    from server.models import Pupil

    engine = app.extensions["secondlook.engine"]
    with engine.begin() as conn:
        conn.execute(sql_text("ALTER TABLE face_templates DROP COLUMN arc_encoding"))
    with app.app_context():
        db = get_db()
        pupil = Pupil(display_name="Enrolled Long Ago")
        db.add(pupil)
        db.flush()
        db.execute(sql_text("INSERT INTO face_templates (pupil_id, encoding, created_at) VALUES (:p, :e, :t)"),
                   {"p": pupil.id, "e": bytes(1024), "t": pupil.created_at})
        db.commit()
    assert "arc_encoding" not in {c["name"] for c in inspect(engine).get_columns("face_templates")}
    res = runner.invoke(args=["init-db"])
    assert res.exit_code == 0, res.output
    assert "arc_encoding" in {c["name"] for c in inspect(engine).get_columns("face_templates")}
    with app.app_context():
        index = app.extensions["secondlook.nopublish"].index(get_db())
        assert len(index) == 1 and index.needs_dlib
