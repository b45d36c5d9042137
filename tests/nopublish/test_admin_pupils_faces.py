"""Enrolling real faces through the pages, and what the checks then see.

Face enrolment is slow (a dlib model, 10 jitters), so the module shares one SQLite app, enrols
each person once, and keeps photos small (LFW, 250x250).
"""
from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image, ImageFilter
from sqlalchemy import func, select

from image_checks.enrol import enrol_photo
from server.staff import create_staff
from server.db import get_db
from server.models import AuditEvent, FaceTemplate, Pupil
from server import services
from tests.support.pupil_fixtures import blank_png, jpeg, lfw, list_site, pupil_form, signed_in, two_faces

PERSON = "Aaron_Peirsol"
STRANGER = "Abdullah"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with list_site(tmp_path_factory) as app:
        yield app


@pytest.fixture(scope="module")
def admin_session(app):
    return signed_in(app)


@pytest.fixture(scope="module")
def staff_auth(app):
    with app.app_context():
        _, token, _ = create_staff("teacher", "staff")
    return {"Authorization": f"Bearer {token}"}


def statuses(html):
    return re.findall(r'data-status="(\w+)"', html)


def add_with_photos(client, csrf, photos, **fields):
    data = pupil_form(csrf, **fields)
    data["photos"] = [(io.BytesIO(content), name) for name, content in photos]
    return client.post("/admin/pupils/new", data=data, content_type="multipart/form-data")


def pupil_id(app, reference):
    with app.app_context():
        return get_db().execute(select(Pupil.id).where(Pupil.reference == reference)).scalar_one()


def templates_of(app, pid):
    with app.app_context():
        return get_db().execute(select(FaceTemplate).where(FaceTemplate.pupil_id == pid)
                                .order_by(FaceTemplate.id)).scalars().all()


def check(client, auth, photo, account_type="school"):
    draft = {"text": "Great day at sports day!", "platform": "x", "account_type": account_type,
             "audience": "public", "account_handle": "@kjs_sport"}
    res = client.post("/api/v1/check", headers=auth, content_type="multipart/form-data",
                      data={"draft": json.dumps(draft), "images": [(io.BytesIO(photo), "post.jpg")]})
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()


@pytest.fixture(scope="module")
def enrolled(app, admin_session):
    """PERSON added with one good photo, one that is not an image and the same photo again."""
    client, csrf = admin_session
    res = add_with_photos(client, csrf, [("one.jpg", lfw(PERSON, 1)), ("notes.txt", b"not an image at all"),
                                         ("again.jpg", lfw(PERSON, 1))],
                          display_name="Aaron Pupil", reference="P1")
    assert res.status_code == 201
    return res.get_data(as_text=True), pupil_id(app, "P1")


def test_feedback_for_each_photo_at_once(app, enrolled):
    html, pid = enrolled
    assert statuses(html) == ["accepted", "not_image", "duplicate"]
    assert "same file is already enrolled for this pupil" in html
    (template,) = templates_of(app, pid)
    assert f"/admin/pupils/{pid}/photos/{template.id}.jpg" in html  # the face-crop thumbnail is shown
    assert len(template.encoding) == 128 * 8 and template.photo_sha256
    with app.app_context():
        db = get_db()
        assert [e.details for e in db.execute(select(AuditEvent).where(
            AuditEvent.action.in_(["pupil.photo_enrolled", "pupil.photo_refused"])).order_by(AuditEvent.id)).scalars()
        ] == [{"status": "accepted"}, {"status": "not_image"}, {"status": "duplicate"}]


def test_thumbnail_is_a_small_face_crop_not_the_photo(app, admin_session, enrolled):
    client, _ = admin_session
    _, pid = enrolled
    (template,) = templates_of(app, pid)
    res = client.get(f"/admin/pupils/{pid}/photos/{template.id}.jpg")
    assert res.status_code == 200 and res.headers["Cache-Control"] == "no-store"
    thumb = Image.open(io.BytesIO(res.data))
    assert thumb.format == "JPEG" and max(thumb.size) <= 128
    assert res.data != lfw(PERSON, 1)
    page = client.get(f"/admin/pupils/{pid}").get_data(as_text=True)
    assert f"/admin/pupils/{pid}/photos/{template.id}.jpg" in page and "Name and face" in page


def test_near_identical_photo_is_a_duplicate(app, admin_session, enrolled):
    client, csrf = admin_session
    _, pid = enrolled
    resaved = jpeg(Image.open(io.BytesIO(lfw(PERSON, 1))), quality=75)
    res = client.post(f"/admin/pupils/{pid}/photos", content_type="multipart/form-data",
                      data={"csrf_token": csrf, "photos": [(io.BytesIO(resaved), "resaved.jpg")]})
    assert statuses(res.get_data(as_text=True)) == ["duplicate"]
    assert "near-identical" in res.get_data(as_text=True)
    assert len(templates_of(app, pid)) == 1


