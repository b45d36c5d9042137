"""How the pages show things to people: local time, rule titles, CSV that Excel opens cleanly.

Times are stored in UTC and shown in the school's time zone (`TIMEZONE`, default Europe/London,
so British Summer Time is right). Rules are shown by their titles; ids appear only in CSV
columns named `rule_ids`. CSV starts with a UTF-8 byte-order mark, without which Excel on
Windows reads the file as ANSI and garbles every accented name.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context

from server.rule_catalogue import BY_ID
from server.spreadsheet import csv_safe

DEFAULT_TIMEZONE = "Europe/London"
BOM = "\ufeff"

VERDICT_WORDS = {"block": "Must not be posted", "warn": "Warning", "advice": "Advice", "pass": "Fine"}


def rule_title(rule_id: str) -> str:
    if rule_id == "other":  # the summary's series for the rules outside its top few
        return "Other rules"
    entry = BY_ID.get(rule_id)
    return entry.title if entry else "A rule this version does not know"


def school_zone() -> ZoneInfo:
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def stored_utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime: times are stored in UTC, and SQLite hands them back naive."""
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def local(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """A stored time in the school's time zone, for a page."""
    if value is None:
        return ""
    return stored_utc(value).astimezone(school_zone()).strftime(fmt)


def local_iso(value: datetime | None) -> str:
    """The same, as ISO 8601 with its offset (+01:00 in summer), for CSV."""
    if value is None:
        return ""
    return stored_utc(value).astimezone(school_zone()).isoformat(timespec="seconds")


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text in chunks, BOM first, every cell made safe for spreadsheets."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def init_app(app: Flask) -> None:
    """Template filters: `local`, `rule_title`, `verdict_words`."""
    app.config.setdefault("TIMEZONE", DEFAULT_TIMEZONE)
    ZoneInfo(app.config["TIMEZONE"])  # an unknown zone stops the server at start-up, not on a page
    app.add_template_filter(local, "local")
    app.add_template_filter(rule_title, "rule_title")
    app.add_template_filter(lambda v: VERDICT_WORDS.get(v, v), "verdict_words")
    app.add_template_global(lambda: local(datetime.now(timezone.utc), "%Z"), "zone_name")
