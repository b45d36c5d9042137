"""Helpers for browser tests of the server's own pages: sign in, and axe-core's serious findings."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(page: Any, name: str, password: str) -> None:
    """Fill the sign-in form the page is on (the header's Sign out is a form too: use main's)."""
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("main form button[type=submit]")


def sign_in_as_admin(page: Any, live_server: Any, name: str) -> None:
    """Sign `name` (made by `live_server.staff(name, "admin")`, password `pw-<name>`) in to the
    admin pages and wait for the dashboard."""
    page.goto(f"{live_server.url}/admin/login")
    sign_in(page, name, f"pw-{name}")
    page.wait_for_url("**/admin/")


def remove_pupils(live_server: Any, reference_prefix: str) -> None:
    """Take the pupils a test added (references starting with `reference_prefix`) off the shared
    server's list, through the list's own removal (audited, templates purged)."""
    from sqlalchemy import select

    from server.db import get_db
    from server.models import Pupil
    from server.nopublish import records
    with live_server.app.app_context():
        db = get_db()
        for pupil in db.execute(select(Pupil).where(Pupil.reference.like(f"{reference_prefix}%"))).scalars().all():
            records.remove_pupil(db, "it-admin", pupil, why="test cleanup")
        db.commit()


def add_name_only_pupil(live_server: Any, display_name: str, reference: str, year_group: str, **fields: str) -> None:
    """List a pupil by name only (consent to face matching withdrawn) on the shared server, through
    the list's own validation; `remove_pupils` takes them off again."""
    from server.db import get_db
    from server.nopublish import records
    with live_server.app.app_context():
        db = get_db()
        records.add_pupil(db, "it-admin", records.validate_fields({
            "display_name": display_name, "reference": reference, "year_group": year_group,
            "reason": "safeguarding", "review_by": "2031-07-31", "consent_withdrawn": "yes", **fields}))
        db.commit()


def serious_axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page. axe is injected as a script, which
    the pages' CSP rightly refuses, so the caller's tab must bypass CSP (`allow_axe`)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` runs npm install")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def allow_axe(page: Any) -> None:
    page.context.new_cdp_session(page).send("Page.setBypassCSP", {"enabled": True})


def warm_image_checks(url: str, token: str, photo: bytes, workers: int = 2) -> None:
    """Send a photo check to each server worker (concurrently, so each gets one) and wait for the
    answers: the face models load in the background at start-up and, on a busy machine, the first
    image check could outlast the extension's 10 s limit. A warm-up, not a test."""
    import json
    import urllib.request
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    boundary = uuid.uuid4().hex
    draft = json.dumps({"text": "warm-up", "platform": "other", "account_type": "personal", "audience": "public"})
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"draft\"\r\n\r\n{draft}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"images\"; filename=\"p.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + photo + f"\r\n--{boundary}--\r\n".encode()

    def post(_: int) -> int:
        request = urllib.request.Request(f"{url}/api/v1/check", data=body, method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(request, timeout=120) as res:
            return res.status

    with ThreadPoolExecutor(workers) as pool:
        assert all(status == 200 for status in pool.map(post, range(workers)))