def test_photos_that_cannot_be_enrolled_say_why(app, admin_session, enrolled):
    client, csrf = admin_session
    _, pid = enrolled
    face = Image.open(io.BytesIO(lfw(PERSON, 2)))
    photos = [("blank.png", blank_png()), ("small.jpg", jpeg(face.resize((70, 70)))),
              ("blurred.jpg", jpeg(face.filter(ImageFilter.GaussianBlur(4))))]
    res = client.post(f"/admin/pupils/{pid}/photos", content_type="multipart/form-data",
                      data={"csrf_token": csrf, "photos": [(io.BytesIO(c), n) for n, c in photos]})
    html = res.get_data(as_text=True)
    assert statuses(html) == ["no_face", "too_small", "blurred"]
    assert "No face was found" in html and "sharper" in html
    assert len(templates_of(app, pid)) == 1


def test_duplicate_of_another_pupils_photo_names_them(app, admin_session, enrolled):
    client, csrf = admin_session
    res = add_with_photos(client, csrf, [("wrong.jpg", lfw(PERSON, 1))], display_name="Other Child", reference="P2")
    html = res.get_data(as_text=True)
    assert statuses(html) == ["duplicate"] and "already enrolled for Aaron Pupil" in html
    assert templates_of(app, pupil_id(app, "P2")) == []


def test_several_faces_let_it_pick_the_pupil(app, admin_session, enrolled):
    client, csrf = admin_session
    _, pid = enrolled
    group = two_faces(lfw(STRANGER, 1), lfw(PERSON, 3))
    res = client.post(f"/admin/pupils/{pid}/photos", content_type="multipart/form-data",
                      data={"csrf_token": csrf, "photos": [(io.BytesIO(group), "group.jpg")]})
    html = res.get_data(as_text=True)
    assert statuses(html) == ["multiple_faces"] and res.headers["Cache-Control"] == "no-store"
    assert html.count('src="data:image/jpeg;base64,') == 2  # a thumbnail per candidate
    assert len(templates_of(app, pid)) == 1  # nothing stored yet, nor the photo
    photo = re.search(r'name="photo" value="([^"]+)"', html).group(1)
    assert base64.b64decode(photo) == group
    # The pupil's face is the one on the right half of the picture.
    boxes = [c.box for c in enrol_photo(group, services.policy(app)).candidates]
    right = next(i for i, box in enumerate(boxes) if box.left >= 250)
    res = client.post(f"/admin/pupils/{pid}/photos/choose", content_type="multipart/form-data",
                      data={"csrf_token": csrf, "photo": photo, "choose": str(right), "filename": "group.jpg"})
    assert statuses(res.get_data(as_text=True)) == ["accepted"]
    first, chosen = templates_of(app, pid)
    distance = np.linalg.norm(np.frombuffer(first.encoding) - np.frombuffer(chosen.encoding))
    assert distance < services.policy(app).face_match_threshold  # the same person


def test_another_photo_of_the_pupil_is_blocked(app, enrolled, staff_auth):
    client = app.test_client()
    answer = check(client, staff_auth, lfw(PERSON, 4))
    assert answer["verdict"] == "block"
    assert "no-publish-face" in {f["rule"] for f in answer["findings"]}
    assert "Aaron" not in json.dumps(answer)  # never names the pupil
    stranger = check(client, staff_auth, lfw(STRANGER, 2))
    assert "no-publish-face" not in {f["rule"] for f in stranger["findings"]}


def test_withdrawn_consent_deletes_faces_and_asks_for_manual_checks(app, admin_session, staff_auth):
    client, csrf = admin_session
    res = add_with_photos(client, csrf, [("s.jpg", lfw(STRANGER, 1))], display_name="Abdul Pupil", reference="P3")
    assert statuses(res.get_data(as_text=True)) == ["accepted"]
    pid = pupil_id(app, "P3")
    api = app.test_client()
    assert "no-publish-face" in {f["rule"] for f in check(api, staff_auth, lfw(STRANGER, 3))["findings"]}
    res = client.post(f"/admin/pupils/{pid}/edit", data=pupil_form(csrf, display_name="Abdul Pupil",
                                                                    reference="P3", consent_withdrawn="yes",
                                                                    confirm_delete_faces="yes"))
    assert res.status_code == 302
    assert templates_of(app, pid) == []  # deleted at once, in the database
    answer = check(api, staff_auth, lfw(STRANGER, 3))
    rules = {f["rule"] for f in answer["findings"]}
    assert "no-publish-face" not in rules and "name-only-pupil-face" in rules  # a check by eye
    assert "possible-no-publish-face" not in rules  # never called "close to a listed pupil"
    # The name still blocks in text.
    text = api.post("/api/v1/check", headers=staff_auth, json={
        "text": "Well done Abdul Pupil!", "platform": "x", "account_type": "school", "audience": "public"})
    assert "no-publish-name" in {f["rule"] for f in text.get_json()["findings"]}
    # Removing the entry ends the manual confirmations.
    client.post(f"/admin/pupils/{pid}/remove", data={"csrf_token": csrf, "confirm": "yes"})
    with app.app_context():
        assert get_db().execute(select(func.count()).select_from(Pupil).where(Pupil.id == pid)).scalar_one() == 0
    answer = check(api, staff_auth, lfw(STRANGER, 3))
    assert "possible-no-publish-face" not in {f["rule"] for f in answer["findings"]}
