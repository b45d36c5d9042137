"""The no-publish list pages through the test client: roles, CSRF, forms, consent rules, removal.

No face enrolment here (see test_admin_pupils_faces.py): these run on every database backend.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from server.nopublish import records
from server.db import get_db
from server.nopublish.state import read_version
from server.models import AuditEvent, FaceTemplate, Pupil
from server import services
from tests.support.helpers import BACKENDS
from tests.support.pupil_fixtures import csrf_from, empty_list, list_site, pupil_form, signed_in

PAGES = ["/admin/pupils", "/admin/pupils/new", "/admin/pupils/import", "/admin/audit", "/admin/pupils/export.csv"]


@pytest.fixture(scope="module", params=BACKENDS)
def app(request, tmp_path_factory):
    with list_site(tmp_path_factory, request.param, (("it", "admin"), ("rev", "reviewer"))) as app:
        yield app


@pytest.fixture(scope="module")
def admin_session(app):
    return signed_in(app, "it")


@pytest.fixture(scope="module")
def reviewer(app):
    return signed_in(app, "rev")


@pytest.fixture
def client(admin_session):
    return admin_session[0]


@pytest.fixture
def admin(admin_session):
    return admin_session[1]


@pytest.fixture(autouse=True)
def _empty(app):
    empty_list(app)


def add(client, csrf, **overrides):
    return client.post("/admin/pupils/new", data=pupil_form(csrf, **overrides))


def only_pupil(app):
    with app.app_context():
        return get_db().execute(select(Pupil)).scalar_one()


def add_template(app, pupil_id, n=1):
    """A stored template as enrolment would leave it (the face tests enrol real photos)."""
    with app.app_context():
        db = get_db()
        for i in range(n):
            db.add(FaceTemplate(pupil_id=pupil_id, encoding=bytes(1024), thumbnail=b"\xff\xd8thumb",
                                photo_sha256=f"{pupil_id:02d}{i:062d}"))
        db.commit()


def template_count(app, pupil_id=None):
    with app.app_context():
        query = select(func.count(FaceTemplate.id))
        if pupil_id is not None:
            query = query.where(FaceTemplate.pupil_id == pupil_id)
        return get_db().execute(query).scalar_one()


def actions(app):
    with app.app_context():
        return [e.action for e in get_db().execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_sign_in(app, path):
    res = app.test_client().get(path)
    assert res.status_code == 302 and "/admin/login" in res.headers["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_reviewers_cannot_see_the_list_pages(reviewer, path):
    assert reviewer[0].get(path, headers={"Accept": "text/html"}).status_code == 403


def test_reviewer_cannot_add_or_remove(app, client, reviewer, admin):
    add(client, admin)
    pupil = only_pupil(app)
    client, csrf = reviewer
    assert add(client, csrf, display_name="Other", reference="B1").status_code == 403
    assert client.post(f"/admin/pupils/{pupil.id}/remove", data={"csrf_token": csrf, "confirm": "yes"}).status_code == 403
    assert client.post(f"/admin/pupils/{pupil.id}/edit", data=pupil_form(csrf, display_name="X")).status_code == 403
    assert only_pupil(app).display_name == "Jordan Example"


def test_list_page_renders(client, admin):
    html = client.get("/admin/pupils").get_data(as_text=True)
    assert "No-publish list" in html and "The list is empty." in html
    assert "written consent" in html  # the consent help text


def test_pupils_enrolled_with_the_older_face_model_are_pointed_out(app, client, admin):
    """Templates enrolled before SFace (dlib only, or dlib and ArcFace) still match, less reliably:
    the list says which pupils need a new photo, and stops saying it once one has an SFace template."""
    add(client, admin)
    pupil = only_pupil(app)
    add_template(app, pupil.id)
    listing = client.get("/admin/pupils").get_data(as_text=True)
    assert "older face model: add a new photo" in listing and "1 pupil was enrolled with the older" in listing
    with app.app_context():
        db = get_db()
        db.add(FaceTemplate(pupil_id=pupil.id, encoding=bytes(1024), arc_encoding=bytes(2048), photo_sha256="b" * 64))
        db.commit()
    assert "older face model: add a new photo" in client.get("/admin/pupils").get_data(as_text=True)
    with app.app_context():
        db = get_db()
        db.add(FaceTemplate(pupil_id=pupil.id, encoding=bytes(1024), arc_encoding=bytes(2048),
                            sface_encoding=bytes(512), photo_sha256="c" * 64))
        db.commit()
    listing = client.get("/admin/pupils").get_data(as_text=True)
    assert "older face model" not in listing and "Name and face" in listing


@pytest.mark.parametrize("enrolled, asks", [(1, 2), (2, 1), (3, 0), (4, 0)])
def test_fewer_than_three_photos_asks_for_more(app, client, admin, enrolled, asks):
    """Three photos each catch more of a pupil's other photos than two (docs/images.md): the pupil's
    page and the list ask IT for more until there are three, and stop asking then."""
    add(client, admin)
    pupil = only_pupil(app)
    with app.app_context():  # templates of the current face network, as enrolment leaves them now
        db = get_db()
        for i in range(enrolled):
            db.add(FaceTemplate(pupil_id=pupil.id, encoding=bytes(1024), arc_encoding=bytes(2048),
                                sface_encoding=bytes(512), thumbnail=b"\xff\xd8thumb", photo_sha256=f"c{i:063d}"))
        db.commit()
    page = client.get(f"/admin/pupils/{pupil.id}").get_data(as_text=True)
    listing = client.get("/admin/pupils").get_data(as_text=True)
    if asks:
        assert f"{enrolled} of 3 recommended photos enrolled" in page and f"add {asks} more of" in page
        assert f"Name and face ({enrolled} of 3 photos: add another)" in listing
    else:
        assert 'id="more-photos"' not in page and "photos: add another" not in listing
        assert "Name and face" in listing


@pytest.mark.parametrize("field", ["pupil_objected", "consent_withdrawn"])
def test_no_photo_is_asked_for_when_no_face_may_be_enrolled(app, client, admin, field):
    add(client, admin, **{field: "yes"})
    pupil = only_pupil(app)
    page = client.get(f"/admin/pupils/{pupil.id}").get_data(as_text=True)
    assert 'id="more-photos"' not in page and "recommended photos" not in page


def test_add_pupil_without_photos(app, client, admin):
    with app.app_context():
        version = read_version(get_db())
    res = add(client, admin)
    with app.app_context():
        assert read_version(get_db()) == version + 1
    assert res.status_code == 302
    pupil = only_pupil(app)
    assert (pupil.display_name, pupil.reference, pupil.year_group, pupil.reason) == (
        "Jordan Example", "A100", "Year 7", "no-consent")
    assert pupil.review_by == date(2030, 7, 31) and pupil.consent_given_on == date(2025, 9, 3)
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Jordan Example" in page and "No face enrolled" in page
    listing = client.get("/admin/pupils").get_data(as_text=True)
    assert "Jordan Example" in listing and "A100" in listing and "Name only: no photo yet" in listing
    assert "pupil.add" in actions(app)


def test_add_without_csrf_is_refused(app, client, admin):
    form = pupil_form(admin)
    del form["csrf_token"]
    res = client.post("/admin/pupils/new", data=form, headers={"Accept": "text/html"})
    assert res.status_code == 400
    with app.app_context():
        assert get_db().execute(select(func.count(Pupil.id))).scalar_one() == 0


@pytest.mark.parametrize("overrides, field", [
    ({"display_name": "  "}, "display_name"),
    ({"reason": "because"}, "reason"),
    ({"reason": "other", "reason_note": ""}, "reason_note"),
    ({"reason_note": "x" * 201}, "reason_note"),
    ({"review_by": ""}, "review_by"),
    ({"review_by": "next July"}, "review_by"),
    ({"reference": "A 100; DROP"}, "reference"),
    ({"consent_given_on": ""}, "consent_given_on"),
    ({"consent_given_on": (date.today() + timedelta(days=3)).isoformat()}, "consent_given_on"),
])
def test_bad_fields_are_explained(app, client, admin, overrides, field):
    res = add(client, admin, **overrides)
    assert res.status_code == 422
    html = res.get_data(as_text=True)
    assert f'id="{field}-error"' in html and f'aria-describedby="{field}-error"' in html
    with app.app_context():
        assert get_db().execute(select(func.count(Pupil.id))).scalar_one() == 0


def test_day_first_dates_are_read(app, client, admin):
    assert add(client, admin, review_by="31/07/2030").status_code == 302
    assert only_pupil(app).review_by == date(2030, 7, 31)


def test_reference_must_be_unique(client, admin):
    assert add(client, admin).status_code == 302
    res = add(client, admin, display_name="Someone Else", reference="a100")
    assert res.status_code == 422 and "already has this reference" in res.get_data(as_text=True)


def test_photos_need_recorded_consent(app, client, admin):
    form = pupil_form(admin, consent_given_by="", consent_given_on="")
    form["photos"] = (io.BytesIO(b"\xff\xd8 any photo"), "face.jpg")
    res = client.post("/admin/pupils/new", data=form, content_type="multipart/form-data")
    assert res.status_code == 422 and "written consent" in res.get_data(as_text=True)
    html = res.get_data(as_text=True)
    # the error points at the missing consent fields, not only at the photo
    assert 'id="consent_given_by-error"' in html and 'id="consent_given_on-error"' in html
    assert 'id="parents_notified_on-error"' not in html  # that one was given
    with app.app_context():
        assert get_db().execute(select(func.count(Pupil.id))).scalar_one() == 0


def test_the_error_summary_links_each_missing_consent_field_first(client, admin):
    """The summary at the top lists what to put right in page order, each a link to its field; the
    photo's own message comes last, and the page says the photo was not kept (without JavaScript;
    the page's script keeps the File in the browser, tests/browser/test_admin_pupils.py)."""
    form = pupil_form(admin, parents_notified_on="", consent_given_by="", consent_given_on="")
    form["photos"] = (io.BytesIO(b"\xff\xd8 any photo"), "face.jpg")
    html = client.post("/admin/pupils/new", data=form, content_type="multipart/form-data").get_data(as_text=True)
    summary = html[html.index('id="error-summary"'):html.index("</div>", html.index('id="error-summary"'))]
    links = re.findall(r'<a href="#(\w+)">', summary)
    assert links == ["parents_notified_on", "consent_given_by", "consent_given_on", "photos"]
    assert "4 things to put right" in summary and 'role="alert"' in summary
    assert 'id="photos-not-kept"' in html and "choose it again" in html
    assert 'src="/static/pupil-form.js"' in html


