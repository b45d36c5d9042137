"""E-mail alerts, sent to a real SMTP server (aiosmtpd) run by the test: a block on a school
account, a post over a warning, the weekly digest. Never the draft's words or a pupil's name; the
check's answer never waits for the mail server."""
from __future__ import annotations

import asyncio
import socket
import threading
import time
from email import message_from_bytes
from typing import Any, Iterator

import pytest
from aiosmtpd.controller import Controller

from tests.support.helpers import make_test_app


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802  (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, n: int, timeout: float = 15) -> list[Any]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def app(tmp_path: Any, smtp: tuple[Inbox, int]) -> Iterator[Any]:
    _, port = smtp
    app, cleanup = make_test_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="sl@kjs.example",
                                 ALERT_TO="director.it@kjs.example, dsl@kjs.example",
                                 PUBLIC_URL="https://secondlook.kjs.example")
    yield app
    cleanup()


def token_for(app: Any, name: str) -> str:
    from server.staff import create_staff
    with app.app_context():
        return create_staff(name, "staff")[1]


def body_of(message: Any) -> str:
    return message.get_payload(decode=True).decode()


BLOCKED_DRAFT = {"text": "CONFIDENTIAL: draft staffing structure for next year", "platform": "facebook",
                 "account_type": "school", "account_handle": "@KJSSport", "audience": "public"}


def test_a_block_on_a_school_account_alerts_when_checked_and_a_post_over_a_warning_when_posted(app, smtp):
    inbox, _ = smtp
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token_for(app, 'ms-teacher')}"}
    blocked = client.post("/api/v1/check", headers=auth, json={**BLOCKED_DRAFT, "client_draft_id": "d-1"}).get_json()
    assert blocked["verdict"] == "block"
    (first,) = inbox.wait_for(1)  # at check time, before anyone tries to post it
    # The same draft checked again as it is typed, even when its rules change (a new record), then
    # its outcomes: still the one alert for this draft.
    again = client.post("/api/v1/check", headers=auth, json={**BLOCKED_DRAFT, "client_draft_id": "d-1"}).get_json()
    assert again["check_id"] == blocked["check_id"]
    longer = client.post("/api/v1/check", headers=auth, json={
        **BLOCKED_DRAFT, "client_draft_id": "d-1", "text": BLOCKED_DRAFT["text"] + " Call me on 07700 900123."})
    assert longer.get_json()["verdict"] == "block" and longer.get_json()["check_id"] != blocked["check_id"]
    client.post(f"/api/v1/checks/{blocked['check_id']}/outcome", headers=auth, json={"action": "edited"})
    client.post(f"/api/v1/checks/{blocked['check_id']}/outcome", headers=auth, json={"action": "cancelled"})
    client.post(f"/api/v1/checks/{longer.get_json()['check_id']}/outcome", headers=auth, json={"action": "cancelled"})
    warned = client.post("/api/v1/check", headers=auth, json={
        "text": "Proud of our Year 9s at King James's today!", "platform": "x", "account_type": "personal",
        "audience": "public"}).get_json()
    client.post(f"/api/v1/checks/{warned['check_id']}/outcome", headers=auth,
                json={"action": "posted", "override_reason": "Agreed with the head"})
    # One delivery thread sends in order: once the last alert queued has arrived, any alert queued
    # before it would have too. So exactly two means no double alert for the blocked draft.
    assert [m["Subject"] for m in inbox.wait_for(2)] == ["Second Look: a post was blocked on a school account",
                                                         "Second Look: a post went out over a warning"]
    first, second = inbox.messages
    assert first["To"] == "director.it@kjs.example, dsl@kjs.example"
    assert f"https://secondlook.kjs.example/admin/review/{blocked['check_id']}" in body_of(first)
    assert "ms-teacher" in body_of(first) and "facebook" in body_of(first)
    assert "staffing" not in body_of(first) and "CONFIDENTIAL" not in body_of(first)  # never the draft
    assert "King James" not in body_of(second) and "Agreed with the head" not in body_of(second)
    assert f"/admin/review/{warned['check_id']}" in body_of(second)


