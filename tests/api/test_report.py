""""This is wrong": staff report a false alarm or ask for an exception about their own check with one
tap; it lands in the Director of IT's queue, who answers; nothing of the draft is stored."""
from __future__ import annotations

from sqlalchemy import select

from server.db import session_factory
from server.models import AuditEvent
from tests.support.pupil_fixtures import login

DRAFT = {"text": "The ref was a useless idiot, ring me on 07700 900123", "platform": "x",
         "account_type": "personal", "audience": "public"}


def test_a_false_alarm_reaches_the_queue_and_is_answered(app, client, make_staff):
    _, token = make_staff("teacher")
    auth = {"Authorization": f"Bearer {token}"}
    check = client.post("/api/v1/check", headers=auth, json=DRAFT).get_json()
    res = client.post(f"/api/v1/checks/{check['check_id']}/report", headers=auth,
                      json={"kind": "false_alarm", "reason": "Quoting a pupil's essay; call 07700 900123"})
    assert res.status_code == 200 and res.get_json() == {"check_id": check["check_id"], "kind": "false_alarm",
                                                         "status": "sent"}
    with app.app_context(), session_factory()() as db:
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "report.false_alarm")).scalar_one()
    assert event.actor == "teacher" and event.target == check["check_id"]
    assert "07700" not in str(event.details) and "useless" not in str(event.details)  # redacted, no draft
    assert "derogatory" in event.details["rules"]

    make_staff("director", "admin")
    csrf = login(client, "director", "pw-director")
    queue = client.get("/admin/reports").get_data(as_text=True)
    assert "teacher: a false alarm" in queue and "Offensive language" in queue and "Send the answer" in queue
    done = client.post(f"/admin/reports/{event.id}/answer", data={
        "csrf_token": csrf, "decision": "disagree", "answer": "The words are still offensive out of context."},
        follow_redirects=True).get_data(as_text=True)
    assert "Answered teacher&#39;s report." in done and "The finding stands" in done
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "<strong>teacher</strong> reported a false alarm on a near-miss" in audit_page


def test_the_answer_reaches_the_member_of_staff_with_their_check(app, client, make_staff):
    """GET /checks/mine carries each report and the Director's decision and reply, never a listed
    pupil's name (the Director may write one) and never who else was involved."""
    from server.nopublish import records
    with app.app_context(), session_factory()() as db:
        records.add_pupil(db, "it", records.validate_fields({"display_name": "Samantha Quill", "reference": "Q1",
                                                            "reason": "no-consent", "review_by": "2031-07-31"}))
        db.commit()
    _, token = make_staff("teacher")
    auth = {"Authorization": f"Bearer {token}"}
    check = client.post("/api/v1/check", headers=auth, json=DRAFT).get_json()
    client.post(f"/api/v1/checks/{check['check_id']}/report", headers=auth, json={"kind": "exception"})
    (item,) = client.get("/api/v1/checks/mine", headers=auth).get_json()["items"]
    (report,) = item["reports"]
    assert report["kind"] == "exception" and report["answer"] is None and report["reported_at"].endswith("+00:00")

    with app.app_context(), session_factory()() as db:
        event_id = db.execute(select(AuditEvent.id).where(AuditEvent.action == "report.exception")).scalar_one()
    make_staff("director", "admin")
    director = app.test_client()
    csrf = login(director, "director", "pw-director")
    director.post(f"/admin/reports/{event_id}/answer", data={
        "csrf_token": csrf, "decision": "exception",
        "answer": "Fine this once; it was not Samantha Quill in the photo."})
    (item,) = client.get("/api/v1/checks/mine", headers=auth).get_json()["items"]
    answer = item["reports"][0]["answer"]
    assert answer["decision"] == "exception" and answer["decision_words"] == "Exception granted"
    assert answer["text"] == "Fine this once; it was not [a pupil] in the photo."
    assert answer["answered_at"].endswith("+00:00") and "director" not in str(item["reports"])
    _, other = make_staff("other")
    assert client.get("/api/v1/checks/mine", headers={"Authorization": f"Bearer {other}"}).get_json()["items"] == []


def test_only_ones_own_checks_and_known_kinds(app, client, make_staff):
    _, mine = make_staff("teacher")
    _, other = make_staff("other")
    check = client.post("/api/v1/check", headers={"Authorization": f"Bearer {mine}"}, json=DRAFT).get_json()
    url = f"/api/v1/checks/{check['check_id']}/report"
    res = client.post(url, headers={"Authorization": f"Bearer {other}"}, json={"kind": "exception"})
    assert res.status_code == 404 and res.get_json()["error"]["code"]
    bad = client.post(url, headers={"Authorization": f"Bearer {mine}"}, json={"kind": "delete-the-rule"})
    assert bad.status_code == 422
    assert client.post(url, json={"kind": "exception"}).status_code == 401
