"""The v1 HTTP API the extension and the check page use (DESIGN.md, "HTTP API (v1)")."""
from server.api.blueprint import bp  # noqa: F401  (the blueprint; its views register below)

from server.api import views  # noqa: F401  (registers the routes)
from server.api import mine  # noqa: F401  (GET /checks/mine)
from server.api import report  # noqa: F401  (POST /checks/<id>/report: "this is wrong")
from server.api import adapter_health  # noqa: F401  (POST /adapter-health)
from server.api import signin  # noqa: F401  (/signin/…: device tokens, server/signin/)
from server.api import openapi  # noqa: F401  (init_app: flask-smorest's Api)
