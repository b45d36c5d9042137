"""POST /api/v1/adapter-health and the admin page that counts it (issue 17: loud when the extension
cannot gate a composer). The report never carries a draft: unknown fields are refused."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from tests.support.helpers import login

REPORT = {"site": "x", "adapter": "x", "kind": "post", "missing": ["send-control"], "extension_version": "1.1.0"}


def test_reports_are_counted_per_day_with_first_and_last_seen(app, client, auth, make_staff):
    for _ in range(3):
        res = client.post("/api/v1/adapter-health", json=REPORT, headers=auth)
        assert res.status_code == 202 and res.json == {"recorded": 1}
    res = client.post("/api/v1/adapter-health", headers=auth,
                      json={**REPORT, "site": "instagram", "adapter": "instagram", "missing": ["images", "send-control"]})
    assert res.json == {"recorded": 2}
    from server.adapter_health import rows
    from server.db import get_db
    with app.app_context():
        found = {(r.site, r.missing): r for r in rows(get_db())}
    assert set(found) == {("x", "send-control"), ("instagram", "images"), ("instagram", "send-control")}
    x = found[("x", "send-control")]
    assert x.count == 3 and x.first_seen <= x.last_seen

    make_staff("it", "admin")
    login(client, "it")
    page = client.get("/admin/adapter-health").get_data(as_text=True)
    assert '<tr data-site="x" data-missing="send-control">' in page and '<td class="count">3</td>' in page
    assert "Extension health" in client.get("/admin/").get_data(as_text=True)


def test_days_are_the_schools(app):
    """A report at 23:30 UTC on 30 June is counted on 1 July in Knaresborough (British Summer Time)."""
    from server.adapter_health import record, rows
    from server.db import get_db
    with app.app_context():
        db = get_db()
        record(db, site="x", adapter="x", kind="post", missing=["send-control"], extension_version="1.1.0",
               now=datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc))
        db.commit()
        (row,) = rows(get_db())
    assert row.day == date(2026, 7, 1)


def test_the_page_shows_the_schools_time(app, client, make_staff):
    """Shown in the configured zone (here one without summer time, so the test holds on any date)."""
    from server.adapter_health import record
    from server.db import get_db
    app.config["TIMEZONE"] = "Asia/Kolkata"  # UTC+05:30
    two_days_ago = datetime.now(timezone.utc).date() - timedelta(days=2)
    at = datetime.combine(two_days_ago, time(20, 0), tzinfo=timezone.utc)
    with app.app_context():
        db = get_db()
        record(db, site="x", adapter="x", kind="post", missing=["send-control"], extension_version="1.1.0", now=at)
        db.commit()
    make_staff("it", "admin")
    login(client, "it")
    page = client.get("/admin/adapter-health").get_data(as_text=True)
    next_day = two_days_ago + timedelta(days=1)
    assert next_day.strftime("%a %d %b %Y") in page and "01:30:00" in page
    assert "20:00" not in page and "UTC" not in page


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**REPORT, "text": "Proud of our Year 9s"}, 422, "invalid_request"),
    ({**REPORT, "site": "myspace"}, 422, "invalid_request"),
    ({**REPORT, "missing": []}, 422, "invalid_request"),
    ({**REPORT, "missing": ["the draft"]}, 422, "invalid_request"),
    ({**REPORT, "extension_version": "<script>"}, 422, "invalid_request"),
    ([REPORT], 422, "invalid_request"),
])
def test_invalid_reports_are_refused_as_json(client, auth, body, status, code):
    res = client.post("/api/v1/adapter-health", json=body, headers=auth)
    assert res.status_code == status and res.json["error"]["code"] == code


def test_needs_a_staff_token_and_is_rate_limited(app, client, auth):
    assert client.post("/api/v1/adapter-health", json=REPORT).status_code == 401
    app.config["ADAPTER_HEALTH_RATE_LIMIT"] = "2/minute"
    codes = [client.post("/api/v1/adapter-health", json=REPORT, headers=auth).status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    assert client.post("/api/v1/adapter-health", json=REPORT, headers=auth).json["error"]["code"] == "rate_limited"


def test_listed_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    assert "post" in doc["paths"]["/api/v1/adapter-health"]
