"""The `secondlook` CLI through app.test_cli_runner()."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from server.auth import hash_token
from server.db import get_db
from server.models import AuditEvent, Staff
from server import services


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


def test_staff_add_gives_staff_a_password_for_the_pupils_to_check_by_eye(app, runner, client):
    """Without school-account sign-in; the token stays alone on the last line."""
    res = runner.invoke(args=["staff", "add", "Ms Dale"])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("Password for the pupils to check by eye"))
    password = line.rsplit(": ", 1)[1]
    assert res.output.strip().splitlines()[-1].startswith("sl_")
    from tests.support.helpers import login
    assert login(client, "Ms Dale", password).status_code == 302
    assert client.get("/admin/check-by-eye").status_code == 200 and client.get("/admin/pupils").status_code == 403


def test_duplicate_staff_is_refused(runner):
    runner.invoke(args=["staff", "add", "sam"])
    res = runner.invoke(args=["staff", "add", "sam"])
    assert res.exit_code != 0 and "already exists" in res.output


def test_revoke_unknown(runner):
    res = runner.invoke(args=["staff", "revoke", "nobody"])
    assert res.exit_code != 0 and "No member of staff" in res.output


def test_demo_seed_once(app, runner):
    first = runner.invoke(args=["demo-seed", "--base-url", "http://127.0.0.1:8123/"])
    assert first.exit_code == 0 and "director" in first.output and "sl_" in first.output
    assert "http://127.0.0.1:8123/admin/" in first.output
    assert "http://127.0.0.1:8123/admin/check-by-eye  sign in as 'demo-teacher' with password: " in first.output
    second = runner.invoke(args=["demo-seed"])
    assert second.exit_code == 0 and "already set up" in second.output and "sl_" not in second.output
    with app.app_context():
        actions = get_db().execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("staff.add") == 2


def test_init_db_adds_the_network_columns_and_upgrades_old_templates_from_their_thumbnails(app, runner):
    """An existing school's database gains `face_templates.arc_encoding` and `sface_encoding`; each
    dlib-only template gets both encodings from its stored face thumbnail (the photo was never
    kept), so the pupil is matched by the stronger networks; one whose thumbnail shows no face stays
    dlib-only."""
    from sqlalchemy import inspect
    from sqlalchemy import text as sql_text

    from checks_common import default_policy
    from image_checks.enrol import enrol_photo
    from image_checks.face_arc import encode_arc
    from image_checks.face_sface import encode_sface
    from image_checks.face_detection import find_faces
    from image_checks.decode import decode
    from server.models import AuditEvent, FaceTemplate, Pupil
    from tests.support.image_synth import enrolled_people, lfw_people

    name = enrolled_people(1)[0]
    photos = lfw_people(1)[name]
    enrolled = enrol_photo(photos[0].read_bytes(), default_policy())
    assert enrolled.accepted
    engine = services.engine(app)
    with engine.begin() as conn:
        conn.execute(sql_text("ALTER TABLE face_templates DROP COLUMN arc_encoding"))
        conn.execute(sql_text("ALTER TABLE face_templates DROP COLUMN sface_encoding"))
        conn.execute(sql_text("DROP TABLE alembic_version"))  # made before migrations existed
    with app.app_context():
        db = get_db()
        consent = dict(parents_notified_on=date(2025, 9, 1), consent_given_by="Parent", consent_given_on=date(2025, 9, 2))
        pupils = [Pupil(display_name="Enrolled Long Ago", **consent), Pupil(display_name="Thumbnail Lost", **consent)]
        db.add_all(pupils)
        db.flush()
        insert = sql_text("INSERT INTO face_templates (pupil_id, encoding, thumbnail, created_at) VALUES (:p, :e, :t, :c)")
        db.execute(insert, {"p": pupils[0].id, "e": enrolled.encoding, "t": enrolled.thumbnail, "c": pupils[0].created_at})
        db.execute(insert, {"p": pupils[1].id, "e": bytes(1024), "t": b"\xff\xd8 not a picture", "c": pupils[1].created_at})
        db.commit()
        ids = [p.id for p in pupils]
    assert "arc_encoding" not in {c["name"] for c in inspect(engine).get_columns("face_templates")}
    res = runner.invoke(args=["init-db"])
    assert res.exit_code == 0, res.output
    assert "1 upgraded from their thumbnails, 1 could not be" in res.output
    assert {"arc_encoding", "sface_encoding"} <= {c["name"] for c in inspect(engine).get_columns("face_templates")}
    with app.app_context():
        db = get_db()
        upgraded = db.execute(select(FaceTemplate).where(FaceTemplate.pupil_id == ids[0])).scalar_one()
        assert upgraded.arc_encoding and len(upgraded.arc_encoding) == 2048
        assert upgraded.sface_encoding and len(upgraded.sface_encoding) == 512
        index = services.nopublish(app).index(db)
        assert len(index) == 2 and list(index.arc_pupils) == [ids[0]] and list(index.pupils) == [ids[1]]
        other = [f for f in find_faces(decode(photos[2].read_bytes()).rgb) if f.arc_chip is not None]
        scores = index.arc_scores(encode_arc([f.arc_chip for f in other]))  # the upgraded pupil's column
        assert scores.min() <= default_policy().face_match_threshold  # their other photo blocks
        sface = index.for_network("sface")
        assert list(sface.sface_pupils) == [ids[0]] and list(sface.pupils) == [ids[1]]
        assert sface.sface_scores(encode_sface([f.arc_chip for f in other])).min() <= default_policy().face_match_threshold
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "templates.upgraded")).scalar_one()
        assert event.details == {"upgraded": 1, "not_upgraded": 1} and event.actor == "cli"
    again = runner.invoke(args=["init-db"])  # idempotent: nothing more to upgrade, the lost one retried
    assert again.exit_code == 0 and "0 upgraded" in again.output
