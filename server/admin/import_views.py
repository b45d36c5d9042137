"""The bulk import page: upload a CSV and a ZIP of photos, watch a progress bar, read the report.

The answer is streamed: the page's head first, then a `<progress>` element and a report line per
row as each pupil is imported (the stylesheet shows only the newest bar), so progress shows with
no script and on any worker. Whole-file problems (bad header, unsafe or oversize ZIP) are found
before the stream starts and answered with the form again.
"""
from __future__ import annotations

from typing import Any, Iterator

from flask import Response, render_template, request, stream_with_context

from server import services
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
        for done, total, report in bulk_import.import_rows(session_factory(), actor, rows, photos, policy):
            if report.line:
                imported += report.imported
                failed += not report.imported
            yield render_template("admin/import_progress.html", part="row", done=done, total=total, report=report)
        nopublish.invalidate()
        yield render_template("admin/import_progress.html", part="tail", imported=imported, failed=failed,
                              total=len(rows))

    response = Response(stream_with_context(generate()), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # let a proxy pass the progress through
    return response


def _columns() -> dict[str, tuple[str, ...]]:
    return {"required": bulk_import.REQUIRED_COLUMNS, "optional": bulk_import.OPTIONAL_COLUMNS}
