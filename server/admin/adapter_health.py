"""The extension-health page (admins, i.e. IT): composers the extension found on a supported site
but could not gate (no Post button, no image input), counted per day and site, with when each was
first and last seen. A new row here usually means a site changed its page: the adapter named in the
row needs its selectors updated (extension/adapters/, docs/extension.md)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import render_template

from server.adapter_health import rows
from server.admin.blueprint import bp
from server.admin.login import login_required
from server.db import get_db
from server.display import school_zone

DAYS_SHOWN = 30


@bp.get("/adapter-health")
@login_required("admin")
def adapter_health() -> Any:
    since = datetime.now(school_zone()).date() - timedelta(days=DAYS_SHOWN - 1)
    return render_template("admin/adapter_health.html", rows=rows(get_db(), since), days=DAYS_SHOWN)
