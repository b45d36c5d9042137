"""No membership oracle: a member of staff cannot learn who is on the no-publish list by probing.

What a probe may learn is the finding itself ("this face/name is on the list": that is the
product). What it must not learn: which pupil (no name, reference, year or id in the answer, the
same wording for every pupil), anything from the answer's shape, or anything from the work done
(the list is consulted the same way for a match and a non-match). Every probe that hits the list
is logged with who sent it, and probing at speed is rate-limited. Timing is measured, not
asserted, by bench/oracle_timing.py.
"""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from image_checks.index import NoPublishIndex
from server.staff import create_staff
from server.db import get_db
from server.models import Check, Pupil, Staff
from tests.support.helpers import draft, make_test_app
from tests.support.pupil_fixtures import lfw, login, pupil_form

PERSON = "Aaron_Peirsol"  # enrolled as a pupil from photo 1; photo 2 is the probe
STRANGER = "Abdullah"
PUPILS = [("Jordan Example", "A100", "Year 7"), ("Riley Sample", "B200", "Year 10")]
SECRETS = ["Jordan", "Example", "Riley", "Sample", "A100", "B200", "Year 7", "Year 10", PERSON, "Aaron"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app, cleanup = make_test_app(tmp_path_factory.mktemp("oracle"), "sqlite")
    with app.app_context():
        create_staff("it", "admin", password="pw-it")
        _, token, _ = create_staff("prober", "staff")
    client = app.test_client()
    csrf = login(client, "it")
    for i, (name, ref, year) in enumerate(PUPILS):
        data = pupil_form(csrf, display_name=name, reference=ref, year_group=year)
        if i == 0:
            data["photos"] = [(io.BytesIO(lfw(PERSON, 1)), "enrol.jpg")]
        res = client.post("/admin/pupils/new", data=data, content_type="multipart/form-data")
        assert res.status_code in (201, 302), res.get_data(as_text=True)[:300]
    with app.app_context():
        ids = [str(i) for i in get_db().execute(select(Pupil.id)).scalars()]
    yield {"app": app, "token": token, "auth": {"Authorization": f"Bearer {token}"}, "pupil_ids": ids}
    cleanup()


def probe_text(world, text, account_type="school"):
    res = world["app"].test_client().post("/api/v1/check", headers=world["auth"],
                                          json=draft(text, account_type=account_type, account_handle="@kjs_sport"))
    assert res.status_code == 200, res.get_data(as_text=True)
    return res


def probe_photo(world, photo: bytes, account_type="school"):
    body = draft("Great day at sports day!", account_type=account_type, account_handle="@kjs_sport")
    boundary, payload = encode_multipart(MultiDict([("draft", json.dumps(body)),
                                                    ("images", FileStorage(io.BytesIO(photo), filename="p.jpg"))]))
    res = world["app"].test_client().post("/api/v1/check", headers=world["auth"], data=payload,
                                          content_type=f"multipart/form-data; boundary={boundary}")
    assert res.status_code == 200, res.get_data(as_text=True)
    return res


def assert_no_identity(res, world):
    body = res.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in body, secret
    for finding in res.json["findings"]:
        flat = json.dumps({k: v for k, v in finding.items() if k not in ("span", "image")})
        for pid in world["pupil_ids"]:
            assert f'"{pid}"' not in flat and f": {pid}," not in flat


def shape(res) -> dict:
    """The answer without what differs on every call (id, time) and without the findings' content."""
    body = dict(res.json)
    body.pop("check_id"), body.pop("elapsed_ms")
    body["findings"] = sorted(tuple(sorted(f)) for f in body["findings"])
    return {"status": res.status_code, "headers": sorted(h for h in res.headers.keys()
                                                         if not h.startswith("X-RateLimit")), "body": body}


def only_list_findings(res, rules=("no-publish-name", "no-publish-face", "possible-no-publish-face")):
    return [f for f in res.json["findings"] if f["rule"] in rules]


def test_name_probe_reveals_no_identity(world):
    hit = probe_text(world, "Well done Jordan Example on the win today!")
    miss = probe_text(world, "Well done Morgan Brook on the win today!")
    (finding,) = only_list_findings(hit)
    assert finding["rule"] == "no-publish-name" and finding["span"] == {"start": 10, "end": 24}
    assert not only_list_findings(miss)
    assert_no_identity(hit, world)
    assert set(hit.json) == set(miss.json)
    assert [f for f in hit.json["findings"] if f["rule"] != "no-publish-name"] == miss.json["findings"]


def test_every_pupil_gets_the_same_words(world):
    """Two different listed pupils: findings identical but for where the name is."""
    a = only_list_findings(probe_text(world, "Well done Jordan Example!"))[0]
    b = only_list_findings(probe_text(world, "Well done Riley Sample!"))[0]
    assert {k: v for k, v in a.items() if k != "span"} == {k: v for k, v in b.items() if k != "span"}


def test_face_probe_reveals_no_identity(world):
    from image_checks.rules.faces import NoPublishFace, PossibleNoPublishFace
    hit = probe_photo(world, lfw(PERSON, 2))
    miss = probe_photo(world, lfw(STRANGER))
    (finding,) = only_list_findings(hit)
    rule = {r.id: r for r in (NoPublishFace, PossibleNoPublishFace)}[finding["rule"]]
    assert finding["message"] == rule.message and finding["suggestion"] == rule.suggestion
    assert set(finding["image"]["box"]) == {"top", "right", "bottom", "left"}
    assert not only_list_findings(miss)
    assert_no_identity(hit, world)
    assert set(hit.json) == set(miss.json)


def test_personal_account_answers_are_identical_for_pupil_and_stranger(world):
    """From a personal account any face is refused: the answer does not depend on who it is."""
    hit = probe_photo(world, lfw(PERSON, 2), account_type="personal")
    miss = probe_photo(world, lfw(STRANGER), account_type="personal")
    strip = lambda r: [{k: v for k, v in f.items() if k != "image"} for f in r.json["findings"]]  # noqa: E731
    assert strip(hit) == strip(miss) and hit.json["verdict"] == miss.json["verdict"]
    assert shape(hit) == shape(miss)


def test_list_is_consulted_the_same_way_for_hits_and_misses(world, monkeypatch):
    calls = []
    real = NoPublishIndex.nearest

    def spy(self, arc_encodings=None, dlib_encodings=None, sface_encodings=None):
        given = [e for e in (sface_encodings, arc_encodings, dlib_encodings) if e is not None]
        calls.append([len(e) for e in given])
        return real(self, arc_encodings, dlib_encodings, sface_encodings)

    monkeypatch.setattr(NoPublishIndex, "nearest", spy)
    probe_photo(world, lfw(PERSON, 2))
    probe_photo(world, lfw(STRANGER))
    assert calls[0] == calls[1] and calls[0][0] == 1  # one face each, the same networks, the whole list

    from text_checks.names import NoPublishNames
    found = []
    real_find = NoPublishNames.find
    monkeypatch.setattr(NoPublishNames, "find", lambda self, text: found.append(text) or real_find(self, text))
    probe_text(world, "Well done Jordan Example!")
    probe_text(world, "Well done Morgan Brook!")
    assert len(found) == 2


def test_every_hit_is_logged_with_who_sent_it(world):
    res = probe_photo(world, lfw(PERSON, 2))
    text = probe_text(world, "Lovely work by Riley Sample")
    with world["app"].app_context():
        db = get_db()
        prober = db.execute(select(Staff).where(Staff.name == "prober")).scalar_one()
        for answer, rule in ((res, only_list_findings(res)[0]["rule"]), (text, "no-publish-name")):
            row = db.get(Check, answer.json["check_id"])
            assert row is not None and row.staff_id == prober.id
            assert f" {rule} " in row.rules
            assert "Riley" not in (row.excerpt or "")  # the log is redacted too


def test_probing_at_speed_is_rate_limited(world):
    app = world["app"]
    app.config["RATE_LIMIT"] = "3/minute"
    try:
        with app.app_context():
            _, token, _ = create_staff("fast-prober", "staff")
        client = app.test_client()
        codes = [client.post("/api/v1/check", json=draft(f"Well done {name}!"),
                             headers={"Authorization": f"Bearer {token}"}).status_code
                 for name in ("Jordan Example", "Morgan Brook", "Riley Sample", "Sam Other", "Jo Bloggs")]
        assert codes == [200, 200, 200, 429, 429]
    finally:
        app.config["RATE_LIMIT"] = "100000/minute"


def test_without_a_token_every_probe_gets_the_same_refusal(world):
    client = world["app"].test_client()
    a = client.post("/api/v1/check", json=draft("Well done Jordan Example!"))
    b = client.post("/api/v1/check", json=draft("Well done Morgan Brook!"))
    assert a.status_code == b.status_code == 401 and a.json == b.json


def test_probes_in_one_draft_are_each_logged(world):
    """Checks of one draft share a log record while it is typed; a different photo is a new probe.

    Without this, a member of staff could send photo after photo under one client_draft_id and the
    log would keep only the last one.
    """
    draft_id = "probe-draft-1"
    hit = lfw(PERSON, 2)
    hit_again = lfw(PERSON, 3)
    ids = []
    for photo in (hit, hit, hit_again):
        body = draft("Great day at sports day!", account_type="school", account_handle="@kjs_sport",
                     client_draft_id=draft_id)
        boundary, payload = encode_multipart(MultiDict([("draft", json.dumps(body)),
                                                        ("images", FileStorage(io.BytesIO(photo), filename="p.jpg"))]))
        res = world["app"].test_client().post("/api/v1/check", headers=world["auth"], data=payload,
                                              content_type=f"multipart/form-data; boundary={boundary}")
        assert res.status_code == 200 and only_list_findings(res)
        ids.append(res.json["check_id"])
    assert ids[0] == ids[1]  # the same photo while typing: one record
    assert ids[2] != ids[1]  # another photo: its own record
    with world["app"].app_context():
        db = get_db()
        shas = [db.get(Check, i).images[0]["sha256"] for i in (ids[0], ids[2])]
    assert shas[0] != shas[1]


def test_my_checks_show_no_identity_either(world):
    """GET /api/v1/checks/mine lists the prober's own near-misses: redacted, no pupil named."""
    probe_text(world, "Well done Jordan Example and Riley Sample!")
    probe_photo(world, lfw(PERSON, 2))
    res = world["app"].test_client().get("/api/v1/checks/mine", headers=world["auth"])
    assert res.status_code == 200
    body = res.get_data(as_text=True)
    assert "no-publish-name" in body  # the near-misses are there...
    for secret in SECRETS:
        assert secret not in body, secret  # ...but not whom they were about
