"""The audit trail: every admin action, login and export, with who, when and what."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from server.models import AuditEvent


def record(db: Session, actor: str | None, action: str, target: str | None = None, **details: Any) -> AuditEvent:
    """Add an audit event to the caller's transaction (committed with the change it describes).

    Never pass biometric data or a draft's text in `details`.
    """
    event = AuditEvent(
        actor=actor,
        action=action,
        target=target,
        details=details,
        ip=request.remote_addr if has_request_context() else "cli",
    )
    db.add(event)
    return event
