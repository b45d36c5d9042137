"""no-publish-face: a listed pupil's face in a photo from a school account blocks it."""
from __future__ import annotations

import io
import json

import pytest

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images
from image_checks.index import NoPublishIndex
from tests.support.helpers import draft as draft_body
from tests.support.helpers import make_test_app
from tests.support.image_synth import enrolled_people, group_photo, index_rows, list_pupil, other_photos, strangers

SCHOOL = Draft(text="Sports day!", account_type="school", account_handle="@KJSSport")


@pytest.fixture(scope="module")
def policy():
    return default_policy()


@pytest.fixture(scope="module")
def people():
    return enrolled_people(3)


@pytest.fixture(scope="module")
def index(policy, people):
    return NoPublishIndex.from_rows(index_rows(people, policy))


def rules_found(findings, rule="no-publish-face"):
    return [f for f in findings if f.rule == rule]


def test_enrolled_peoples_other_photos_are_blocked(policy, people, index):
    for name in people:
        for photo in other_photos(name)[:2]:
            findings = check_images([ImageInput(0, photo.read_bytes())], SCHOOL, policy, index)
            hits = rules_found(findings)
            assert len(hits) == 1, (photo.name, [(f.rule, f.explanation) for f in findings])
            f = hits[0]
            assert f.severity == "block" and f.clause.ref == "2.8"
            box = f.image.box
            assert f.image.index == 0 and 0 <= box.left < box.right <= 250 and 0 <= box.top < box.bottom <= 250


def test_pupils_enrolled_before_the_arcface_network_are_still_blocked(policy, people):
    """dlib-only templates (a database from before the ArcFace network): the same photos block,
    scored by dlib's network on the same scale, and strangers still pass."""
    legacy = NoPublishIndex.from_rows(index_rows(people, policy, arcface=False))
    assert legacy.needs_dlib
    for name in people:
        photo = other_photos(name)[0]
        hits = rules_found(check_images([ImageInput(0, photo.read_bytes())], SCHOOL, policy, legacy))
        assert len(hits) == 1, photo.name
    for photo in strangers(6):
        findings = check_images([ImageInput(0, photo.read_bytes())], SCHOOL, policy, legacy)
        assert not [f for f in findings if f.rule.endswith("no-publish-face")], photo.name


def test_strangers_are_not_flagged(policy, index):
    for photo in strangers(6):
        findings = check_images([ImageInput(0, photo.read_bytes())], SCHOOL, policy, index)
        assert not [f for f in findings if f.rule.endswith("no-publish-face")], photo.name


def test_finding_never_identifies_the_pupil(policy, people, index):
    photo = other_photos(people[0])[0]
    f = rules_found(check_images([ImageInput(0, photo.read_bytes())], SCHOOL, policy, index))[0]
    text = f"{f.message} {f.suggestion} {f.explanation} {f.fix}"
    for part in people[0].split("_"):
        assert part not in text
    assert set(f.explanation) <= {"distance_band", "kind"}
    assert f.explanation["distance_band"][0].isdigit()


def test_not_applied_on_personal_accounts(policy, people, index):
    photo = other_photos(people[0])[0]
    findings = check_images([ImageInput(0, photo.read_bytes())], Draft(text="x", account_type="personal"),
                            policy, index)
    assert not rules_found(findings)
    assert rules_found(findings, "pupil-image-personal-account")


def test_rule_can_be_switched_off(policy, people, index):
    from dataclasses import replace
    off = replace(policy, rule_switches={"no-publish-face": {"enabled": False}})
    photo = other_photos(people[0])[0]
    assert not rules_found(check_images([ImageInput(0, photo.read_bytes())], SCHOOL, off, index))


def test_listed_face_in_a_synthetic_class_photo(policy, people, index):
    """30 faces of ~40 px on a 3000x2000 canvas; only the enrolled person's is blocked, at its box."""
    crowd = strangers(40)[:29]
    target = other_photos(people[1])[0]
    sources = crowd[:17] + [target] + crowd[17:]
    photo = group_photo(sources, size=(3000, 2000), face_px=40, seed=7)
    findings = check_images([ImageInput(2, photo.jpeg())], SCHOOL, policy, index)
    hits = rules_found(findings)
    assert len(hits) == 1, [(f.rule, f.image) for f in findings]
    t, r, b, l = photo.truth[17]
    box = hits[0].image.box
    assert hits[0].image.index == 2
    cy, cx = (box.top + box.bottom) / 2, (box.left + box.right) / 2
    assert t <= cy <= b and l <= cx <= r


@pytest.fixture(scope="module")
def api(tmp_path_factory, policy, people):
    """A SQLite app with one listed pupil (templates as enrolled above), and a staff token."""
    from server.staff import create_staff

    app, cleanup = make_test_app(tmp_path_factory.mktemp("nopublish_face"), "sqlite")
    with app.app_context():
        _, token, _ = create_staff("teacher", "staff")
    entry_id = str(list_pupil(app, people[0], policy))
    yield app, {"Authorization": f"Bearer {token}"}, entry_id
    cleanup()


def post(app, auth, data: bytes, account_type="school"):
    body = {"draft": json.dumps(draft_body("Sports day", account_type=account_type, account_handle="@KJSSport")),
            "images": (io.BytesIO(data), "photo.jpg")}
    return app.test_client().post("/api/v1/check", data=body, headers=auth, content_type="multipart/form-data")


def test_through_the_api_and_after_removal(api, people):
    app, auth, entry_id = api
    photo = other_photos(people[0])[0].read_bytes()
    res = post(app, auth, photo)
    assert res.status_code == 200 and res.json["verdict"] == "block"
    finding = res.json["findings"][0]
    assert finding["rule"] == "no-publish-face" and finding["image"]["index"] == 0
    assert "Listed" not in json.dumps(res.json) and "Pupil" not in json.dumps(res.json)
    # the log keeps the rule, the box and a distance band, never who it was
    from server.models import Check
    from server.db import session_factory
    with app.app_context(), session_factory(app)() as db:
        logged = db.get(Check, res.json["check_id"])
        assert logged.findings[0]["rule"] == "no-publish-face"
        assert "pupil" not in json.dumps(logged.findings).lower()
        assert len(logged.images[0]["sha256"]) == 64
    # removing the entry rebuilds the index: the same photo now passes
    removed = app.test_cli_runner().invoke(args=["nopublish", "remove", entry_id])
    assert removed.exit_code == 0, removed.output
    res = post(app, auth, photo)
    assert res.json["verdict"] == "pass", res.json
