"""The bulk import page: upload a CSV and a ZIP of photos, watch a progress bar, read the report.

The answer is streamed: the page's head first, then a `<progress>` element and a report line per
row as each pupil is imported (the stylesheet shows only the newest bar), so progress shows with
no script and on any worker. Whole-file problems (bad header, unsafe or oversize ZIP) are found
before the stream starts and answered with the form again.

The report ends with the rows that were not imported as a CSV (each with why), built from this
import's own rows and handed to the browser inside the page (a `data:` link), so no copy of the
pupils' names is kept on the server for it; put right, that file imports as it is. A template CSV
(the columns the importer reads, with a made-up example row) is linked from the form and report.
"""
from __future__ import annotations

import base64
from datetime import date
from typing import Any, Iterator

from flask import Response, render_template, request, stream_with_context

from server import services
from server.display import csv_lines
from server.admin.blueprint import bp
from server.admin.login import current_user, login_required
from server.db import session_factory
from server.nopublish import bulk_import


@bp.route("/pupils/import", methods=["GET", "POST"])
@login_required("admin")
def pupil_import() -> Any:
    if request.method == "GET":
        return render_template("admin/import.html", error=None, columns=_columns())
    csv_file, zip_file = request.files.get("csv"), request.files.get("photos")
    try:
        if not csv_file or not csv_file.filename:
            raise bulk_import.ImportRefused("Choose the CSV file.")
        rows = bulk_import.parse_csv(csv_file.stream.read(bulk_import.MAX_CSV_BYTES + 1))
        if not rows:
            raise bulk_import.ImportRefused("The CSV has a header but no pupils.")
        photos = bulk_import.read_zip(zip_file.stream.read()) if zip_file and zip_file.filename else []
    except bulk_import.ImportRefused as exc:
        return render_template("admin/import.html", error=str(exc), columns=_columns()), 422
    actor = current_user().name
    policy = services.policy()
    nopublish = services.nopublish()

    def generate() -> Iterator[str]:
        yield render_template("admin/import_progress.html", part="head", total=len(rows))
        imported = failed = 0
        reports = []
        for done, total, report in bulk_import.import_rows(session_factory(), actor, rows, photos, policy):
            if report.line:
                imported += report.imported
                failed += not report.imported
                reports.append(report)
            yield render_template("admin/import_progress.html", part="row", done=done, total=total, report=report)
        nopublish.invalidate()
        yield render_template("admin/import_progress.html", part="tail", imported=imported, failed=failed,
                              total=len(rows), failed_csv=_failed_rows_link(reports) if failed else None,
                              failed_csv_name=f"import-not-imported-{date.today()}.csv")

    response = Response(stream_with_context(generate()), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # let a proxy pass the progress through
    return response


def _columns() -> dict[str, tuple[str, ...]]:
    return {"required": bulk_import.REQUIRED_COLUMNS, "optional": bulk_import.OPTIONAL_COLUMNS}


def _csv_response(lines: Iterator[str], filename: str) -> Response:
    response = Response("".join(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "no-store"
    return response


def _failed_rows_link(reports: list[bulk_import.RowReport]) -> str:
    """The rows not imported, with why, as a CSV inside a `data:` link (BOM, every cell guarded)."""
    header, rows = bulk_import.failed_rows_table(reports)
    data = "".join(csv_lines(header, rows)).encode("utf-8")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")


@bp.get("/pupils/import/template.csv")
@login_required("admin")
def pupil_import_template() -> Any:
    """The columns the importer reads, in order, with one made-up pupil to show the formats."""
    header = bulk_import.REQUIRED_COLUMNS + bulk_import.OPTIONAL_COLUMNS
    return _csv_response(csv_lines(header, [bulk_import.EXAMPLE_ROW]), "no-publish-import-template.csv")
