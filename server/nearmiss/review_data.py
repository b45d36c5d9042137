"""Reading the near-miss log for reviewers: filters, pages, CSV rows and the summary's figures.

Queries stay portable (SQLite and PostgreSQL): filters are plain comparisons and LIKE on the
space-padded `rules` column; weekly figures are grouped in Python, not with a dialect's date
functions.
"""
from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterator, Mapping

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from server.display import local_iso, rule_title, school_zone, stored_utc
from server.models import Check, CleanCheckCount, CleanCheckTally, Staff
from server.vocabulary import PLATFORMS, SEVERITIES

OUTCOMES = {
    "edited": "Edited",
    "cancelled": "Cancelled",
    "posted": "Posted anyway",
    "flagged": "Posted over a warning (flagged)",
    "none": "No outcome reported",
}
#: A report after the first one (kept as history, server/nearmiss/outcomes.py), in words.
LATER_REPORTS = {
    "edited": "They said later that they edited it",
    "cancelled": "They said later that they did not post it",
    "posted": "They said later that they posted it",
}
REVIEWED = {"yes": "Reviewed", "no": "Not reviewed"}
PER_PAGE = 50
EXPORT_LIMIT = 100_000
RULE_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


@dataclass
class ReviewFilters:
    """The filters of the review table, read from the query string; bad values are reported."""

    date_from: date | None = None
    date_to: date | None = None
    rule: str | None = None
    severity: str | None = None
    outcome: str | None = None
    staff_id: int | None = None
    platform: str | None = None
    reviewed: str | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "ReviewFilters":
        f = cls()
        for name, attr in (("from", "date_from"), ("to", "date_to")):
            raw = (args.get(name) or "").strip()
            if raw:
                try:
                    setattr(f, attr, date.fromisoformat(raw))
                except ValueError:
                    f.errors.append(f"'{name}' is not a date (YYYY-MM-DD); ignored.")
        rule = (args.get("rule") or "").strip()
        if rule:
            if set(rule) <= RULE_ID_CHARS and len(rule) <= 60:
                f.rule = rule
            else:
                f.errors.append("Unknown rule; ignored.")
        f.severity = f._choice(args, "severity", SEVERITIES)
        f.outcome = f._choice(args, "outcome", OUTCOMES)
        f.platform = f._choice(args, "platform", PLATFORMS)
        f.reviewed = f._choice(args, "reviewed", REVIEWED)
        raw_staff = (args.get("staff") or "").strip()
        if raw_staff:
            if raw_staff.isdigit():
                f.staff_id = int(raw_staff)
            else:
                f.errors.append("Unknown member of staff; ignored.")
        return f

    def _choice(self, args: Mapping[str, str], name: str, allowed: Any) -> str | None:
        raw = (args.get(name) or "").strip()
        if raw and raw not in allowed:
            self.errors.append(f"Unknown {name} '{raw[:40]}'; ignored.")
            return None
        return raw or None

    def apply(self, stmt: Select) -> Select:
        conditions = []
        if self.date_from:
            conditions.append(Check.created_at >= _day_start(self.date_from))
        if self.date_to:
            conditions.append(Check.created_at < _day_start(self.date_to + timedelta(days=1)))
        if self.rule:
            conditions.append(Check.rules.like(f"% {self.rule} %"))
        if self.severity:
            conditions.append(Check.verdict == self.severity)
        if self.outcome == "none":
            conditions.append(Check.outcome.is_(None))
        elif self.outcome == "flagged":
            conditions.append(Check.flagged.is_(True))
        elif self.outcome:
            conditions.append(Check.outcome == self.outcome)
        if self.staff_id is not None:
            conditions.append(Check.staff_id == self.staff_id)
        if self.platform:
            conditions.append(Check.platform == self.platform)
        if self.reviewed == "yes":
            conditions.append(Check.reviewed_at.is_not(None))
        elif self.reviewed == "no":
            conditions.append(Check.reviewed_at.is_(None))
        return stmt.where(and_(*conditions)) if conditions else stmt

    def query_args(self) -> dict[str, str]:
        """The active filters as query-string arguments (for pagination and export links)."""
        values = {"from": self.date_from, "to": self.date_to, "rule": self.rule, "severity": self.severity,
                  "outcome": self.outcome, "staff": self.staff_id, "platform": self.platform,
                  "reviewed": self.reviewed}
        return {k: str(v) for k, v in values.items() if v is not None}

    def describe(self) -> dict[str, str]:
        return self.query_args()


def _listing(filters: ReviewFilters) -> Select:
    return filters.apply(select(Check, Staff.name).outerjoin(Staff, Check.staff_id == Staff.id))


