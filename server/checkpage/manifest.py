"""The web app manifest: what makes /check installable and a target for the phone's Share sheet."""
from __future__ import annotations

from typing import Any

from flask import url_for

#: Field names the share target posts; the service worker reads the same names.
SHARE_PARAMS = {"title": "title", "text": "text", "url": "url",
                "files": [{"name": "images", "accept": ["image/*", ".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"]}]}


def web_app_manifest(school_name: str) -> dict[str, Any]:
    """The manifest as a dict; URLs come from the routes so they follow the app's mount point."""
    page = url_for("checkpage.page")
    icon = lambda name: url_for("static", filename=f"checkpage/{name}")  # noqa: E731
    return {
        "id": page,
        "name": f"Second Look: check a post ({school_name})",
        "short_name": "Second Look",
        "description": "Check a social media post against the school's policy before you post it.",
        "lang": "en-GB",
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f9",
        "theme_color": "#1f5fbf",
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": icon("icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
        "share_target": {
            "action": url_for("checkpage.share"),
            "method": "POST",
            "enctype": "multipart/form-data",
            "params": SHARE_PARAMS,
        },
    }
