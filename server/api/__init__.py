"""The v1 HTTP API the extension and the check page use (DESIGN.md, "HTTP API (v1)")."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from server.api import views  # noqa: E402,F401  (registers the routes)
from server.api import mine  # noqa: E402,F401  (GET /checks/mine)
from server.api import adapter_health  # noqa: E402,F401  (POST /adapter-health)
