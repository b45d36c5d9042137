"""E-mail alerts to the Director of IT and the safeguarding lead, through the school's SMTP server.

Sent when a block fires on a school account (when the draft is checked, before anyone tries to
post it: the first blocked check of each draft, server/check_service.py), when staff post over a
warning (when they report it), and as a weekly digest (`secondlook alerts digest`, for cron). One
alert per draft. A message never carries the draft's words or a pupil's name: it says what
happened (rule titles, platform, who) and links to the review page, where the redacted record is
behind a sign-in.

Sending never blocks a check: messages go on a queue that one background thread per process
delivers (smtplib); a failed delivery is logged, never raised into a request. Settings (config or
SECONDLOOK_* environment): MAIL_SERVER (none: alerts off), MAIL_PORT, MAIL_STARTTLS, MAIL_USERNAME,
MAIL_PASSWORD, MAIL_FROM, ALERT_TO (comma-separated), PUBLIC_URL (the links' base, e.g.
https://secondlook.school.example).
"""
from __future__ import annotations

import logging
import queue
import smtplib
import threading
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for

log = logging.getLogger(__name__)

DEFAULTS = {"MAIL_SERVER": None, "MAIL_PORT": 25, "MAIL_STARTTLS": False, "MAIL_USERNAME": None,
            "MAIL_PASSWORD": None, "MAIL_FROM": "second-look@localhost", "ALERT_TO": "", "PUBLIC_URL": None}


class Mailer:
    """One delivery thread per process, fed by a queue (started on the first message)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.outbox: queue.Queue[EmailMessage | None] = queue.Queue(maxsize=1000)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.settings.get("MAIL_SERVER") and recipients(self.settings))

    def send_later(self, subject: str, body: str) -> None:
        if not self.enabled:
            return
        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = self.settings["MAIL_FROM"]
        msg["To"] = ", ".join(recipients(self.settings))
        msg.set_content(body)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._deliver, name="secondlook-alerts", daemon=True)
                self._thread.start()
        try:
            self.outbox.put_nowait(msg)
        except queue.Full:
            log.warning("alert dropped: the outbox is full (is the SMTP server down?)")

    def _deliver(self) -> None:
        while True:
            msg = self.outbox.get()
            if msg is None:
                return
            try:
                s = self.settings
                with smtplib.SMTP(s["MAIL_SERVER"], int(s["MAIL_PORT"]), timeout=30) as smtp:
                    if s.get("MAIL_STARTTLS"):
                        smtp.starttls()
                    if s.get("MAIL_USERNAME"):
                        smtp.login(s["MAIL_USERNAME"], s.get("MAIL_PASSWORD") or "")
                    smtp.send_message(msg)
            except (OSError, smtplib.SMTPException):
                log.exception("alert not delivered: %s", msg["Subject"])
            finally:
                self.outbox.task_done()

    def wait(self, timeout: float = 10.0) -> None:
        """Wait until every queued message was handed to the SMTP server (tests, the digest command)."""
        deadline = datetime.now() + timedelta(seconds=timeout)
        while self.outbox.unfinished_tasks and datetime.now() < deadline:
            threading.Event().wait(0.05)


def recipients(settings: dict[str, Any]) -> list[str]:
    raw = settings.get("ALERT_TO") or ""
    return [a.strip() for a in (raw if isinstance(raw, (list, tuple)) else raw.split(",")) if a.strip()]


def mailer() -> Mailer:
    return current_app.extensions["secondlook.mailer"]


def _link(endpoint: str, **values: Any) -> str:
    base = current_app.config.get("PUBLIC_URL")
    path = url_for(endpoint, **values, _external=False) if has_request_context() else None
    if path is None:
        with current_app.test_request_context(base_url=base or "http://localhost"):
            path = url_for(endpoint, **values)
    root = (base or (request.url_root if has_request_context() else "http://localhost/")).rstrip("/")
    return root + path


def _titles(rules: list[str]) -> str:
    from server.display import rule_title
    return ", ".join(rule_title(r) for r in rules) or "no rule recorded"


def block_on_school_account(check_id: str, staff_name: str, platform: str, rules: list[str]) -> None:
    mailer().send_later(
        "Second Look: a post was blocked on a school account",
        f"{staff_name} was writing a post for a school account on {platform}; Second Look blocked it "
        "(it cannot be posted as it stands).\n"
        f"What it found: {_titles(rules)}.\n\nThe redacted record (sign in to read it):\n"
        f"{_link('admin.review_detail', check_id=check_id)}\n\n"
        "This message never contains the post's words or a pupil's name.\n")


def posted_over_warning(check_id: str, staff_name: str, platform: str, rules: list[str]) -> None:
    mailer().send_later(
        "Second Look: a post went out over a warning",
        f"{staff_name} posted on {platform} over a warning and gave a reason.\n"
        f"What it found: {_titles(rules)}.\n\nThe redacted record and the reason (sign in to read them):\n"
        f"{_link('admin.review_detail', check_id=check_id)}\n\n"
        "This message never contains the post's words or a pupil's name.\n")


def weekly_digest(db: Any, now: datetime | None = None) -> str:
    """The last seven days in figures, with links; returns the body (also queued for sending)."""
    from sqlalchemy import func, select

    from server.models import AuditEvent, Check
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(days=7)
    count = lambda *where: int(db.execute(select(func.count(Check.id)).where(Check.created_at >= since, *where)).scalar_one())  # noqa: E731
    reports = int(db.execute(select(func.count(AuditEvent.id)).where(
        AuditEvent.at >= since, AuditEvent.action.in_(("report.false_alarm", "report.exception")))).scalar_one())
    body = (f"Second Look, the week to {now.date().isoformat()}:\n"
            f"- {count()} near-misses, {count(Check.verdict == 'block')} of them blocked;\n"
            f"- {count(Check.flagged.is_(True))} posted over a warning;\n"
            f"- {count(Check.reviewed_at.is_(None))} not yet reviewed;\n"
            f"- {reports} reports from staff (\"this is wrong\").\n\n"
            f"Summary: {_link('admin.review_summary')}\nReports: {_link('admin.reports')}\n")
    mailer().send_later("Second Look: the week in near-misses", body)
    return body


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.extensions["secondlook.mailer"] = Mailer(app.config)
