"""The near-miss excerpt keeps only neutral words around a finding (server/nearmiss/excerpt.py).

Each draft puts health, family and home details right next to what a real rule catches; whatever
rule fired, the stored excerpt, the reviewer's page, the CSV and GET /api/v1/checks/mine carry the
rule's category and neutral words only.
"""
from __future__ import annotations

import hashlib
import re
from importlib import resources

import pytest
from sqlalchemy import select

from checks_common import Clause, Finding
from server import services
from server.db import session_factory
from server.nopublish.state import bump_version
from server.nearmiss.excerpt import PLACEHOLDER, is_neutral, neutral_words
from server.models import Check, Pupil
from server.nearmiss.redaction import redacted_excerpt, redacted_text
from tests.support.excerpt_cases import DRAFTS
from tests.support.helpers import draft
from tests.support.pupil_fixtures import login

@pytest.fixture
def listed(app):
    with session_factory(app)() as db:
        db.add(Pupil(display_name="Samantha Jones", reference="P1"))
        bump_version(db)
        db.commit()
    services.nopublish(app)._checked_at = 0.0


def test_vocabulary_file_matches_its_recorded_hash():
    text = resources.files("server.nearmiss").joinpath("data/neutral_words.txt").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("# words:")][0]
    words = [line for line in text.splitlines() if line and not line.startswith("#")]
    body = "\n".join(words) + "\n"
    assert f"sha256-of-words: {hashlib.sha256(body.encode()).hexdigest()}" in header
    assert f"words: {len(words)} " in header and len(neutral_words()) == len(words) > 2000


@pytest.mark.parametrize("word", ["remission", "cancer", "mum", "dad", "prison", "divorce", "autism", "march",
                                  "monday", "harrogate", "london", "jack", "ella", "three", "muslim", "foster",
                                  "street", "hospital", "abuse", "pregnant", "funeral", "nan", "grace"])
def test_sensitive_and_identifying_words_are_not_in_the_vocabulary(word):
    assert word not in neutral_words()
    assert not is_neutral(word, sentence_start=True)


@pytest.mark.parametrize("word", ["well", "done", "the", "team", "school", "today", "proud", "post", "strike"])
def test_common_words_are_kept(word):
    assert is_neutral(word, sentence_start=False)


def test_capitals_inside_a_sentence_are_masked_even_for_neutral_words():
    assert redacted_text("Well done Hope and Brown for winning", []) == f"Well done {PLACEHOLDER} and {PLACEHOLDER} for winning"
    assert redacted_text("I'm proud. Well done", []) == "I'm proud. Well done"


def test_quotes_are_never_kept_whole_and_numbers_go():
    excerpt = redacted_text('She said "well done to the whole team" on 12/03 at 9am', [])
    assert excerpt == f'She said "{PLACEHOLDER}" on {PLACEHOLDER} at {PLACEHOLDER}'


def test_a_kept_rule_cannot_keep_a_name_around_it():
    text = "Ella Brown (Y9, cystic fibrosis) loved King James's sports day"
    at = text.index("King James's")
    f = Finding("missing-disclaimer", "warn", "", "", Clause("1", "", ""), span=(at, at + 12))
    excerpt = redacted_excerpt(text, [f])
    for secret in ("Ella", "Brown", "Y9", "cystic", "fibrosis", "King"):
        assert secret not in excerpt
    assert excerpt.endswith("sports day")


def stored_excerpts(app) -> list[str]:
    with session_factory(app)() as db:
        return [c.excerpt or "" for c in db.execute(select(Check)).scalars()]


def test_details_next_to_caught_content_never_reach_a_reviewer(app, client, auth, make_staff, listed):
    for text, _, _ in DRAFTS:
        res = client.post("/api/v1/check", json=draft(text), headers=auth)
        assert res.status_code == 200 and res.json["findings"], text
    excerpts = stored_excerpts(app)
    assert len(excerpts) == len(DRAFTS)
    for _, secrets, shown in DRAFTS:
        assert any(shown in e for e in excerpts), shown
        for secret in secrets:
            assert not any(re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", e, re.I) for e in excerpts), secret
    mine = client.get("/api/v1/checks/mine", headers=auth).get_data(as_text=True)
    make_staff("rev", "reviewer")
    login(client, "rev")
    pages = [mine, client.get("/admin/review").get_data(as_text=True),
             client.get("/admin/review/export.csv").get_data(as_text=True)]
    with session_factory(app)() as db:
        ids = [c.id for c in db.execute(select(Check)).scalars()]
    pages += [client.get(f"/admin/review/{i}").get_data(as_text=True) for i in ids]
    seen = "\n".join(pages)
    assert all(e.replace('"', "&#34;") in seen or e in seen for e in excerpts if e)
    for _, secrets, _ in DRAFTS:  # words (numbers also stand in page markup and timestamps)
        for secret in (s for s in secrets if s.isalpha() and len(s) > 3):
            assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", seen, re.I), secret


def test_the_examples_in_docs_review_md_are_what_is_stored(app, client, auth, listed):
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| ([a-z, -]+) \| `(.+)` \|$", doc, re.M)
    assert len(rows) == 3
    for text, rules, excerpt in rows:
        res = client.post("/api/v1/check", json=draft(text), headers=auth).json
        assert sorted(f["rule"] for f in res["findings"]) == sorted(rules.split(", "))
        with session_factory(app)() as db:
            assert db.get(Check, res["check_id"]).excerpt == excerpt


def test_init_db_re_redacts_records_stored_before_the_allow_list(app, runner):
    from server.models import AuditEvent
    from tests.support.nearmiss_seed import add_check
    old = add_check(app, None, excerpt="…Proud of Ella Brown (Y9, cystic fibrosis) who ran, ring [phone] or "
                                       "[cystic fibrosis] [no-publish name] [NHS number]…",
                    override_reason="Her mum (in remission since March) agreed")
    res = runner.invoke(args=["init-db"])
    assert res.exit_code == 0 and "re-redacted to neutral words only: 1" in res.output
    with session_factory(app)() as db:
        row = db.get(Check, old)
        events = db.execute(select(AuditEvent).where(AuditEvent.action == "log.reredacted")).scalars().all()
    assert row.excerpt == "…Proud of […] ([…]) who ran, ring [phone] or [[…]] [no-publish name] [NHS number]…"
    assert row.override_reason == "Her […] (in […] since […]) agreed"
    assert [e.details["records"] for e in events] == [1]
    assert "re-redacted" not in runner.invoke(args=["init-db"]).output  # once is enough
