"""Per-device tokens without a provider: the staff page's device list, signing devices out one by
one or all at once, the QR code's single-use five-minute code, and the tokens `secondlook staff
add` prints (scripts, schools without school-account sign-in) working alongside."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.db import get_db
from server.models import AuditEvent
from server.models import Device, SignInCode
from tests.support.helpers import csrf_from, login

DRAFT = {"text": "Lovely sunny sports day.", "platform": "x", "account_type": "school", "audience": "public"}


@pytest.fixture
def admin_client(client, make_staff):
    make_staff("director", "admin")
    assert login(client, "director").status_code == 302
    return client


def csrf(client) -> str:
    return csrf_from(client.get("/admin/staff").get_data(as_text=True))


def phone_code(client, staff_id: int) -> str:
    html = client.post(f"/admin/staff/{staff_id}/phone-code", data={"csrf_token": csrf(client)}).get_data(as_text=True)
    assert 'id="issued-token"' not in html  # just the QR code: no token is issued or shown
    return re.search(r"#signin=(slc_[\w-]+)", html).group(1)


def sign_in_phone(client, staff_id: int, name: str) -> dict:
    res = client.post("/api/v1/signin/exchange", json={"code": phone_code(client, staff_id), "device_name": name,
                                                       "client": "check-page"})
    assert res.status_code == 200, res.json
    return res.json


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_staff_page_lists_devices_and_signs_them_out_one_by_one_or_all(app, admin_client, make_staff):
    staff, legacy = make_staff("Ms Dale")
    phone = sign_in_phone(admin_client, staff.id, "Ms Dale's iPhone")
    tablet = sign_in_phone(admin_client, staff.id, "Staffroom iPad")
    html = admin_client.get("/admin/staff").get_data(as_text=True)
    assert "Ms Dale&#39;s iPhone" in html and "Staffroom iPad" in html and "last used" in html
    for tokens in (phone, tablet):
        assert admin_client.post("/api/v1/check", json=DRAFT, headers=bearer(tokens)).status_code == 200

    with app.app_context():
        device_id = get_db().execute(select(Device.id).where(Device.name == "Staffroom iPad")).scalar_one()
    res = admin_client.post(f"/admin/staff/{staff.id}/devices/{device_id}/revoke", data={"csrf_token": csrf(admin_client)})
    assert res.status_code == 302
    assert admin_client.post("/api/v1/check", json=DRAFT, headers=bearer(tablet)).status_code == 401
    assert admin_client.post("/api/v1/check", json=DRAFT, headers=bearer(phone)).status_code == 200
    listed = re.findall(r'class="device-name">([^<]+)<', admin_client.get("/admin/staff").get_data(as_text=True))
    assert listed == ["Ms Dale&#39;s iPhone"]

    pending = phone_code(admin_client, staff.id)  # a QR code not scanned yet dies with the rest
    res = admin_client.post(f"/admin/staff/{staff.id}/devices/revoke-all", data={"csrf_token": csrf(admin_client)})
    assert res.status_code == 302
    assert admin_client.post("/api/v1/check", json=DRAFT, headers=bearer(phone)).status_code == 401
    assert admin_client.post("/api/v1/signin/exchange", json={"code": pending}).status_code == 401
    # The token IT issued for scripts is a separate way in and keeps working.
    assert admin_client.post("/api/v1/check", json=DRAFT,
                             headers={"Authorization": f"Bearer {legacy}"}).status_code == 200
    with app.app_context():
        actions = [a for (a,) in get_db().execute(select(AuditEvent.action).where(AuditEvent.target == "Ms Dale"))]
    assert actions.count("signin.device_added") == 2 and actions.count("signin.device_revoked") == 2


def test_the_staff_page_shows_times_in_the_schools_time(app, admin_client, make_staff):
    """Last used at 23:30 UTC on 30 June is 00:30 on 1 July in Knaresborough (British Summer Time)."""
    from datetime import datetime, timezone
    staff, _ = make_staff("Ms Dale")
    sign_in_phone(admin_client, staff.id, "Ms Dale's iPhone")
    with app.app_context():
        db = get_db()
        db.execute(select(Device)).scalar_one().last_used_at = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)
        db.commit()
    html = admin_client.get("/admin/staff").get_data(as_text=True)
    assert "last used 01 Jul 2026, 00:30" in html and "23:30" not in html


def test_a_device_cannot_be_revoked_through_another_persons_page(app, admin_client, make_staff):
    dale, _ = make_staff("Ms Dale")
    hill, _ = make_staff("Mr Hill")
    sign_in_phone(admin_client, dale.id, "phone")
    with app.app_context():
        device_id = get_db().execute(select(Device.id)).scalar_one()
    res = admin_client.post(f"/admin/staff/{hill.id}/devices/{device_id}/revoke",
                            data={"csrf_token": csrf(admin_client)}, headers={"Accept": "application/json"})
    assert res.status_code == 404


def test_qr_code_is_single_use_and_expires_after_five_minutes(app, admin_client, make_staff):
    staff, _ = make_staff("Ms Dale")
    code = phone_code(admin_client, staff.id)
    with app.app_context():
        row = get_db().execute(select(SignInCode)).scalar_one()
        minutes = (row.expires_at - row.created_at).total_seconds() / 60
    assert minutes == pytest.approx(5, abs=0.1)
    info = admin_client.post("/api/v1/signin/inspect", json={"code": code}).json
    assert info["staff"]["name"] == "Ms Dale" and 0 < info["expires_in"] <= 300
    assert admin_client.post("/api/v1/signin/exchange", json={"code": code}).status_code == 200
    reused = admin_client.post("/api/v1/signin/exchange", json={"code": code})
    assert reused.status_code == 401 and reused.json["error"]["code"] == "signin_code_reused"
    assert admin_client.post("/api/v1/signin/inspect", json={"code": code}).status_code == 401

    late = phone_code(admin_client, staff.id)
    with app.app_context():
        db = get_db()
        for row in db.execute(select(SignInCode).where(SignInCode.used_at.is_(None))).scalars():
            row.expires_at = row.expires_at - timedelta(minutes=5, seconds=1)
        db.commit()
    expired = admin_client.post("/api/v1/signin/exchange", json={"code": late})
    assert expired.status_code == 401 and expired.json["error"]["code"] == "signin_code_expired"
    assert admin_client.post("/api/v1/signin/exchange", json={"code": "slc_made-up"}).json["error"]["code"] == \
        "signin_code_unknown"


def test_a_qr_device_refreshes_while_the_person_is_active(app, admin_client, make_staff):
    staff, _ = make_staff("Ms Dale")
    tokens = sign_in_phone(admin_client, staff.id, "phone")
    new = admin_client.post("/api/v1/signin/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert new.status_code == 200 and new.json["staff"]["name"] == "Ms Dale"
    res = admin_client.post(f"/admin/staff/{staff.id}/revoke", data={"csrf_token": csrf(admin_client)})
    assert res.status_code == 302
    assert admin_client.post("/api/v1/check", json=DRAFT, headers=bearer(new.json)).status_code == 401
    again = admin_client.post("/api/v1/signin/refresh", json={"refresh_token": new.json["refresh_token"]})
    assert again.status_code == 401


def test_school_account_sign_in_is_offered_only_when_set_up(client):
    assert "school-signin" not in client.get("/admin/login").get_data(as_text=True)
    assert client.get("/api/v1/signin/config").json == {"enabled": False, "issuer": None, "start_url": None}
    res = client.get("/signin/start?client=admin", headers={"Accept": "application/json"})
    assert res.status_code == 404 and res.json["error"]["code"] == "signin_not_configured"
