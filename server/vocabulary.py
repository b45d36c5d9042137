"""The words a check and its log are made of (platforms, audiences, verdicts …): one source for the
API's schemas, the near-miss log's filters and the review pages."""
from __future__ import annotations

from checks_common import SEVERITIES

PLATFORMS = ("x", "facebook", "linkedin", "instagram", "other")
ACCOUNT_TYPES = ("school", "personal")
AUDIENCES = ("public", "group", "direct")
CLIENTS = ("extension", "check-page", "api")
ACTIONS = ("posted", "edited", "cancelled")
VERDICTS = ("pass", "advice", "warn", "block")

__all__ = ["ACCOUNT_TYPES", "ACTIONS", "AUDIENCES", "CLIENTS", "PLATFORMS", "SEVERITIES", "VERDICTS"]
