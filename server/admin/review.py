"""The near-miss review pages: the filtered log, one near-miss, CSV export and the summary charts.

Reviewers and admins only. Nothing here shows more than the log holds: the redacted excerpt, rule
ids and what the member of staff did next. Marking as reviewed and exporting are audited.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for

from server import audit, services
from server.admin.blueprint import bp
from server.admin.login import current_user, login_required
from server.db import get_db
from server.display import VERDICT_WORDS, csv_lines, rule_title, school_zone
from server.models import Check, Staff
from server.nearmiss import outcomes
from server.nearmiss.charts import PALETTE, VERDICT_COLOURS, bar_chart, stacked_columns
from server.nearmiss.review_data import (
    CSV_COLUMNS,
    LATER_REPORTS,
    OUTCOMES,
    PER_PAGE,
    PLATFORMS,
    REVIEWED,
    SEVERITIES,
    ReviewFilters,
    export_rows,
    known_rules,
    page_of,
    staff_choices,
    summarise,
)
from server.rule_catalogue import RULES, clause_of, describe
from server.spreadsheet import csv_safe

NOTE_MAX = 2000


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


@bp.get("/review")
@login_required("reviewer", "admin")
def review_list() -> Any:
    db = get_db()
    filters = ReviewFilters.from_args(request.args)
    page = _page_number()
    rows, total = page_of(db, filters, page)
    pages = max(1, -(-total // PER_PAGE))
    same = lambda values: [(v, v) for v in values]  # noqa: E731
    rules = sorted(known_rules(db, [r.id for r in RULES]), key=lambda r: rule_title(r).lower())
    choices = [  # (query argument, label, "any" text, [(value, text)])
        ("rule", "Rule", "Any", [(r, rule_title(r)) for r in rules]),
        ("severity", "Verdict", "Any", [(v, VERDICT_WORDS[v]) for v in SEVERITIES]),
        ("outcome", "Outcome", "Any", list(OUTCOMES.items())),
        ("staff", "Staff", "Anyone", staff_choices(db)),
        ("platform", "Platform", "Any", same(PLATFORMS)),
        ("reviewed", "Review", "Either", list(REVIEWED.items())),
    ]
    return render_template("admin/review_list.html", rows=rows, total=total, page=page, pages=pages,
                           filters=filters, args=filters.query_args(), choices=choices, outcome_words=OUTCOMES)


@bp.route("/review/<check_id>", methods=["GET", "POST"])
@login_required("reviewer", "admin")
def review_detail(check_id: str) -> Any:
    db = get_db()
    check = db.get(Check, check_id) if len(check_id) <= 32 else None
    if check is None:
        abort(404)
    if request.method == "POST":
        note = (request.form.get("note") or "").strip()
        if len(note) > NOTE_MAX:
            flash(f"The note is longer than {NOTE_MAX} characters; shorten it.", "error")
            return redirect(url_for("admin.review_detail", check_id=check.id))
        user = current_user()
        first_time = check.reviewed_at is None
        if first_time:
            check.reviewed_at = datetime.now(timezone.utc)
            check.reviewed_by = user.name
        check.review_note = note or None
        audit.record(db, user.name, "review.mark" if first_time else "review.note", check.id,
                     note_chars=len(note))
        db.commit()
        flash("Marked as reviewed." if first_time else "Review note updated.", "ok")
        return redirect(url_for("admin.review_detail", check_id=check.id))
    staff = db.get(Staff, check.staff_id) if check.staff_id is not None else None
    policy = services.policy()
    findings = []
    for entry in check.findings or []:
        ref = entry.get("clause") or clause_of(entry.get("rule", "")) or ""
        findings.append({**entry, "title": rule_title(entry.get("rule", "")), "what": describe(entry.get("rule", "")),
                         "clause_full": policy.clause(ref) if ref else None})
    return render_template("admin/review_detail.html", check=check, staff=staff, findings=findings,
                           note_max=NOTE_MAX, outcome_words=OUTCOMES, later_words=LATER_REPORTS,
                           history=outcomes.history(db, check.id))


@bp.get("/review/export.csv")
@login_required("reviewer", "admin")
def review_export() -> Any:
    db = get_db()
    filters = ReviewFilters.from_args(request.args)
    rows = list(export_rows(db, filters))
    audit.record(db, current_user().name, "review.export", "near-miss log", filters=filters.describe(),
                 rows=len(rows))
    db.commit()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    response = Response(csv_lines(CSV_COLUMNS, rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="near-misses-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/review/summary")
@login_required("reviewer", "admin")
def review_summary() -> Any:
    raw = request.args.get("weeks", "12")
    weeks = min(max(int(raw), 4), 52) if raw.isdigit() else 12
    db = get_db()
    summary = summarise(db, weeks, datetime.now(school_zone()).date())
    policy = services.policy()
    week_labels = [w.strftime("%d %b") for w in summary.weeks]
    charts = {
        "weekly": stacked_columns("weekly", f"Near-misses per week, last {weeks} weeks, by verdict",
                                  week_labels, [(VERDICT_WORDS[v], counts) for v, counts in summary.per_week_by_verdict],
                                  colours=[VERDICT_COLOURS[v] for v, _ in summary.per_week_by_verdict]),
        "outcomes": bar_chart("outcomes", "What staff did next", summary.outcomes,
                              colours=[PALETTE[2], PALETTE[4], PALETTE[5], "#9AA0A6"]),
        "rules": bar_chart("rules", "Top rules", [(rule_title(r), n) for r, n in summary.top_rules]),
        "platforms": bar_chart("platforms", "Near-misses by platform",
                               [(p, n) for p, n, _ in summary.by_platform], colours=None),
    }
    rule_rows = [(rule_title(r), values) for r, values in summary.per_week_by_rule]
    return render_template("admin/review_summary.html", summary=summary, charts=charts, weeks=weeks,
                           retention_days=policy.retention_days, week_labels=week_labels,
                           rule_rows=rule_rows)
