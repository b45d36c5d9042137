"""Enrolment cross-check: a face far from the pupil's enrolled faces needs an explicit yes;
"neither of these faces" exists; removing a face asks first; every step is audited."""
from __future__ import annotations

import re

from sqlalchemy import select

from server.db import get_db
from server.models import AuditEvent
from tests.nopublish.test_admin_pupils_faces import (  # noqa: F401  (app, admin_session: that module's fixtures)
    add_with_photos,
    admin_session,
    app,
    pupil_id,
    statuses,
    templates_of,
)
from tests.support.pupil_fixtures import lfw, two_faces

PERSON = "Aaron_Peirsol"
SOMEONE_ELSE = "Abdullah"


def refusals(app, pid):
    with app.app_context():
        return [e.details.get("status") for e in get_db().execute(
            select(AuditEvent).where(AuditEvent.target == f"pupil:{pid}", AuditEvent.action == "pupil.photo_refused")
            .order_by(AuditEvent.id)).scalars()]


def test_a_face_far_from_the_pupils_own_needs_an_explicit_yes(app, admin_session):
    client, csrf = admin_session
    res = add_with_photos(client, csrf, [("a.jpg", lfw(PERSON, 1))], display_name="Aaron Pupil", reference="X1")
    pid = pupil_id(app, "X1")
    assert statuses(res.get_data(as_text=True)) == ["accepted"]
    # the same person again is close: accepted at once
    same = client.post(f"/admin/pupils/{pid}/photos", content_type="multipart/form-data",
                       data={"csrf_token": csrf, "photos": [(__import__("io").BytesIO(lfw(PERSON, 2)), "b.jpg")]})
    assert statuses(same.get_data(as_text=True)) == ["accepted"]
    # someone else's face is far: not kept until IT says yes
    other = client.post(f"/admin/pupils/{pid}/photos", content_type="multipart/form-data",
                        data={"csrf_token": csrf, "photos": [(__import__("io").BytesIO(lfw(SOMEONE_ELSE, 1)), "c.jpg")]})
    html = other.get_data(as_text=True)
    assert statuses(html) == ["far_from_others"] and "does not look like Aaron Pupil" in html
    assert len(templates_of(app, pid)) == 2 and refusals(app, pid)[-1] == "far_from_others"
    assert 'name="confirm_far" value="yes"' in html and "No, do not enrol it" in html
    photo = re.search(r'name="photo" value="([^"]+)"', html).group(1)
    yes = client.post(f"/admin/pupils/{pid}/photos/choose", data={
        "csrf_token": csrf, "choose": "0", "filename": "c.jpg", "photo": photo, "confirm_far": "yes"})
    assert statuses(yes.get_data(as_text=True)) == ["accepted"] and len(templates_of(app, pid)) == 3


def test_neither_of_these_faces_keeps_nothing_and_is_audited(app, admin_session):
    client, csrf = admin_session
    add_with_photos(client, csrf, [], display_name="Nora Neither", reference="X2")
    pid = pupil_id(app, "X2")
    res = client.post(f"/admin/pupils/{pid}/photos", content_type="multipart/form-data",
                      data={"csrf_token": csrf, "photos": [(__import__("io").BytesIO(two_faces(lfw(PERSON, 3), lfw(SOMEONE_ELSE, 2))), "two.jpg")]})
    html = res.get_data(as_text=True)
    assert statuses(html) == ["multiple_faces"] and "Neither of these faces" in html
    done = client.post(f"/admin/pupils/{pid}/photos/neither", data={"csrf_token": csrf, "filename": "two.jpg"},
                       follow_redirects=True)
    assert "none of its faces was Nora Neither" in done.get_data(as_text=True)
    assert templates_of(app, pid) == [] and refusals(app, pid)[-1] == "none_of_these_faces"


def test_removing_a_face_asks_first(app, admin_session):
    client, csrf = admin_session
    pid = pupil_id(app, "X1")
    template = templates_of(app, pid)[-1]
    ask = client.post(f"/admin/pupils/{pid}/photos/{template.id}/delete", data={"csrf_token": csrf})
    assert ask.status_code == 200 and "cannot be restored" in ask.get_data(as_text=True)
    assert len(templates_of(app, pid)) == 3  # nothing removed yet
    client.post(f"/admin/pupils/{pid}/photos/{template.id}/delete", data={"csrf_token": csrf, "confirm": "yes"})
    assert len(templates_of(app, pid)) == 2
    with app.app_context():
        assert get_db().execute(select(AuditEvent).where(AuditEvent.action == "pupil.photo_removed",
                                                         AuditEvent.target == f"pupil:{pid}")).scalars().all()
