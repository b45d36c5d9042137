"""Server-rendered pages for IT and reviewers (session login, CSRF on every form)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from server.admin import views  # noqa: E402,F401  (registers the routes)
from server.admin import audit_log, import_views, pupils  # noqa: E402,F401  (the no-publish list pages)
from server.admin import review  # noqa: E402,F401  (the near-miss review pages)
from server.admin import staff  # noqa: E402,F401  (staff and their tokens)
from server.admin import check_by_eye  # noqa: E402,F401  (name-only pupils, for any signed-in member of staff)
