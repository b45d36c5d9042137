"""What the service leaves on disk: no child's story in any file, private file modes, purges that do
not linger in the write-ahead log, JSON for oversize headers, one rate-limit count for all workers.

The live-server test runs `secondlook serve` (gunicorn, 2 workers) with its own instance folder,
sends drafts whose health, family and home details sit next to what the rules catch, and then reads
every file the service wrote (database, its -wal and -shm, the rate-limit store, the server log).
"""
from __future__ import annotations

import json
import os
import stat
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text as sql_text

from server import services
from server.db import session_factory
from server.models import FaceTemplate, Pupil
from server.nopublish.state import bump_version
from tests.support.excerpt_cases import DRAFTS
from tests.support.helpers import CONSENTED, draft, make_test_app
from tests.support.serverproc import ServerProcess


LISTED = "Samantha Jones"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_and_secret_files_are_private(tmp_path, monkeypatch):
    monkeypatch.setenv("SECONDLOOK_INSTANCE_PATH", str(tmp_path / "instance"))
    app, cleanup = make_test_app(tmp_path, SECRET_KEY=None)
    try:
        with session_factory(app)() as db:
            db.execute(sql_text("SELECT 1"))
        assert mode(tmp_path / "test.sqlite") == 0o600
        assert mode(tmp_path / "instance" / "secret_key") == 0o600
        for suffix in ("-wal", "-shm"):
            if (tmp_path / f"test.sqlite{suffix}").exists():
                assert mode(tmp_path / f"test.sqlite{suffix}") == 0o600
    finally:
        cleanup()


def test_secure_delete_is_on_and_a_purge_leaves_nothing_in_the_wal(tmp_path):
    marker = b"TEMPLATE-MARKER-" * 64
    app, cleanup = make_test_app(tmp_path)
    try:
        from server.nopublish.records import remove_pupil
        with session_factory(app)() as db:
            assert db.execute(sql_text("PRAGMA secure_delete")).scalar_one() == 1
            pupil = Pupil(display_name="Purge Me", **CONSENTED)
            db.add(pupil)
            db.flush()
            db.add(FaceTemplate(pupil_id=pupil.id, encoding=marker, thumbnail=marker))
            bump_version(db)
            db.commit()
        files = [tmp_path / "test.sqlite", tmp_path / "test.sqlite-wal"]
        assert any(marker[:32] in f.read_bytes() for f in files if f.exists())
        with app.test_request_context(), session_factory(app)() as db:
            remove_pupil(db, "it", db.get(Pupil, pupil.id))
            db.commit()
        for f in files:
            if f.exists():
                assert marker[:32] not in f.read_bytes(), f.name
        assert not files[1].exists() or files[1].stat().st_size == 0  # checkpointed and truncated
    finally:
        cleanup()


def test_an_oversize_header_gets_the_json_error(client):
    res = client.get("/api/v1/checks/mine", headers={"Authorization": "Bearer " + "x" * 8200})
    assert res.status_code == 431 and res.json["error"]["code"] == "request_header_fields_too_large"


def fetch(url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    instance = tmp_path_factory.mktemp("privacy_live")
    server = ServerProcess(instance, f"sqlite:///{instance / 'secondlook.sqlite'}", workers=2, threads=2,
                           settings={"SECONDLOOK_RATE_LIMIT": "20/minute"})
    app = server.init_db()
    from server.staff import create_staff
    with app.app_context():
        tokens = [create_staff(name, "staff")[1] for name in ("writer", "burst")]
        with session_factory(app)() as db:
            db.add(Pupil(display_name=LISTED, reference="P1"))
            bump_version(db)
            db.commit()
    services.engine(app).dispose()
    server.start()
    yield server, tokens
    server.stop()


def test_no_file_the_service_wrote_holds_the_details(live):
    server, (token, _) = live
    for text, _, _ in DRAFTS:
        status, body = fetch(server.url + "/api/v1/check", draft(text), {"Authorization": f"Bearer {token}"})
        assert status == 200 and json.loads(body)["findings"], body
    status, _ = fetch(server.url + "/api/v1/checks/mine", headers={"Authorization": f"Bearer {token}"})
    assert status == 200
    written = [p for p in server.instance.rglob("*") if p.is_file()]
    assert {"secondlook.sqlite", "server.log"} <= {p.name for p in written}
    blob = b"\n".join(p.read_bytes() for p in written).lower()
    for _, secrets, _ in DRAFTS:
        for secret in secrets:
            if secret.lower() in LISTED.lower():
                continue  # the listed pupil's name is on the no-publish list, as it must be
            if len(secret) >= 4:  # shorter ones ("Y9", "14") turn up in any binary file by chance
                assert secret.lower().encode() not in blob, secret


def test_oversize_header_through_gunicorn_is_json(live):
    server, (token, _) = live
    status, body = fetch(server.url + "/api/v1/checks/mine", headers={"Authorization": "Bearer " + "x" * 8200})
    assert status == 431 and json.loads(body)["error"]["code"] == "request_header_fields_too_large"


@pytest.mark.parametrize("path, headers, status, code", [
    # past gunicorn's own 64 KB header limit: gunicorn answers before the app sees anything
    ("/api/v1/checks/mine", {"Authorization": "Bearer " + "x" * 70_000}, 431, "request_header_fields_too_large"),
    # a request line over gunicorn's 8 KB limit
    ("/api/v1/checks/mine?q=" + "y" * 9000, {}, 414, "uri_too_long"),
])
def test_what_gunicorn_refuses_itself_is_json_and_echoes_nothing(live, path, headers, status, code):
    server, _ = live
    got, body = fetch(server.url + path, headers=headers)
    error = json.loads(body)["error"]
    assert got == status and error["code"] == code and error["message"]
    assert "xxxx" not in body and "yyyy" not in body


def test_the_rate_limit_holds_across_workers(live):
    """With a count per worker, 115 of 130 requests once passed a 60/minute limit."""
    server, (_, token) = live
    statuses = [fetch(server.url + "/api/v1/check", draft("Lovely day"), {"Authorization": f"Bearer {token}"})[0]
                for _ in range(30)]
    assert statuses.count(200) == 20 and statuses.count(429) == 10
