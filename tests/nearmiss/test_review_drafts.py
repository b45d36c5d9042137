"""Checks of one draft as it is typed share a near-miss record (client_draft_id); schema upgrade."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, select, text

from server.db import session_factory
from server.models import Check
from server import services
from tests.support.helpers import draft

MENTION = "Proud of our Year 9s at King James's today"
PHONE = " ring me on 07700 900123"


def rows(app) -> list[Check]:
    with session_factory(app)() as db:
        return list(db.execute(select(Check).order_by(Check.created_at)).scalars())


def check(client, auth, text, draft_id=None):
    body = draft(text, client_draft_id=draft_id) if draft_id else draft(text)
    res = client.post("/api/v1/check", json=body, headers=auth)
    assert res.status_code == 200
    return res.json


def test_without_a_draft_id_every_near_miss_is_a_record(app, client, auth):
    first = check(client, auth, MENTION)["check_id"]
    second = check(client, auth, MENTION + "!")["check_id"]
    assert first != second and len(rows(app)) == 2


def test_typing_on_with_the_same_findings_updates_one_record(app, client, auth):
    first = check(client, auth, MENTION, "d-1")["check_id"]
    again = check(client, auth, MENTION + " with the whole team!", "d-1")["check_id"]
    assert again == first
    [row] = rows(app)
    assert "whole team" in row.excerpt and row.outcome is None
    assert row.draft_key and "d-1" not in row.draft_key  # a hash, never the client's id


def test_a_change_in_rules_closes_the_record_as_edited_and_opens_another(app, client, auth):
    first = check(client, auth, MENTION, "d-2")["check_id"]
    second = check(client, auth, MENTION + PHONE, "d-2")
    if "personal-contact" not in {f["rule"] for f in second["findings"]}:
        pytest.skip("personal-contact has not landed in text_checks yet")
    assert second["check_id"] != first
    old, new = rows(app)
    assert (old.id, old.outcome) == (first, "edited") and new.id == second["check_id"] and new.outcome is None
    assert "07700" not in new.excerpt
    # A disclaimer clears missing-disclaimer but the phone stays: the rules changed again.
    check(client, auth, MENTION + PHONE + " Views my own.", "d-2")
    assert [r.outcome for r in rows(app)] == ["edited", "edited", None]


def test_a_clean_check_closes_the_draft_as_edited(app, client, auth):
    first = check(client, auth, MENTION, "d-3")["check_id"]
    clean = check(client, auth, MENTION + " Views my own.", "d-3")
    assert clean["verdict"] == "pass"
    [row] = rows(app)
    assert row.id == first and row.outcome == "edited" and row.outcome_at is not None


def test_a_reported_outcome_ends_the_draft(app, client, auth):
    first = check(client, auth, MENTION, "d-4")["check_id"]
    res = client.post(f"/api/v1/checks/{first}/outcome", json={"action": "posted", "override_reason": "in bio"},
                      headers=auth)
    assert res.status_code == 200
    second = check(client, auth, MENTION, "d-4")["check_id"]
    assert second != first
    assert [r.outcome for r in rows(app)] == ["posted", None]


def test_draft_ids_are_per_member_of_staff(app, client, auth, make_staff):
    _, other = make_staff("other")
    mine = check(client, auth, MENTION, "same-id")["check_id"]
    theirs = client.post("/api/v1/check", json=draft(MENTION, client_draft_id="same-id"),
                         headers={"Authorization": f"Bearer {other}"}).json["check_id"]
    assert mine != theirs and len(rows(app)) == 2


def test_init_db_adds_the_draft_key_column_to_an_older_database(tmp_path):
    """A database made before draft_key existed gets the column and its index, once."""
    from server import create_app
    from server.db import init_db
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url})
    with app.app_context():
        init_db()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_checks_draft_key"))
        conn.execute(text("ALTER TABLE checks DROP COLUMN draft_key"))
        conn.execute(text("DROP TABLE alembic_version"))  # made before migrations existed
    assert "draft_key" not in {c["name"] for c in inspect(engine).get_columns("checks")}
    with app.app_context():
        init_db()
        init_db()  # idempotent
    inspector = inspect(engine)
    assert "draft_key" in {c["name"] for c in inspector.get_columns("checks")}
    assert "ix_checks_draft_key" in {i["name"] for i in inspector.get_indexes("checks")}
    engine.dispose()
    services.engine(app).dispose()
