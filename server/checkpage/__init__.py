"""The check page for phones: the same checks as the extension, where no extension can run.

`/check` is a plain page (no token needed to load it) whose script calls the v1 API with the
member of staff's token; the blueprint also serves the page's web app manifest, its service
worker (scoped to /check, so it can receive shared photos and text) and the share-target
fallback for phones where the service worker is not running yet.
"""
from server.checkpage.blueprint import bp  # noqa: F401  (the blueprint; its views register below)

from server.checkpage import views  # noqa: F401  (registers the routes)
