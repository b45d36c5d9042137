"""Bulk import: CSV parsing, ZIP safety, the import page (per-row report, all-or-nothing per pupil)
and the CLI commands (`nopublish import`, `nopublish expire`, `admin create`)."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from server.nopublish import bulk_import
from server.nopublish.bulk_import import ImportRefused, Photo, parse_csv, photos_by_reference, read_zip
from server.db import get_db
from server.models import AuditEvent, FaceTemplate, Pupil, Staff
from server.auth import verify_password
from tests.support.pupil_fixtures import blank_png, empty_list, lfw, list_site, signed_in

HEADER = "name,reference,year_group,reason,review_by,parents_notified_on,consent_given_by,consent_given_on\n"
CONSENT = "2025-09-01,A Parent,2025-09-02"


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


# --- parsing and ZIP safety (no app) ------------------------------------------------------------

def test_csv_header_is_forgiving_about_spelling():
    rows = parse_csv("\ufeffName,Reference,Year group,Reason,Review-by\nAnn Lee,A1,Year 7,no-consent,2030-07-31\n"
                     .encode("utf-8"))
    assert len(rows) == 1 and rows[0].values["year_group"] == "Year 7" and rows[0].reference == "A1"
    assert rows[0].line == 2


@pytest.mark.parametrize("content, message", [
    (b"name,reference\nAnn,A1\n", "lacks: year_group, reason, review_by"),
    (HEADER.replace("\n", ",shoe_size\n").encode(), "Unknown CSV column"),
    (b"", "empty"),
    ("name,reference,year_group,reason,review_by\nJos\xe9".encode("latin-1"), "not UTF-8"),
])
def test_bad_csv_is_refused_whole(content, message):
    with pytest.raises(ImportRefused, match=message):
        parse_csv(content)


def test_blank_lines_are_skipped():
    rows = parse_csv((HEADER + "\n,,,,\nAnn,A1,7,other,2030-01-01\n").encode())
    assert [r.values["name"] for r in rows] == ["Ann"]


@pytest.mark.parametrize("name", ["../evil.jpg", "photos/../../evil.jpg", "/etc/evil.jpg", "C:/evil.jpg",
                                  "photos\\..\\evil.jpg"])
def test_zip_slip_paths_are_refused(name):
    with pytest.raises(ImportRefused, match="Unsafe path"):
        read_zip(make_zip({"A1.jpg": b"x", name: b"x"}))


def test_huge_zip_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(bulk_import, "MAX_TOTAL_BYTES", 1024 * 1024)
    bomb = make_zip({"A1.jpg": bytes(2 * 1024 * 1024)})  # 2 MB of zeros, a few KB compressed
    assert len(bomb) < 20_000
    with pytest.raises(ImportRefused, match="would unpack to"):
        read_zip(bomb)


def test_too_many_members_are_refused(monkeypatch):
    monkeypatch.setattr(bulk_import, "MAX_MEMBERS", 3)
    with pytest.raises(ImportRefused, match="at most 3"):
        read_zip(make_zip({f"A{i}.jpg": b"x" for i in range(4)}))


def test_member_that_lies_about_its_size_is_refused(monkeypatch):
    data = bytearray(make_zip({"A1.jpg": bytes(5000)}, zipfile.ZIP_DEFLATED))
    # Make both headers claim 10 bytes: the reader must stop there and notice, not trust it.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset:at + offset + 4] = (10).to_bytes(4, "little")
    with pytest.raises(ImportRefused):
        read_zip(bytes(data))


def test_not_a_zip_is_refused():
    with pytest.raises(ImportRefused, match="not a ZIP"):
        read_zip(b"PK but not really")


def test_photos_are_matched_by_reference():
    photos = [Photo(n, b"") for n in ("A1.jpg", "a1-2.jpg", "A1 (3).png", "B2/face.jpg", "__MACOSX/._A1.jpg",
                                      "nobody.jpg")]
    matched, unmatched = photos_by_reference([p for p in photos if not p.name.startswith("__")], {"A1", "B2"})
    assert [p.name for p in matched["a1"]] == ["A1.jpg", "a1-2.jpg", "A1 (3).png"]
    assert [p.name for p in matched["b2"]] == ["B2/face.jpg"] and unmatched == ["nobody.jpg"]


def test_ignored_members_are_skipped():
    photos = read_zip(make_zip({"A1.jpg": b"x", "__MACOSX/._A1.jpg": b"y", ".DS_Store": b"z", "dir/": b""}))
    assert [p.name for p in photos] == ["A1.jpg"]


# --- the import page ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with list_site(tmp_path_factory) as app:
        yield app


@pytest.fixture(scope="module")
def admin_session(app):
    return signed_in(app)


@pytest.fixture
def empty(app):
    empty_list(app)


def upload(client, csrf, csv_text, zip_bytes=None):
    data = {"csrf_token": csrf, "csv": (io.BytesIO(csv_text.encode()), "pupils.csv")}
    if zip_bytes is not None:
        data["photos"] = (io.BytesIO(zip_bytes), "photos.zip")
    return client.post("/admin/pupils/import", data=data, content_type="multipart/form-data")


def pupils_by_ref(app):
    with app.app_context():
        db = get_db()
        counts = dict(db.execute(select(FaceTemplate.pupil_id, func.count()).group_by(FaceTemplate.pupil_id)).all())
        return {p.reference: counts.get(p.id, 0) for p in db.execute(select(Pupil)).scalars()}


def row_reports(html):
    """{CSV line: "imported" | "failed"} from the streamed report."""
    return {line: state for state, line in re.findall(r'class="row-report (imported|failed)" data-line="(\d+)"', html)}


def test_import_page_needs_admin_and_csrf(app, admin_session, empty):
    client, csrf = admin_session
    assert client.get("/admin/pupils/import").status_code == 200
    res = client.post("/admin/pupils/import", data={"csv": (io.BytesIO(b"x"), "p.csv")},
                      content_type="multipart/form-data", headers={"Accept": "text/html"})
    assert res.status_code == 400
    assert app.test_client().get("/admin/pupils/import").status_code == 302


def test_good_import_with_progress_and_report(app, admin_session, empty):
    client, csrf = admin_session
    csv_text = HEADER + (f"Aaron Pupil,P1,Year 7,no-consent,2030-07-31,{CONSENT}\n"
                         "Bea Pupil,P2,Year 8,safeguarding,31/07/2030,,,\n")
    res = upload(client, csrf, csv_text, make_zip({"P1.jpg": lfw("Aaron_Peirsol", 1)}))
    html = res.get_data(as_text=True)
    assert res.status_code == 200 and res.headers["Cache-Control"] == "no-store"
    assert html.count("<progress") == 3 and 'value="2" max="2"' in html  # one bar per step
    assert "Done: 2 imported, 0 not imported, of 2." in html
    assert row_reports(html) == {"2": "imported", "3": "imported"}
    assert pupils_by_ref(app) == {"P1": 1, "P2": 0}
    with app.app_context():
        event = get_db().execute(select(AuditEvent).where(AuditEvent.action == "pupil.import")).scalar_one()
        assert event.details["imported"] == 2 and event.actor == "it"
        adds = get_db().execute(select(AuditEvent).where(AuditEvent.action == "pupil.add")).scalars().all()
        assert [a.details["via"] for a in adds] == ["import", "import"]


def test_bad_rows_are_reported_and_skipped(app, admin_session, empty):
    client, csrf = admin_session
    csv_text = HEADER + ("Good Pupil,G1,Year 7,no-consent,2030-07-31,,,\n"
                         ",G2,Year 7,no-consent,2030-07-31,,,\n"
                         "Bad Reason,G3,Year 7,because,2030-07-31,,,\n"
                         "Bad Date,G4,Year 7,other,someday,,,\n"
                         "Twice,G1,Year 7,no-consent,2030-07-31,,,\n")
    html = upload(client, csrf, csv_text).get_data(as_text=True)
    assert row_reports(html) == {"2": "imported", "3": "failed", "4": "failed", "5": "failed", "6": "failed"}
    assert "name: Enter the pupil" in html and "reason: Choose one of" in html and "review_by: Not a date" in html
    assert "reason_note: Say briefly why" in html and "appears twice in this CSV" in html
    assert "Done: 1 imported, 4 not imported" in html
    assert pupils_by_ref(app) == {"G1": 0}
    # Importing again refuses the reference already on the list.
    again = upload(client, csrf, HEADER + "Good Pupil,g1,Year 7,no-consent,2030-07-31,,,\n").get_data(as_text=True)
    assert "already has this reference" in again and pupils_by_ref(app) == {"G1": 0}


def failed_csv(html):
    """The failed-rows CSV the report links to (a data: link inside the page), decoded."""
    import base64
    found = re.search(r'id="failed-csv" href="data:text/csv;charset=utf-8;base64,([^"]+)" download="([^"]+)"', html)
    assert found, "no failed-rows link"
    return base64.b64decode(found.group(1)).decode("utf-8"), found.group(2)


def test_the_report_keeps_the_navigation_and_offers_the_failed_rows_as_csv(app, admin_session, empty):
    client, csrf = admin_session
    csv_text = HEADER + ("Good Pupil,F1,Year 7,no-consent,2030-07-31,,,\n"
                         "=HYPERLINK(\"http://x.example\"),F2,Year 7,because,2030-07-31,,,\n"
                         "Bad Date,F3,Year 7,no-consent,someday,,,\n")
    html = upload(client, csrf, csv_text).get_data(as_text=True)
    assert '<nav aria-label="Second Look pages">' in html and 'href="/admin/pupils">No-publish list</a>' in html
    assert "Sign out" in html and 'href="/admin/pupils/import/template.csv"' in html
    text, name = failed_csv(html)
    assert name.startswith("import-not-imported-") and name.endswith(".csv")
    assert text.startswith("\ufeff")  # a BOM, like every CSV the server writes, for Excel
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["problem", "csv_line", *bulk_import.REQUIRED_COLUMNS, *bulk_import.OPTIONAL_COLUMNS]
    assert [r[1] for r in rows[1:]] == ["3", "4"]  # the rows that failed, and only those
    assert rows[1][2] == "'=HYPERLINK(\"http://x.example\")"  # the CSV-injection guard
    assert rows[1][0].startswith("reason: Choose one of") and rows[2][0].startswith("review_by: Not a date")
    assert rows[2][2:7] == ["Bad Date", "F3", "Year 7", "no-consent", "someday"]
    # put right, the same file imports as it is (its reason and line columns are ignored)
    fixed = text.replace("someday", "2030-07-31").replace("because", "no-consent").replace("'=HYPERLINK(\"\"http://x.example\"\")", "Fixed Name")
    again = upload(client, csrf, fixed).get_data(as_text=True)
    assert "Done: 2 imported, 0 not imported, of 2." in again and 'id="failed-csv"' not in again
    assert pupils_by_ref(app) == {"F1": 0, "F2": 0, "F3": 0}


def test_the_template_csv_has_the_columns_and_an_example_that_imports(app, admin_session, empty):
    client, csrf = admin_session
    res = client.get("/admin/pupils/import/template.csv")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    assert "attachment" in res.headers["Content-Disposition"] and res.headers["Cache-Control"] == "no-store"
    text = res.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [*bulk_import.REQUIRED_COLUMNS, *bulk_import.OPTIONAL_COLUMNS] and len(rows) == 2
    assert 'href="/admin/pupils/import/template.csv"' in client.get("/admin/pupils/import").get_data(as_text=True)
    html = upload(client, csrf, text).get_data(as_text=True)
    assert "Done: 1 imported, 0 not imported, of 1." in html
    assert app.test_client().get("/admin/pupils/import/template.csv").status_code == 302  # admins only


def test_wrong_photo_imports_nothing_of_that_pupil(app, admin_session, empty):
    client, csrf = admin_session
    csv_text = HEADER + (f"No Face,W1,Year 7,no-consent,2030-07-31,{CONSENT}\n"
                         f"Not Image,W2,Year 7,no-consent,2030-07-31,{CONSENT}\n"
                         "No Consent,W3,Year 7,no-consent,2030-07-31,,,\n"
                         "Fine,W4,Year 7,no-consent,2030-07-31,,,\n")
    photos = make_zip({"W1.png": blank_png(), "W2.jpg": b"%PDF-1.4 pretending", "W3.png": blank_png(),
                       "stray.jpg": b"x"})
    html = upload(client, csrf, csv_text, photos).get_data(as_text=True)
    assert row_reports(html) == {"2": "failed", "3": "failed", "4": "failed", "5": "imported"}
    assert "W1.png: No face was found" in html and "W2.jpg: Not an image" in html
    assert "no written consent recorded" in html and "stray.jpg" in html
    assert pupils_by_ref(app) == {"W4": 0}  # all-or-nothing per pupil: no name-only leftovers


@pytest.mark.parametrize("members, message", [
    ({"A1.jpg": b"x", "../../etc/cron.d/evil": b"x"}, "Unsafe path"),
    ({"A1.jpg": bytes(3 * 1024 * 1024)}, "would unpack to"),
])
def test_unsafe_or_huge_zip_imports_nothing(app, admin_session, empty, monkeypatch, members, message):
    monkeypatch.setattr(bulk_import, "MAX_TOTAL_BYTES", 2 * 1024 * 1024)
    client, csrf = admin_session
    res = upload(client, csrf, HEADER + "Ann,A1,7,no-consent,2030-07-31,,,\n", make_zip(members))
    assert res.status_code == 422 and message in res.get_data(as_text=True)
    assert "Nothing was imported" in res.get_data(as_text=True)
    assert pupils_by_ref(app) == {}


# --- the CLI ------------------------------------------------------------------------------------------

def test_cli_import_with_progress_and_report(app, empty, tmp_path):
    (tmp_path / "pupils.csv").write_text(HEADER + f"Cli Pupil,C1,Year 9,looked-after,2030-07-31,{CONSENT}\n"
                                                  f"Cli Bad,C2,Year 9,no-consent,2030-07-31,{CONSENT}\n")
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "C1.jpg").write_bytes(lfw("Abel_Pacheco", 1))
    (folder / "C2.jpg").write_bytes(b"just text")
    res = app.test_cli_runner().invoke(args=["nopublish", "import", str(tmp_path / "pupils.csv"), str(folder)])
    assert res.exit_code == 1  # one row was not imported
    assert "line 2: Cli Pupil [C1]: imported" in res.output
    assert "line 3: Cli Bad [C2]: NOT imported" in res.output and "C2.jpg: Not an image" in res.output
    assert "1 imported, 1 not imported, of 2." in res.output
    assert pupils_by_ref(app) == {"C1": 1}
    zipped = tmp_path / "photos.zip"
    zipped.write_bytes(make_zip({"../x.jpg": b"x"}))
    res = app.test_cli_runner().invoke(args=["nopublish", "import", str(tmp_path / "pupils.csv"), str(zipped)])
    assert res.exit_code == 1 and "Unsafe path" in res.output and "Nothing was imported" in res.output


def test_cli_expire_lists_then_removes(app, empty):
    with app.app_context():
        db = get_db()
        old = Pupil(display_name="Old Entry", reference="E1", review_by=date(2020, 1, 1))
        new = Pupil(display_name="New Entry", reference="E2", review_by=date(2099, 1, 1))
        db.add_all([old, new])
        db.flush()
        db.add(FaceTemplate(pupil_id=old.id, encoding=bytes(1024), thumbnail=b"t", photo_sha256="a" * 64))
        db.commit()
        old_id = old.id
    runner = app.test_cli_runner()
    res = runner.invoke(args=["nopublish", "expire"])
    assert res.exit_code == 0 and "Old Entry" in res.output and "New Entry" not in res.output
    assert pupils_by_ref(app) == {"E1": 1, "E2": 0}
    res = runner.invoke(args=["nopublish", "expire", "--remove"])
    assert res.exit_code == 0 and "Removed 1 expired entry" in res.output
    assert pupils_by_ref(app) == {"E2": 0}
    with app.app_context():
        db = get_db()
        assert db.execute(select(func.count()).select_from(FaceTemplate)
                          .where(FaceTemplate.pupil_id == old_id)).scalar_one() == 0
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "pupil.remove")).scalar_one()
        assert event.actor == "cli" and event.details == {"templates_deleted": 1, "why": "expired"}
    assert "No entry is past" in runner.invoke(args=["nopublish", "expire"]).output


def test_cli_admin_create(app):
    runner = app.test_cli_runner()
    res = runner.invoke(args=["admin", "create", "deputy", "--generate"])
    assert res.exit_code == 0, res.output
    password = res.output.strip().splitlines()[-1]
    res = runner.invoke(args=["admin", "create", "head"], input="correct horse battery\ncorrect horse battery\n")
    assert res.exit_code == 0, res.output
    assert "correct horse" not in res.output
    short = runner.invoke(args=["admin", "create", "short"], input="tiny\ntiny\n")
    assert short.exit_code != 0 and "at least 12" in short.output
    dup = runner.invoke(args=["admin", "create", "deputy", "--generate"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    with app.app_context():
        staff = {s.name: s for s in get_db().execute(select(Staff)).scalars()}
    assert staff["deputy"].role == "admin" and verify_password(staff["deputy"].password_hash, password)
    assert verify_password(staff["head"].password_hash, "correct horse battery") and "short" not in staff
