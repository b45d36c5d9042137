"""The admin staff page: list, add, issue a token with its QR code, revoke; CSRF, roles, audit."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from server.auth import hash_token
from server.db import get_db
from server.models import AuditEvent, Staff
from tests.support.helpers import csrf_from, login


@pytest.fixture
def admin_client(client, make_staff):
    make_staff("director", "admin")
    res = login(client, "director")
    assert res.status_code == 302
    return client


def staff_page_csrf(client) -> str:
    return csrf_from(client.get("/admin/staff").get_data(as_text=True))


def member(app, name):
    with app.app_context():
        return get_db().execute(select(Staff).where(Staff.name == name)).scalar_one_or_none()


def audit_actions(app, target):
    with app.app_context():
        rows = get_db().execute(select(AuditEvent).where(AuditEvent.target == target).order_by(AuditEvent.id))
        return [(e.actor, e.action) for e in rows.scalars()]


def issued_token(html: str) -> str:
    return re.search(r'id="issued-token">(sl_[^<]+)<', html).group(1)


def test_staff_page_lists_staff(admin_client, make_staff):
    make_staff("Ms Dale", "staff")
    html = admin_client.get("/admin/staff").get_data(as_text=True)
    assert "Ms Dale" in html and "director" in html
    assert "sl_" not in html, "tokens are never listed"


def test_add_member_shows_token_once_with_qr(app, admin_client):
    res = admin_client.post("/admin/staff", data={"name": "  Mr  Hill ", "role": "staff",
                                                  "csrf_token": staff_page_csrf(admin_client)})
    assert res.status_code == 200 and res.headers["Cache-Control"] == "no-store"
    html = res.get_data(as_text=True)
    token = issued_token(html)
    staff = member(app, "Mr Hill")
    assert staff.role == "staff" and staff.token_hash == hash_token(token)
    assert "docs/phone.md" not in html and "Add to Home screen" in html  # the steps, not a file to look up
    # The QR code is an inline SVG (no script), and its link puts the token in the fragment.
    assert re.search(r'<svg class="qr" role="img" aria-label="[^"]+"', html)
    assert "<script" not in html.split("<main>")[1]
    # The QR link carries a single-use sign-in code, never the token (issue 21).
    assert f"#token=" not in html and token not in qr_text(re.search(r'<svg class="qr".*?</svg>', html, re.S).group(0))
    assert re.search(r"http://localhost/check#signin=slc_[\w-]+", html)
    assert ("director", "staff.add") in audit_actions(app, "Mr Hill")
    assert token not in admin_client.get("/admin/staff").get_data(as_text=True)


def qr_text(svg: str) -> str:
    """Rasterise the SVG's module squares and read them back with OpenCV's QR decoders.

    OpenCV's classic decoder misses ~2 % of valid codes (measured on 300 random tokens; its
    ArUco-based decoder reads every one of those), so the second is asked when the first reads
    nothing. Neither reads a wrong code as the right text.
    """
    import cv2
    import numpy as np
    from PIL import Image, ImageDraw
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    scale = 12
    img = Image.new("L", (int(width * scale), int(width * scale)), 255)
    draw = ImageDraw.Draw(img)
    for x, y, x2, y2 in re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+z", svg):
        draw.rectangle((float(x) * scale, float(y) * scale, float(x2) * scale - 1, float(y2) * scale - 1), fill=0)
    pixels = np.array(img)
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, _, _ = detector.detectAndDecode(pixels)
        if text:
            return text
    return ""


def test_qr_code_encodes_the_signin_link(app, admin_client, make_staff):
    staff, _ = make_staff("Ms Dale", "staff")
    html = admin_client.post(f"/admin/staff/{staff.id}/token",
                             data={"csrf_token": staff_page_csrf(admin_client)}).get_data(as_text=True)
    svg = re.search(r'<svg class="qr".*?</svg>', html, re.S).group(0)
    link = qr_text(svg)
    code = re.fullmatch(r"http://localhost/check#signin=(slc_[\w-]+)", link).group(1)
    assert issued_token(html) not in link
    # The code signs a phone in once, as Ms Dale; then it is used up.
    first = admin_client.post("/api/v1/signin/exchange", json={"code": code, "client": "check-page"})
    assert first.status_code == 200 and first.json["staff"]["name"] == "Ms Dale"
    again = admin_client.post("/api/v1/signin/exchange", json={"code": code, "client": "check-page"})
    assert again.status_code == 401 and again.json["error"]["code"] == "signin_code_reused"


def test_signin_link_follows_the_server_address(app):
    from server.checkpage.qr import signin_url
    with app.test_request_context("/admin/staff", base_url="https://sl.example.org"):
        assert signin_url("slc_abc-DEF_123") == "https://sl.example.org/check#signin=slc_abc-DEF_123"


def test_admin_role_gets_a_password(app, admin_client):
    res = admin_client.post("/admin/staff", data={"name": "rev", "role": "reviewer",
                                                  "csrf_token": staff_page_csrf(admin_client)})
    assert 'id="issued-password"' in res.get_data(as_text=True)
    assert member(app, "rev").password_hash


STAFF_ONLY_PAGES = ("/admin/", "/admin/check-by-eye")
ADMIN_PAGES = ("/admin/pupils", "/admin/pupils/new", "/admin/pupils/export.csv", "/admin/staff", "/admin/audit",
               "/admin/reports", "/admin/adapter-health", "/admin/review", "/admin/review/summary",
               "/admin/review/export.csv")


def test_staff_get_a_password_for_the_pupils_to_check_by_eye_where_school_sign_in_is_off(app, admin_client):
    """Without school-account sign-in a password is the only way to the page a warning card links to;
    it opens that page and no admin page, and each view of it is audited."""
    res = admin_client.post("/admin/staff", data={"name": "Mr Hill", "role": "staff",
                                                  "csrf_token": staff_page_csrf(admin_client)})
    html = res.get_data(as_text=True)
    password = re.search(r'id="issued-password">([^<]+)<', html).group(1)
    assert "Password for the pupils to check by eye" in html and "never the admin pages" in html
    teacher = app.test_client()
    assert login(teacher, "Mr Hill", password).status_code == 302
    for page in STAFF_ONLY_PAGES:
        assert teacher.get(page).status_code == 200, page
    assert "Pupils to check by eye" in teacher.get("/admin/check-by-eye?year=none").get_data(as_text=True)
    for page in ADMIN_PAGES:
        assert teacher.get(page).status_code == 403, page
    assert ("Mr Hill", "check_by_eye.viewed") in [(a, b) for a, b in audit_actions(app, None)]


def test_a_new_token_gives_staff_without_a_password_one(app, admin_client, make_staff):
    staff, _ = make_staff("Ms Dale", "staff")  # added before staff were given passwords
    assert member(app, "Ms Dale").password_hash is None
    html = admin_client.post(f"/admin/staff/{staff.id}/token",
                             data={"csrf_token": staff_page_csrf(admin_client)}).get_data(as_text=True)
    password = re.search(r'id="issued-password">([^<]+)<', html).group(1)
    assert login(app.test_client(), "Ms Dale", password).status_code == 302
    again = admin_client.post(f"/admin/staff/{staff.id}/token",
                              data={"csrf_token": staff_page_csrf(admin_client)}).get_data(as_text=True)
    assert 'id="issued-password"' not in again  # a password they have is not replaced by a new token


INVALID_FORMS = [({"name": "", "role": "staff"}, "name"),
                 ({"name": "director", "role": "staff"}, "name"),
                 ({"name": "x" * 121, "role": "staff"}, "name"),
                 ({"name": "Ok Name", "role": "superuser"}, "role")]


def test_add_member_validation(app, admin_client):
    for form, field in INVALID_FORMS:
        res = admin_client.post("/admin/staff", data={**form, "csrf_token": staff_page_csrf(admin_client)})
        assert res.status_code == 422, form
        assert f'id="staff-{field}-error"' in res.get_data(as_text=True), form
    assert member(app, "Ok Name") is None
    with app.app_context():
        assert get_db().query(Staff).count() == 1


def test_issue_new_token_replaces_the_old_one(app, admin_client, make_staff):
    staff, old = make_staff("Ms Dale", "staff")
    res = admin_client.post(f"/admin/staff/{staff.id}/token", data={"csrf_token": staff_page_csrf(admin_client)})
    new = issued_token(res.get_data(as_text=True))
    assert new != old
    body = {"text": "hi", "platform": "x", "account_type": "personal"}
    assert admin_client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert admin_client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert ("director", "staff.token_issued") in audit_actions(app, "Ms Dale")


def test_revoke_stops_the_token_and_reinstate_gives_a_new_one(app, admin_client, make_staff):
    staff, token = make_staff("Ms Dale", "staff")
    res = admin_client.post(f"/admin/staff/{staff.id}/revoke", data={"csrf_token": staff_page_csrf(admin_client)})
    assert res.status_code == 302
    assert not member(app, "Ms Dale").active
    body = {"text": "hi", "platform": "x", "account_type": "personal"}
    assert admin_client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "Revoked" in admin_client.get("/admin/staff").get_data(as_text=True)
    res = admin_client.post(f"/admin/staff/{staff.id}/token", data={"csrf_token": staff_page_csrf(admin_client)})
    assert member(app, "Ms Dale").active
    new = issued_token(res.get_data(as_text=True))
    assert admin_client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert audit_actions(app, "Ms Dale") == [("cli", "staff.add"), ("director", "staff.revoke"),
                                             ("director", "staff.token_issued")]


def test_admin_cannot_revoke_themselves(app, admin_client):
    me = member(app, "director")
    admin_client.post(f"/admin/staff/{me.id}/revoke", data={"csrf_token": staff_page_csrf(admin_client)})
    assert member(app, "director").active


def test_posts_without_csrf_are_refused(app, admin_client, make_staff):
    staff, _ = make_staff("Ms Dale", "staff")
    for path in ("/admin/staff", f"/admin/staff/{staff.id}/token", f"/admin/staff/{staff.id}/revoke"):
        res = admin_client.post(path, data={"name": "Sneaky", "role": "admin"}, headers={"Accept": "text/html"})
        assert res.status_code == 400, path
    assert member(app, "Sneaky") is None and member(app, "Ms Dale").active
    assert audit_actions(app, "Ms Dale") == [("cli", "staff.add")]


def test_unknown_member_is_404(admin_client):
    res = admin_client.post("/admin/staff/9999/token", data={"csrf_token": staff_page_csrf(admin_client)})
    assert res.status_code == 404


def test_reviewer_cannot_use_the_staff_page(client, make_staff):
    make_staff("rev", "reviewer")
    page = client.get("/admin/login").get_data(as_text=True)
    client.post("/admin/login", data={"name": "rev", "password": "pw-rev", "csrf_token": csrf_from(page)})
    assert client.get("/admin/staff").status_code == 403
    csrf = csrf_from(client.get("/admin/").get_data(as_text=True))
    assert client.post("/admin/staff", data={"name": "x", "role": "admin", "csrf_token": csrf}).status_code == 403


def test_signed_out_is_sent_to_login(client):
    res = client.get("/admin/staff")
    assert res.status_code == 302 and "/admin/login" in res.headers["Location"]