def test_a_form_error_without_photos_does_not_mention_photos(client, admin):
    html = add(client, admin, display_name="").get_data(as_text=True)
    assert re.findall(r'<a href="#(\w+)">', html[html.index('id="error-summary"'):]) [:1] == ["display_name"]
    assert 'id="photos-not-kept"' not in html


def test_edit_pupil(app, client, admin):
    add(client, admin)
    pupil = only_pupil(app)
    page = client.get(f"/admin/pupils/{pupil.id}/edit").get_data(as_text=True)
    assert 'value="Jordan Example"' in page and 'value="2030-07-31"' in page
    res = client.post(f"/admin/pupils/{pupil.id}/edit", data=pupil_form(admin, year_group="Year 8", reason="safeguarding"))
    assert res.status_code == 302
    pupil = only_pupil(app)
    assert pupil.year_group == "Year 8" and pupil.reason == "safeguarding"
    with app.app_context():
        event = get_db().execute(select(AuditEvent).where(AuditEvent.action == "pupil.edit")).scalar_one()
    assert event.actor == "it" and sorted(event.details["changed"]) == ["reason", "year_group"]


@pytest.mark.parametrize("flag", ["consent_withdrawn", "pupil_objected"])
def test_withdrawn_consent_deletes_templates_at_once(app, client, admin, flag):
    add(client, admin)
    pupil = only_pupil(app)
    add_template(app, pupil.id, 2)
    before = template_count(app, pupil.id)
    form = client.get(f"/admin/pupils/{pupil.id}/edit").get_data(as_text=True)
    assert "deletes Jordan Example's 2 enrolled faces at once" in form  # said before ticking
    refused = client.post(f"/admin/pupils/{pupil.id}/edit", data=pupil_form(admin, **{flag: "yes"}))
    assert refused.status_code == 422 and "cannot be restored" in refused.get_data(as_text=True)
    assert template_count(app, pupil.id) == 2  # nothing deleted without the confirmation
    res = client.post(f"/admin/pupils/{pupil.id}/edit", data=pupil_form(admin, confirm_delete_faces="yes",
                                                                         consent_evidence="form 12", **{flag: "yes"}))
    assert res.status_code == 302 and before == 2
    assert template_count(app, pupil.id) == 0  # checked in the database
    page = client.get(f"/admin/pupils/{pupil.id}").get_data(as_text=True)
    assert "by name only" in page and "no face may be enrolled" in page
    assert 'name="photos"' not in page  # no enrolment form any more
    listing = client.get("/admin/pupils").get_data(as_text=True)
    assert "check every photo with faces from a school account by eye" in listing
    with app.app_context():
        db = get_db()
        assert records.pending_manual_count(db) == 1
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "pupil.consent_withdrawn")).scalar_one()
        assert event.details["templates_deleted"] == 2
        # The checks see the change: the index is built with pending_manual for this pupil.
        seen = {}
        from server.nopublish.state import NoPublishState
        state = NoPublishState(build_index=lambda rows, pending_manual=0: seen.update(rows=rows, pending=pending_manual))
        state.index(db)
    assert seen == {"rows": [], "pending": 1}
    # The name still blocks: the pupil stays on the list.
    assert only_pupil(app).display_name == "Jordan Example"
    # The consent history says what changed, when, by whom and the evidence.
    page = client.get(f"/admin/pupils/{pupil.id}").get_data(as_text=True)
    history = page[page.index('id="consent-history"'):page.index("Enrolled faces")]
    assert "Added to the list with consent to face matching" in history
    assert "2 enrolled faces deleted" in history and "form 12" in history
    assert "written consent from P. Example (mother)" in history