class HangingInbox(Inbox):
    """A mail server that takes the message and then does not answer until the test lets it."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.arrived.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return await super().handle_DATA(server, session, envelope)


def test_checks_answer_while_the_mail_server_hangs(tmp_path):
    inbox, port = HangingInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app, cleanup = make_test_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, ALERT_TO="dsl@kjs.example")
    try:
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token_for(app, 'hang-teacher')}"}
        first = client.post("/api/v1/check", headers=auth, json={**BLOCKED_DRAFT, "client_draft_id": "a"})
        assert first.status_code == 200 and first.get_json()["verdict"] == "block"
        assert inbox.arrived.wait(30)  # the alert is with the mail server, which now hangs
        # While it hangs, another blocked draft is checked and answered, and its alert only queued.
        second = client.post("/api/v1/check", headers=auth, json={**BLOCKED_DRAFT, "client_draft_id": "b"})
        assert second.status_code == 200 and second.get_json()["verdict"] == "block"
        outcome = client.post(f"/api/v1/checks/{second.get_json()['check_id']}/outcome", headers=auth,
                              json={"action": "cancelled"})
        assert outcome.status_code == 200
        assert not inbox.release.is_set() and inbox.messages == []  # answered with the mail server still stuck
        inbox.release.set()
        assert len(inbox.wait_for(2)) == 2  # both delivered once it answers
    finally:
        inbox.release.set()
        controller.stop()
        cleanup()


def test_an_unreachable_mail_server_never_fails_a_check(tmp_path, caplog):
    app, cleanup = make_test_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), ALERT_TO="dsl@kjs.example")
    try:
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token_for(app, 'no-mail-teacher')}"}
        res = client.post("/api/v1/check", headers=auth, json=BLOCKED_DRAFT)
        assert res.status_code == 200 and res.get_json()["verdict"] == "block"
        from server.alerts import mailer
        with app.app_context():
            mailer().wait()
        assert "alert not delivered" in caplog.text
    finally:
        cleanup()


def test_a_pupils_name_never_reaches_an_alert(app, smtp):
    from server.db import get_db
    from server.nopublish import records
    inbox, _ = smtp
    with app.app_context():
        db = get_db()
        records.add_pupil(db, "it", records.validate_fields({"display_name": "Samantha Quill", "reference": "Q1",
                                                            "reason": "no-consent", "review_by": "2031-07-31"}))
        db.commit()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token_for(app, 'coach')}"}
    answer = client.post("/api/v1/check", headers=auth, json={
        "text": "Well done Samantha Quill!", "platform": "x", "account_type": "school",
        "account_handle": "@KJSSport", "audience": "public"}).get_json()
    client.post(f"/api/v1/checks/{answer['check_id']}/outcome", headers=auth, json={"action": "edited"})
    (message,) = inbox.wait_for(1)
    assert "Samantha" not in message.as_string() and "Quill" not in message.as_string()


def test_the_weekly_digest_from_the_command_line(app, smtp):
    inbox, _ = smtp
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token_for(app, 'digest-teacher')}"}
    client.post("/api/v1/check", headers=auth, json={
        "text": "Proud of our Year 9s at King James's today!", "platform": "x", "account_type": "personal",
        "audience": "public"})
    result = app.test_cli_runner().invoke(args=["alerts", "digest"])
    assert result.exit_code == 0, result.output
    assert "1 near-misses" in result.output
    (message,) = inbox.wait_for(1)
    assert message["Subject"] == "Second Look: the week in near-misses"
    assert "https://secondlook.kjs.example/admin/review/summary" in body_of(message)


def test_no_mail_server_means_no_alerts_and_no_waiting(tmp_path):
    app, cleanup = make_test_app(tmp_path)
    try:
        result = app.test_cli_runner().invoke(args=["alerts", "digest"])
        assert result.exit_code != 0 and "Alerts are off" in result.output
    finally:
        cleanup()
