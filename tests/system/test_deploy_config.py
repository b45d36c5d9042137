"""The settings docs/deployment.md gives a trust work: several app servers on one database see
the same no-publish list and share sign-in sessions; rate limits counted in Redis are shared;
every SECONDLOOK_* setting the deployment files name really exists.
"""
from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from server import create_app
from server.nopublish.records import remove_pupil
from server.staff import create_staff
from server.config import DEFAULTS, ENVIRONMENT, from_environment
from server.db import get_db, init_db
from server.models import Pupil
from server.nopublish.state import POLL_SECONDS, bump_version
from server import services
from tests.support.helpers import BACKENDS, draft, fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_FILES = [ROOT / "docs" / "deployment.md", *sorted((ROOT / "deploy").iterdir())]
#: Read outside config.ENVIRONMENT (by create_app itself).
OTHER_SETTINGS = {
    "INSTANCE_PATH",
    "FACE_THREADS",  # read by image_checks.face_net (tests/images/test_face_net.py), not app config
}


@pytest.fixture(params=BACKENDS)
def shared_url(request, tmp_path):
    """One database for two app servers: a SQLite file, or a fresh PostgreSQL schema."""
    with fresh_database_url(request.param, tmp_path, "shared.sqlite") as url:
        yield url


def two_servers(url: str, tmp_path: Path, **config):
    common = {"DATABASE_URL": url, "SECRET_KEY": "one-secret-for-the-trust", "TESTING": True, **config}
    first = create_app(common)
    second = create_app(common)
    with first.app_context():
        init_db()
    return first, second


def names_flagged(app, token: str, text: str) -> list[str]:
    res = app.test_client().post("/api/v1/check", json=draft(text, account_type="school"),
                                 headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200, res.get_data(as_text=True)
    return [f["rule"] for f in res.json["findings"] if f["rule"] == "no-publish-name"]


def test_a_list_change_on_one_server_reaches_the_other(shared_url, tmp_path):
    first, second = two_servers(shared_url, tmp_path)
    try:
        with first.app_context():
            _, token, _ = create_staff("teacher", "staff")
        text = "Congratulations to Casey Newname on the award!"
        assert names_flagged(second, token, text) == []  # the second server has built its list now
        with first.app_context():
            db = get_db()
            db.add(Pupil(display_name="Casey Newname", reference="DEPLOY1"))
            bump_version(db)
            db.commit()
        time.sleep(POLL_SECONDS + 0.1)  # each server re-reads the version at most this often
        assert names_flagged(second, token, text) == ["no-publish-name"]
        with first.app_context():
            db = get_db()
            remove_pupil(db, "it", db.execute(select(Pupil).where(Pupil.reference == "DEPLOY1")).scalar_one())
            db.commit()
        time.sleep(POLL_SECONDS + 0.1)
        assert names_flagged(second, token, text) == []
    finally:
        for app in (first, second):
            services.engine(app).dispose()


def test_a_sign_in_on_one_server_is_valid_on_the_other(shared_url, tmp_path):
    """Behind a load balancer the next request may reach another server: same SECRET_KEY, same session."""
    first, second = two_servers(shared_url, tmp_path)
    try:
        with first.app_context():
            create_staff("director", "admin", password="pw-director")
        a, b = first.test_client(), second.test_client()
        page = a.get("/admin/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert a.post("/admin/login", data={"name": "director", "password": "pw-director",
                                            "csrf_token": csrf}).status_code == 302
        cookie = a.get_cookie("secondlook_session")
        b.set_cookie("secondlook_session", cookie.value)
        assert b.get("/admin/").status_code == 200
    finally:
        for app in (first, second):
            services.engine(app).dispose()


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379 (start redis-server to run this)")
def test_rate_limits_in_redis_are_shared_by_the_servers(tmp_path):
    import redis
    url = f"sqlite:///{tmp_path / 'limits.sqlite'}"
    first, second = two_servers(url, tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                                RATE_LIMIT="3/minute", RATE_LIMIT_ADDRESS="100000/minute")
    try:
        with first.app_context():
            _, token, _ = create_staff(f"teacher-{uuid.uuid4().hex[:8]}", "staff")  # fresh counts every run
        auth = {"Authorization": f"Bearer {token}"}
        codes = [app.test_client().post("/api/v1/check", json=draft("Sports day"), headers=auth).status_code
                 for app in (first, second, first, second)]
        assert codes == [200, 200, 200, 429]
        keys = [k.decode() for k in redis.Redis(host="127.0.0.1", port=6379).keys("*secondlook*")]
        assert keys and not [k for k in keys if token in k]  # counted by a hash, never the token
    finally:
        for app in (first, second):
            services.engine(app).dispose()