def test_withdrawn_pupil_refuses_new_photos(app, client, admin):
    add(client, admin, consent_withdrawn="yes")
    pupil = only_pupil(app)
    with app.test_request_context(), app.app_context():
        outcome = records.assess_photo(get_db(), pupil, b"not looked at", services.policy(app))
    assert outcome.status == "objected" and not outcome.accepted


def test_remove_pupil_purges_templates(app, client, admin):
    add(client, admin)
    add(client, admin, display_name="Kept Pupil", reference="A200")
    with app.app_context():
        ids = dict(get_db().execute(select(Pupil.display_name, Pupil.id)).all())
    add_template(app, ids["Jordan Example"], 2)
    add_template(app, ids["Kept Pupil"], 1)
    pid = ids["Jordan Example"]
    # Not without ticking the confirmation box.
    client.post(f"/admin/pupils/{pid}/remove", data={"csrf_token": admin})
    assert template_count(app, pid) == 2
    res = client.post(f"/admin/pupils/{pid}/remove", data={"csrf_token": admin, "confirm": "yes"})
    assert res.status_code == 302 and res.headers["Location"].endswith("/admin/pupils")
    with app.app_context():
        db = get_db()
        assert db.get(Pupil, pid) is None
        rows = db.execute(select(FaceTemplate.pupil_id, FaceTemplate.thumbnail)).all()
        assert [r[0] for r in rows] == [ids["Kept Pupil"]]  # the other pupil's template is untouched
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "pupil.remove")).scalar_one()
        assert event.details["templates_deleted"] == 2 and event.target == f"pupil:{pid}"
    assert client.get(f"/admin/pupils/{pid}").status_code == 404


