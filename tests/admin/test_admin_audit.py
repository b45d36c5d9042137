"""The audit log: an entry for every action with who/when/what (never biometric data), a page with
filters for admins, and no way to change or delete an entry through the app."""
from __future__ import annotations

import io
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from server.db import get_db
from server.models import AuditEvent, FaceTemplate, Pupil
from tests.support.helpers import BACKENDS
from tests.support.pupil_fixtures import csrf_from, list_site, login, pupil_form, signed_in


@pytest.fixture(scope="module", params=BACKENDS)
def app(request, tmp_path_factory):
    with list_site(tmp_path_factory, request.param, (("it", "admin"), ("rev", "reviewer"))) as app:
        yield app


@pytest.fixture(scope="module")
def admin_session(app):
    return signed_in(app, "it")


def events(app, action=None):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return get_db().execute(query).scalars().all()


def test_each_action_is_audited_without_biometric_data(app, admin_session):
    client, csrf = admin_session
    assert events(app, "login")[-1].actor == "it"
    client.post("/admin/pupils/new", data=pupil_form(csrf, reference="AU1"))
    with app.app_context():
        pid = get_db().execute(select(Pupil.id).where(Pupil.reference == "AU1")).scalar_one()
        get_db().add(FaceTemplate(pupil_id=pid, encoding=b"\x01" * 1024, thumbnail=b"thumb", photo_sha256="f" * 64))
        get_db().commit()
    client.post(f"/admin/pupils/{pid}/edit", data=pupil_form(csrf, reference="AU1", year_group="Year 9"))
    client.post(f"/admin/pupils/{pid}/photos", content_type="multipart/form-data",
                data={"csrf_token": csrf, "photos": [(io.BytesIO(b"plain text, not a photo"), "x.jpg")]})
    client.get("/admin/pupils/export.csv")
    client.post(f"/admin/pupils/{pid}/edit", data=pupil_form(csrf, reference="AU1", year_group="Year 9",
                                                              pupil_objected="yes", confirm_delete_faces="yes"))
    client.post(f"/admin/pupils/{pid}/remove", data={"csrf_token": csrf, "confirm": "yes"})
    trail = [(e.action, e.actor, e.target) for e in events(app) if e.target in (f"pupil:{pid}", "no-publish list")]
    assert trail == [
        ("pupil.add", "it", f"pupil:{pid}"),
        ("pupil.edit", "it", f"pupil:{pid}"),
        ("pupil.photo_refused", "it", f"pupil:{pid}"),
        ("pupil.export", "it", "no-publish list"),
        ("pupil.edit", "it", f"pupil:{pid}"),
        ("pupil.consent_withdrawn", "it", f"pupil:{pid}"),
        ("pupil.remove", "it", f"pupil:{pid}"),
    ]
    for event in events(app):
        text = json.dumps(event.details)
        assert "encoding" not in text and "thumb" not in text and "f" * 64 not in text
        assert "Jordan" not in text  # no pupil names either: the target is the entry's id
        assert event.at is not None


def test_failed_login_and_logout_are_audited(app):
    client = app.test_client()
    page = client.get("/admin/login").get_data(as_text=True)
    client.post("/admin/login", data={"name": "it", "password": "wrong", "csrf_token": csrf_from(page)})
    assert events(app, "login.failed")[-1].actor == "it"
    csrf = login(client, "rev")
    client.post("/admin/logout", data={"csrf_token": csrf})
    assert events(app, "logout")[-1].actor == "rev"