def test_every_setting_the_deployment_files_name_exists():
    named = set()
    for path in DEPLOY_FILES:
        named |= set(re.findall(r"SECONDLOOK_([A-Z_]+[A-Z])", path.read_text(encoding="utf-8")))
    named -= {"TEST_DATABASE_URL"}  # the test suite's own setting, documented for CI
    assert {"DATABASE_URL", "SECRET_KEY", "RATELIMIT_STORAGE_URI", "BEHIND_PROXY"} <= named
    assert not named - set(ENVIRONMENT) - OTHER_SETTINGS, named - set(ENVIRONMENT) - OTHER_SETTINGS


def test_the_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    env = {"SECONDLOOK_DATABASE_URL": f"sqlite:///{tmp_path / 'env.sqlite'}", "SECONDLOOK_SECRET_KEY": "k",
           "SECONDLOOK_BEHIND_PROXY": "1", "SECONDLOOK_SESSION_COOKIE_SECURE": "true",
           "SECONDLOOK_RATE_LIMIT": "30/minute", "SECONDLOOK_RATELIMIT_STORAGE_URI": "memory://"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert set(from_environment()) >= {"BEHIND_PROXY", "SESSION_COOKIE_SECURE", "RATE_LIMIT"}
    app = create_app({"TESTING": True})
    try:
        assert app.config["RATE_LIMIT"] == "30/minute" and app.config["SESSION_COOKIE_SECURE"] is True
        res = app.test_client().get("/api/v1/health", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" in res.headers  # the proxy's word is taken (BEHIND_PROXY=1)
        assert DEFAULTS["BEHIND_PROXY"] == 0  # and by default it is not
    finally:
        services.engine(app).dispose()


def test_systemd_unit_runs_the_production_server():
    unit = (ROOT / "deploy" / "secondlook.service").read_text(encoding="utf-8")
    exec_start = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1)
    assert "secondlook serve" in exec_start and "--workers" in exec_start
    assert re.search(r"^EnvironmentFile=", unit, re.M)
    for hardening in ("NoNewPrivileges=true", "ProtectSystem=strict", "PrivateTmp=true"):
        assert hardening in unit
    container = (ROOT / "deploy" / "Containerfile").read_text(encoding="utf-8")
    assert "secondlook" in container and "USER " in container  # never runs as root


@pytest.mark.skipif(not shutil.which("sqlite3"), reason="the sqlite3 command-line tool is not installed")
def test_sqlite_backup_script_takes_a_consistent_copy(tmp_path):
    """deploy/backup.sh on a live WAL database: the copy has every committed row and passes its check."""
    instance = tmp_path / "instance"
    instance.mkdir()
    url = f"sqlite:///{instance / 'secondlook.sqlite'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "k", "TESTING": True})
    try:
        with app.app_context():
            init_db()
            create_staff("teacher", "staff")
            db = get_db()
            db.add(Pupil(display_name="Backup Pupil", reference="BK1"))
            db.commit()  # the session stays open: the WAL holds the latest pages, not the main file
            env = {**os.environ, "SECONDLOOK_INSTANCE_PATH": str(instance), "DEST": str(tmp_path / "backups")}
            env.pop("SECONDLOOK_DATABASE_URL", None)
            subprocess.run(["sh", str(ROOT / "deploy" / "backup.sh")], env=env, check=True, capture_output=True)
    finally:
        services.engine(app).dispose()
    (archive,) = (tmp_path / "backups").glob("secondlook-*.sqlite.gz")
    copy = tmp_path / "restored.sqlite"
    copy.write_bytes(gzip.decompress(archive.read_bytes()))
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT display_name FROM pupils").fetchall() == [("Backup Pupil",)]
        assert conn.execute("SELECT count(*) FROM staff").fetchone() == (1,)