def test_remove_without_csrf_is_refused(app, client, admin):
    add(client, admin)
    pupil = only_pupil(app)
    res = client.post(f"/admin/pupils/{pupil.id}/remove", data={"confirm": "yes"}, headers={"Accept": "text/html"})
    assert res.status_code == 400 and only_pupil(app).id == pupil.id


def test_remove_one_photo(app, client, admin):
    add(client, admin)
    pupil = only_pupil(app)
    add_template(app, pupil.id, 2)
    with app.app_context():
        first = get_db().execute(select(FaceTemplate.id).order_by(FaceTemplate.id)).scalars().first()
    asked = client.post(f"/admin/pupils/{pupil.id}/photos/{first}/delete", data={"csrf_token": admin})
    assert asked.status_code == 200 and template_count(app, pupil.id) == 2  # asks first
    res = client.post(f"/admin/pupils/{pupil.id}/photos/{first}/delete", data={"csrf_token": admin, "confirm": "yes"})
    assert res.status_code == 302 and template_count(app, pupil.id) == 1
    assert "pupil.photo_removed" in actions(app)


def test_thumbnail_route_is_admin_only_and_not_cached(app, client, reviewer, admin):
    add(client, admin)
    pupil = only_pupil(app)
    add_template(app, pupil.id)
    with app.app_context():
        tid = get_db().execute(select(FaceTemplate.id)).scalar_one()
    res = client.get(f"/admin/pupils/{pupil.id}/photos/{tid}.jpg")
    assert res.status_code == 200 and res.data == b"\xff\xd8thumb"
    assert res.headers["Cache-Control"] == "no-store" and res.mimetype == "image/jpeg"
    assert client.get(f"/admin/pupils/{pupil.id + 1}/photos/{tid}.jpg").status_code == 404
    assert app.test_client().get(f"/admin/pupils/{pupil.id}/photos/{tid}.jpg").status_code == 302
    assert reviewer[0].get(f"/admin/pupils/{pupil.id}/photos/{tid}.jpg").status_code == 403