def page_of(db: Session, filters: ReviewFilters, page: int) -> tuple[list[tuple[Check, str | None]], int]:
    """One page of matching near-misses, newest first, and the total count."""
    total = db.execute(filters.apply(select(func.count(Check.id)))).scalar_one()
    stmt = _listing(filters).order_by(Check.created_at.desc(), Check.id.desc())
    rows = db.execute(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return [(row[0], row[1]) for row in rows], int(total)


def staff_choices(db: Session) -> list[tuple[int, str]]:
    return [(r.id, r.name) for r in db.execute(select(Staff.id, Staff.name).order_by(Staff.name)).all()]


def known_rules(db: Session, catalogue: list[str]) -> list[str]:
    """Rule ids for the filter: the catalogue's, plus any other id present in the log."""
    seen = set(catalogue)
    extra: set[str] = set()
    for (rules,) in db.execute(select(Check.rules).distinct()).all():
        extra.update(r for r in (rules or "").split() if r not in seen)
    return list(catalogue) + sorted(extra)


CSV_COLUMNS = ("check_id", "created_at", "staff", "platform", "account_type", "audience", "client", "verdict",
               "rules", "rule_ids", "excerpt", "images", "outcome", "override_reason", "flagged", "outcome_at",
               "reviewed_at", "reviewed_by", "review_note")


_iso = local_iso  # CSV times: the school's local time with its offset


def export_rows(db: Session, filters: ReviewFilters) -> Iterator[list[str]]:
    """Every matching near-miss as a list of strings in CSV_COLUMNS order (oldest first)."""
    stmt = _listing(filters).order_by(Check.created_at, Check.id).limit(EXPORT_LIMIT)
    for check, staff_name in db.execute(stmt):
        yield [
            check.id, _iso(check.created_at), staff_name or "(removed)", check.platform, check.account_type,
            check.audience, check.client or "", check.verdict,
            "; ".join(rule_title(r) for r in (check.rules or "").split()), (check.rules or "").strip(),
            check.excerpt or "",
            "; ".join(f"#{i.get('index')} faces={i.get('faces', '')} sha256={i.get('sha256', '')}"
                      for i in (check.images or [])),
            check.outcome or "", check.override_reason or "", "yes" if check.flagged else "no",
            _iso(check.outcome_at), _iso(check.reviewed_at), check.reviewed_by or "", check.review_note or "",
        ]


# ---- summary ---------------------------------------------------------------------------------

def local_day(value: datetime) -> date:
    """The school's local date of a stored timestamp (SQLite gives it back naive, in UTC)."""
    return stored_utc(value).astimezone(school_zone()).date()


def local_day_start(day: date) -> datetime:
    """Midnight of a local day, as an aware time (compared with stored UTC times)."""
    return datetime.combine(day, time.min, tzinfo=school_zone())


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Summary:
    weeks: list[date]
    per_week_by_verdict: list[tuple[str, list[int]]]  # near-misses (not rule firings) per week
    per_week_by_rule: list[tuple[str, list[int]]]  # rule firings per week: the breakdown beside it
    outcomes: list[tuple[str, int]]
    top_rules: list[tuple[str, int]]
    by_platform: list[tuple[str, int, int]]  # (platform, near-misses, clean checks)
    total: int
    clean: int
    flagged_unreviewed: int
    unreviewed: int
    oldest: datetime | None
    since: date


def summarise(db: Session, weeks: int, today: date, series_limit: int = 6) -> Summary:
    """Figures for the last `weeks` weeks (Monday to Sunday, the school's local time), this week included."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    week_list = [first + timedelta(weeks=i) for i in range(weeks)]
    rows = db.execute(select(Check.created_at, Check.rules, Check.outcome, Check.flagged, Check.platform,
                             Check.verdict)
                      .where(Check.created_at >= local_day_start(first))).all()
    per_week: dict[date, Tally[str]] = {w: Tally() for w in week_list}
    verdicts: dict[date, Tally[str]] = {w: Tally() for w in week_list}
    rule_totals: Tally[str] = Tally()
    outcomes: Tally[str] = Tally()
    platforms: Tally[str] = Tally()
    for created_at, rules, outcome, flagged, platform, verdict in rows:
        week = week_start(local_day(created_at))
        ids = (rules or "").split()
        if week in per_week:
            per_week[week].update(ids)
            verdicts[week][verdict] += 1
        rule_totals.update(ids)
        outcomes["overridden" if outcome == "posted" else (outcome or "none")] += 1
        platforms[platform] += 1
    named = [r for r, _ in rule_totals.most_common(series_limit)]
    series = [(r, [per_week[w][r] for w in week_list]) for r in named]
    if len(rule_totals) > series_limit:
        series.append(("other", [sum(n for r, n in per_week[w].items() if r not in named) for w in week_list]))
    clean_by_platform = dict(db.execute(
        select(CleanCheckTally.platform, func.sum(CleanCheckTally.count))
        .where(CleanCheckTally.day >= first).group_by(CleanCheckTally.platform)).all())
    clean = db.execute(select(func.coalesce(func.sum(CleanCheckCount.count), 0))
                       .where(CleanCheckCount.day >= first)).scalar_one()
    all_platforms = sorted(set(platforms) | set(clean_by_platform), key=lambda p: (-platforms[p], p))
    counts = lambda stmt: int(db.execute(stmt).scalar_one())  # noqa: E731
    return Summary(
        weeks=week_list,
        per_week_by_verdict=[(v, [verdicts[w][v] for w in week_list]) for v in ("block", "warn", "advice")],
        per_week_by_rule=series,
        outcomes=[(label, outcomes[key]) for key, label in (
            ("edited", "Edited"), ("cancelled", "Cancelled"), ("overridden", "Overridden (posted)"),
            ("none", "No outcome reported"))],
        top_rules=rule_totals.most_common(10),
        by_platform=[(p, platforms[p], int(clean_by_platform.get(p) or 0)) for p in all_platforms],
        total=len(rows),
        clean=int(clean or 0),
        flagged_unreviewed=counts(select(func.count(Check.id)).where(
            Check.flagged.is_(True), Check.reviewed_at.is_(None))),
        unreviewed=counts(select(func.count(Check.id)).where(Check.reviewed_at.is_(None))),
        oldest=db.execute(select(func.min(Check.created_at))).scalar_one(),
        since=first,
    )
