"""The admin pages' navigation: a link shows once its page exists and the user's role may see it."""
from __future__ import annotations

from flask import current_app

#: (endpoint, label, roles that may see it). Pages add themselves here.
NAV = (
    ("admin.check_by_eye", "Pupils to check by eye", ("staff", "reviewer", "admin")),
    ("admin.pupils", "No-publish list", ("admin",)),
    ("admin.staff_list", "Staff", ("admin",)),
    ("admin.reports", "Reports from staff", ("admin",)),
    ("admin.audit_log", "Audit log", ("admin",)),
    ("admin.adapter_health", "Extension health", ("admin",)),
    ("admin.review_list", "Near-miss log", ("reviewer", "admin")),
    ("admin.review_summary", "Summary", ("reviewer", "admin")),
)


def admin_links() -> list[tuple[str, str, tuple[str, ...]]]:
    return [link for link in NAV if link[0] in current_app.view_functions]
