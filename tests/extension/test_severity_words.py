"""One source for the severity wording: the extension packages lib/severity.js and the phone check
page is served the same file (server/static/shared/severity.js is a link to it), byte for byte
(issue 15)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_COPY = ROOT / "extension" / "lib" / "severity.js"
SERVED_COPY = ROOT / "server" / "static" / "shared" / "severity.js"


def test_the_extension_and_the_phone_page_share_the_same_file():
    assert EXTENSION_COPY.read_bytes() == SERVED_COPY.read_bytes(), (
        "server/static/shared/severity.js must be the link to extension/lib/severity.js")


def test_the_phone_page_loads_it_and_it_is_served(client):
    page = client.get("/check").get_data(as_text=True)
    assert page.index("/static/shared/severity.js") < page.index("/static/checkpage/check.js")
    served = client.get("/static/shared/severity.js")
    assert served.status_code == 200 and served.data == EXTENSION_COPY.read_bytes()
    served.close()


def test_neither_client_keeps_its_own_wording():
    check_js = (ROOT / "server" / "static" / "checkpage" / "check.js").read_text()
    overlay = (ROOT / "extension" / "content" / "overlay.js").read_text()
    for text in (check_js, overlay, (ROOT / "extension" / "lib" / "findings.js").read_text()):
        assert "Must not be posted" not in text and "do not post this" not in text
