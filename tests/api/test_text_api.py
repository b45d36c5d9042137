"""A few text rules end to end through POST /api/v1/check: spans in UTF-16, no names, fixes."""
from __future__ import annotations

from server import services
from tests.support.helpers import draft


def test_several_rules_one_answer_most_severe_first(client, auth):
    text = "🎉 Jack in 9B was excluded again at King James's, call me on 07911 123456"
    res = client.post("/api/v1/check", json=draft(text), headers=auth).json
    rules = [f["rule"] for f in res["findings"]]
    assert res["verdict"] == "block"
    assert rules[0] == "sensitive-pupil-info"
    assert {"personal-contact", "missing-disclaimer"} <= set(rules)
    phone = next(f for f in res["findings"] if f["rule"] == "personal-contact")
    start = text.index("07911") + 1  # one astral emoji = one extra UTF-16 unit
    assert phone["span"] == {"start": start, "end": start + len("07911 123456")}
    fix = next(f for f in res["findings"] if f["rule"] == "missing-disclaimer")["fix"]
    assert fix["kind"] == "append" and "Views my own" in fix["text"]


def test_clean_school_post_passes(client, auth):
    text = "Dick Whittington panto tonight! Well done to our U14s in Scunthorpe."
    res = client.post("/api/v1/check", json=draft(text, account_type="school"), headers=auth).json
    assert res["verdict"] == "pass" and res["findings"] == []


def test_no_publish_name_from_the_database_blocks_without_naming(app, client, auth):
    from sqlalchemy import select

    from server.db import get_db
    from server.nopublish.state import bump_version
    from server.models import Check, Pupil

    with app.app_context():
        db = get_db()
        db.add(Pupil(display_name="Samantha Jones", reason="no-consent"))
        bump_version(db)
        db.commit()
    services.nopublish(app).invalidate()
    text = "Go Sam Jones! 🏑 Brilliant hockey today."
    res = client.post("/api/v1/check", json=draft(text, account_type="school"), headers=auth).json
    [finding] = res["findings"]
    assert finding["rule"] == "no-publish-name" and res["verdict"] == "block"
    assert finding["span"] == {"start": 3, "end": 12}
    assert "Samantha" not in str(res) and "Sam Jones" not in str(res)
    with app.app_context():
        row = get_db().execute(select(Check)).scalar_one()
    assert "Sam Jones" not in row.excerpt and "[no-publish name]" in row.excerpt