def test_search_and_overdue_highlight(app, client, admin):
    add(client, admin)
    add(client, admin, display_name="Ola Overdue", reference="B200", review_by="2020-01-31")
    html = client.get("/admin/pupils").get_data(as_text=True)
    assert html.count('class="overdue"') == 1 and "Review overdue" in html
    assert "1 entry is past the review-by date" in html
    found = client.get("/admin/pupils?q=b200").get_data(as_text=True)
    assert "Ola Overdue" in found and "Jordan Example" not in found
    found = client.get("/admin/pupils?q=jordan").get_data(as_text=True)
    assert "Jordan Example" in found and "Ola Overdue" not in found
    overdue = client.get("/admin/pupils?show=overdue").get_data(as_text=True)
    assert "Ola Overdue" in overdue and "Jordan Example" not in overdue
    with app.app_context():
        overdue_id = get_db().execute(select(Pupil.id).where(Pupil.reference == "B200")).scalar_one()
    pupil_page = client.get(f"/admin/pupils/{overdue_id}").get_data(as_text=True)
    assert "has passed" in pupil_page


def test_export_is_audited_and_safe_for_spreadsheets(app, client, admin):
    add(client, admin, display_name="=HYPERLINK(evil)", reference="A1")
    res = client.get("/admin/pupils/export.csv")
    assert res.status_code == 200 and res.mimetype == "text/csv" and res.headers["Cache-Control"] == "no-store"
    assert res.get_data().startswith("\ufeff".encode("utf-8"))  # the BOM: Excel then reads it as UTF-8
    rows = list(csv.reader(io.StringIO(res.get_data(as_text=True).removeprefix("\ufeff"))))
    assert rows[0][:3] == ["name", "reference", "year_group"] and rows[1][0] == "'=HYPERLINK(evil)"
    assert "encoding" not in ",".join(rows[0])
    assert "pupil.export" in actions(app)


