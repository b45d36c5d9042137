"""Admin session login: hashed passwords, CSRF on the form, roles and lock-out."""
from __future__ import annotations

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


def test_lockout_after_repeated_failures(client, make_staff):
    make_staff("director", "admin")
    for _ in range(5):
        login(client, "director", "wrong")
    res = login(client, "director", "pw-director")
    assert res.status_code == 401 and "locked" in res.get_data(as_text=True)
