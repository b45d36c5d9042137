"""E-mail alerts, sent to a real SMTP server (aiosmtpd) run by the test: a block on a school
account, a post over a warning, the weekly digest. Never the draft's words or a pupil's name; the
check's answer never waits for the mail server."""
from __future__ import annotations

import socket
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


def test_a_block_on_a_school_account_and_a_post_over_a_warning_send_alerts(app, smtp):
    inbox, _ = smtp
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token_for(app, 'ms-teacher')}"}
    blocked = client.post("/api/v1/check", headers=auth, json={
        "text": "CONFIDENTIAL: draft staffing structure for next year", "platform": "facebook",
        "account_type": "school", "account_handle": "@KJSSport", "audience": "public"}).get_json()
    assert blocked["verdict"] == "block"
    assert inbox.messages == []  # nothing until they try to post
    client.post(f"/api/v1/checks/{blocked['check_id']}/outcome", headers=auth, json={"action": "edited"})
    client.post(f"/api/v1/checks/{blocked['check_id']}/outcome", headers=auth, json={"action": "cancelled"})
    warned = client.post("/api/v1/check", headers=auth, json={
        "text": "Proud of our Year 9s at King James's today!", "platform": "x", "account_type": "personal",
        "audience": "public"}).get_json()
    client.post(f"/api/v1/checks/{warned['check_id']}/outcome", headers=auth,
                json={"action": "posted", "override_reason": "Agreed with the head"})
    first, second = inbox.wait_for(2)
    time.sleep(0.3)
    assert len(inbox.messages) == 2  # one alert per draft, not one per outcome
    assert first["Subject"] == "Second Look: a post was blocked on a school account"
    assert first["To"] == "director.it@kjs.example, dsl@kjs.example"
    assert f"https://secondlook.kjs.example/admin/review/{blocked['check_id']}" in body_of(first)
    assert "ms-teacher" in body_of(first) and "facebook" in body_of(first)
    assert "staffing" not in body_of(first) and "CONFIDENTIAL" not in body_of(first)  # never the draft
    assert second["Subject"] == "Second Look: a post went out over a warning"
    assert "King James" not in body_of(second) and "Agreed with the head" not in body_of(second)
    assert f"/admin/review/{warned['check_id']}" in body_of(second)


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