def test_audit_page_filters(app, admin_session):
    client, _ = admin_session
    with app.app_context():
        db = get_db()
        db.add_all([
            AuditEvent(actor="alice", action="settings.change", target="policy", details={"key": "faces"},
                       at=datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)),
            AuditEvent(actor="bob", action="pupil.add", target="pupil:999", details={},
                       at=datetime(2026, 3, 5, 9, 0, tzinfo=timezone.utc)),
        ])
        db.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    removed = "added a pupil since removed (entry 999) to the no-publish list"
    assert "settings change policy (key: faces)" in page and removed in page
    only_alice = client.get("/admin/audit?actor=alice").get_data(as_text=True)
    assert "policy" in only_alice and "entry 999" not in only_alice
    by_action = client.get("/admin/audit?action=settings.change").get_data(as_text=True)
    assert "alice" in by_action and "entry 999" not in by_action
    by_date = client.get("/admin/audit?from=2026-03-04&to=2026-03-05").get_data(as_text=True)
    assert "entry 999" in by_date and 'data-action="settings.change"' not in by_date
    about = client.get("/admin/audit?target=pupil:999").get_data(as_text=True)
    assert "1 entry" in about and "settings change" not in about
    assert "1 entry" in client.get("/admin/audit?from=2026-03-01&to=2026-03-01").get_data(as_text=True)
    assert client.get("/admin/audit?from=not-a-date").status_code == 200  # a bad filter is ignored


def test_audit_page_pages(app, admin_session):
    client, _ = admin_session
    with app.app_context():
        db = get_db()
        db.add_all([AuditEvent(actor="bulk", action="test.page", target=f"t{i}") for i in range(120)])
        db.commit()
    first = client.get("/admin/audit?actor=bulk").get_data(as_text=True)
    second = client.get("/admin/audit?actor=bulk&page=2").get_data(as_text=True)
    assert "120 entries, page 1 of 2" in first and "Older" in first
    assert first.count('data-action="test.page"') == 100 and second.count('data-action="test.page"') == 20


def test_audit_entries_cannot_be_changed_through_the_app(app, admin_session):
    client, csrf = admin_session
    before = len(events(app))
    for method in ("post", "put", "patch", "delete"):
        res = getattr(client, method)("/admin/audit", data={"csrf_token": csrf})
        assert res.status_code == 405
    # No route but the read-only page and its CSV touch the audit log.
    rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule or "audit" in r.endpoint]
    assert sorted((r.endpoint, sorted(r.methods - {"HEAD", "OPTIONS"})) for r in rules) == [
        ("admin.audit_export", ["GET"]), ("admin.audit_log", ["GET"])]
    assert len(events(app)) == before


def test_audit_page_is_for_admins_only(app):
    client = app.test_client()
    assert client.get("/admin/audit").status_code == 302
    login(client, "rev")
    assert client.get("/admin/audit", headers={"Accept": "text/html"}).status_code == 403



def test_entries_read_as_sentences_with_links_and_export_as_csv(app, admin_session):
    """`pupil:3 changed=['consent_withdrawn']` becomes a sentence naming the pupil, linked to them."""
    client, csrf = admin_session
    client.post("/admin/pupils/new", data=pupil_form(csrf, reference="SENT1", display_name="Amira Sentence"))
    with app.app_context():
        pid = get_db().execute(select(Pupil.id).where(Pupil.reference == "SENT1")).scalar_one()
    client.post(f"/admin/pupils/{pid}/edit", data=pupil_form(csrf, reference="SENT1", display_name="Amira Sentence",
                                                              consent_withdrawn="yes",
                                                              consent_evidence="letter from father, 2 May"))
    page = client.get(f"/admin/audit?target=pupil:{pid}").get_data(as_text=True)
    assert "withdrew consent to face matching for Amira Sentence; evidence: letter from father, 2 May" in page
    assert "changed Amira Sentence&#39;s consent withdrawn" in page
    assert f'href="/admin/pupils/{pid}"' in page
    assert "changed=" not in page and f"pupil:{pid}</td>" not in page
    res = client.get(f"/admin/audit/export.csv?target=pupil:{pid}")
    text = res.get_data(as_text=True)
    assert res.mimetype == "text/csv" and text.startswith("\ufeff")
    import csv as csv_module
    rows = list(csv_module.DictReader(io.StringIO(text[1:])))
    assert [r["action_id"] for r in rows] == ["pupil.add", "pupil.edit", "pupil.consent_withdrawn"]
    assert rows[2]["what"].startswith("it withdrew consent to face matching for Amira Sentence")
    assert rows[0]["when"].endswith(("+00:00", "+01:00"))
    assert events(app, "audit.export")[-1].details["rows"] == 3
