"""Near-miss rows for the review, purge and staff-view tests, written straight into the log."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from server.db import session_factory
from server.models import Check, new_check_id
from server.rule_catalogue import BY_ID


def add_check(app: Any, staff_id: int | None, *, rules: tuple[str, ...] = ("missing-disclaimer",),
              verdict: str = "warn", days_ago: float = 0, **fields: Any) -> str:
    """Insert one near-miss `days_ago` days back; returns its id."""
    values = {
        "id": new_check_id(), "staff_id": staff_id, "platform": "x", "account_type": "personal",
        "audience": "public", "verdict": verdict,
        "created_at": datetime.now(timezone.utc) - timedelta(days=days_ago),
        "findings": [{"rule": r, "severity": BY_ID[r].severity if r in BY_ID else verdict,
                      "clause": BY_ID[r].clause if r in BY_ID else "2.4", "span": [0, 5]} for r in rules],
        "rules": " " + " ".join(sorted(rules)) + " ", "excerpt": "…at King James's today…", "images": [],
    }
    values.update(fields)
    with session_factory(app)() as db:
        db.add(Check(**values))
        db.commit()
    return values["id"]