def test_export_keeps_accented_names_for_excel(app, client, admin):
    add(client, admin, display_name="Zoë Ñúñez-Brontë", reference="A2")
    body = client.get("/admin/pupils/export.csv").get_data()
    assert body.startswith(b"\xef\xbb\xbf") and body.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][0] == "Zoë Ñúñez-Brontë" and rows[1][1] == "A2"


def test_every_form_carries_a_csrf_token(app, client, admin):
    add(client, admin)
    pupil = only_pupil(app)
    for path in ("/admin/pupils/new", f"/admin/pupils/{pupil.id}", f"/admin/pupils/{pupil.id}/edit",
                 "/admin/pupils/import"):
        html = client.get(path).get_data(as_text=True)
        assert html.count("<form") - html.count('method="get"') == html.count('name="csrf_token"'), path
        assert csrf_from(html)


def test_pages_have_no_inline_script_or_style(app, client, admin):
    add(client, admin)
    pupil = only_pupil(app)
    for path in ("/admin/pupils", "/admin/pupils/new", f"/admin/pupils/{pupil.id}", "/admin/audit",
                 "/admin/pupils/import"):
        html = client.get(path).get_data(as_text=True).lower()
        inline_script = re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)  # files from this site only
        assert not inline_script and "<style" not in html and " style=" not in html, path


def test_choose_without_csrf_is_refused(app, client, admin):
    add(client, admin)
    pupil = only_pupil(app)
    res = client.post(f"/admin/pupils/{pupil.id}/photos/choose", data={"photo": "AAAA", "choose": "0"},
                      headers={"Accept": "text/html"})
    assert res.status_code == 400
    assert "pupil.photo_enrolled" not in actions(app)


def test_blanked_consent_fields_delete_templates_in_the_same_save(app, client, admin):
    """Clearing both consent fields (without ticking 'withdrawn') once kept the face and its match."""
    add(client, admin)
    pupil = only_pupil(app)
    add_template(app, pupil.id, 2)
    res = client.post(f"/admin/pupils/{pupil.id}/edit",
                      data=pupil_form(admin, consent_given_by="", consent_given_on=""))
    assert res.status_code == 302
    assert template_count(app, pupil.id) == 0
    with app.app_context():
        event = get_db().execute(select(AuditEvent).where(AuditEvent.action == "pupil.consent_withdrawn")).scalar_one()
    assert event.details["templates_deleted"] == 2


def test_matching_never_loads_a_template_without_recorded_consent(app):
    """A template left behind (written around the pages, an old database) is not matched against."""
    from server.nopublish.state import NoPublishState
    with app.app_context():
        db = get_db()
        with_consent = Pupil(display_name="Has Consent", review_by=date(2030, 1, 1), parents_notified_on=date(2025, 1, 1),
                             consent_given_by="Parent", consent_given_on=date(2025, 1, 2))
        without = Pupil(display_name="No Consent", review_by=date(2030, 1, 1))
        db.add_all([with_consent, without])
        db.commit()
        ids = (with_consent.id, without.id)
    add_template(app, ids[0])
    add_template(app, ids[1])
    seen = {}
    state = NoPublishState(build_index=lambda rows, pending_manual=0: seen.update(rows=rows))
    with app.app_context():
        state.index(get_db())
    assert [row[0] for row in seen["rows"]] == [ids[0]]
