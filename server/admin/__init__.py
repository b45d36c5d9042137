"""Server-rendered pages for IT and reviewers (session login, CSRF on every form)."""
from server.admin.blueprint import bp  # noqa: F401  (the blueprint; its views register below)

from server.admin import views  # noqa: F401  (registers the routes)
from server.admin import audit_log, import_views, pupils  # noqa: F401  (the no-publish list pages)
from server.admin import review  # noqa: F401  (the near-miss review pages)
from server.admin import staff  # noqa: F401  (staff and their tokens)
from server.admin import check_by_eye  # noqa: F401  (name-only pupils, for any signed-in member of staff)
from server.admin import reports  # noqa: F401  (reports from staff, answered by the Director of IT)
from server.admin import adapter_health  # noqa: F401  (IT: composers the extension could not gate)
from server.admin import devices  # noqa: F401  (staff's signed-in devices, QR sign-in codes)
