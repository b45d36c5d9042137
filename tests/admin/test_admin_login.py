"""Admin session login: hashed passwords, CSRF on the form, roles and lock-out."""
from __future__ import annotations

import re

import pytest

from tests.support.helpers import csrf_from, login


def test_admin_requires_login(client):
    res = client.get("/admin/")
    assert res.status_code == 302 and "/admin/login" in res.headers["Location"]


def test_login_and_logout(client, make_staff):
    make_staff("director", "admin")
    res = login(client, "director", "pw-director")
    assert res.status_code == 302
    page = client.get("/admin/")
    assert page.status_code == 200 and "director" in page.get_data(as_text=True)
    client.post("/admin/logout", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert client.get("/admin/").status_code == 302


def test_login_without_csrf_is_refused(client, make_staff):
    make_staff("director", "admin")
    res = client.post("/admin/login", data={"name": "director", "password": "pw-director"},
                      headers={"Accept": "text/html"})
    assert res.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_staff_role_cannot_sign_in(client, make_staff):
    make_staff("teacher", "staff")
    assert login(client, "teacher", "anything").status_code == 401


@pytest.mark.parametrize("password", ["wrong", ""])
def test_wrong_password(client, make_staff, password):
    make_staff("director", "admin")
    assert login(client, "director", password).status_code == 401


def test_one_message_for_wrong_name_wrong_password_revoked_and_waiting(app, client, make_staff):
    """The message once told a stranger that an account exists (and was locked)."""
    from server.admin.signin_guard import SIGN_IN_REFUSED
    from server.staff import revoke_staff
    from server.db import session_factory
    from server.models import Staff
    from sqlalchemy import select
    make_staff("director", "admin")
    make_staff("former", "admin")
    with session_factory(app)() as db:
        revoke_staff(db, db.execute(select(Staff).where(Staff.name == "former")).scalar_one(), "test")
        db.commit()
    pages = [login(client, "nobody-here", "x"), login(client, "director", "wrong"), login(client, "former", "pw-former")]
    for _ in range(4):  # past the free failures: now the address must wait
        pages.append(login(client, "director", "wrong"))
    pages.append(login(client, "director", "pw-director"))  # right, but the wait is not over
    texts = {re.search(r'<p class="flash error"[^>]*>(.*?)</p>', p.get_data(as_text=True), re.S).group(1)
             for p in pages}
    assert all(p.status_code == 401 for p in pages)
    assert len(texts) == 1 and SIGN_IN_REFUSED.split(";")[0] in texts.pop().replace("&#39;", "'")


def test_back_off_instead_of_a_lock(app, client, make_staff):
    """Five wrong passwords once locked the account for 15 minutes for anyone who knew its name."""
    from datetime import datetime, timedelta, timezone

    from server.db import session_factory
    from server.models import LoginThrottle
    make_staff("director", "admin")
    app.config["LOGIN_ACCOUNT_MAX_WAIT"] = 60
    waits = {}
    for _ in range(11):  # each after the previous wait has run out
        login(client, "director", "wrong", environ_base={"REMOTE_ADDR": "203.0.113.7"})
        with session_factory(app)() as db:
            for row in db.query(LoginThrottle):
                if row.not_before is not None:
                    waits[row.key.split(":")[0]] = row.not_before.replace(tzinfo=timezone.utc) - row.last_failure_at.replace(tzinfo=timezone.utc)
                    row.not_before = datetime.now(timezone.utc) - timedelta(seconds=1)
            db.commit()
    assert waits == {"account": timedelta(seconds=60), "address": timedelta(seconds=128)}
    with session_factory(app)() as db:
        rows = {r.key.split(":")[0]: r for r in db.query(LoginThrottle)}
        assert rows["account"].failures == 11 and rows["address"].failures == 11
        assert "director" not in rows["account"].key  # a keyed hash of the name, never the name
    # 3 free failures, then 1 s, 2 s, 4 s …: the 11th waits 128 s, capped at 60 s for an account name.
    assert login(client, "director", "pw-director", environ_base={"REMOTE_ADDR": "198.51.100.2"}).status_code == 302


def test_revoking_clears_the_password_and_reinstating_gives_a_new_one(app, client, make_staff):
    """'New token' on a revoked person once restored their sign-in with the old password."""
    from server.staff import issue_token, revoke_staff
    from server.db import session_factory
    from server.models import Staff
    from sqlalchemy import select
    make_staff("deputy", "admin")
    with session_factory(app)() as db:
        deputy = db.execute(select(Staff).where(Staff.name == "deputy")).scalar_one()
        revoke_staff(db, deputy, "test")
        db.commit()
        assert deputy.password_hash is None
        _, password = issue_token(db, deputy, "test")
        db.commit()
    assert password and password != "pw-deputy"
    assert login(client, "deputy", "pw-deputy").status_code == 401
    assert login(client, "deputy", password).status_code == 302


def test_a_copied_cookie_stops_working_after_logout(app, client, make_staff):
    make_staff("director", "admin")
    assert login(client, "director").status_code == 302
    cookie = client.get_cookie("secondlook_session").value
    page = client.get("/admin/").get_data(as_text=True)
    client.post("/admin/logout", data={"csrf_token": csrf_from(page)})
    thief = app.test_client()
    thief.set_cookie("secondlook_session", cookie)
    res = thief.get("/admin/")
    assert res.status_code == 302 and "/admin/login" in res.headers["Location"]


def test_sessions_end_after_8_hours_and_after_30_idle_minutes(app, client, make_staff):
    from datetime import datetime, timedelta, timezone

    from server.db import session_factory
    from server.models import AdminSession
    make_staff("director", "admin")
    for column, age in (("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=8, minutes=1))):
        assert login(client, "director").status_code == 302
        assert client.get("/admin/").status_code == 200
        with session_factory(app)() as db:
            row = db.query(AdminSession).one()
            setattr(row, column, datetime.now(timezone.utc) - age)
            db.commit()
        assert client.get("/admin/").status_code == 302, column
        with session_factory(app)() as db:
            assert db.query(AdminSession).count() == 0
