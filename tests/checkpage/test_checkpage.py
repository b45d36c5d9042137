"""The phone check page through the Flask test client: page, headers, manifest, service worker."""
from __future__ import annotations

import json
import re

import pytest

from tests.support.helpers import make_test_app

STRICT_CSP = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:"]


@pytest.fixture(scope="module")
def page_client(tmp_path_factory):
    """One app for the tests that only fetch the page's files (no database rows involved)."""
    app, cleanup = make_test_app(tmp_path_factory.mktemp("checkpage"))
    yield app.test_client()
    cleanup()


def csp_directives(response) -> list[str]:
    return [d.strip() for d in response.headers["Content-Security-Policy"].split(";")]


def test_page_is_served_without_a_token(page_client):
    res = page_client.get("/check")
    assert res.status_code == 200 and res.mimetype == "text/html"
    html = res.get_data(as_text=True)
    assert 'id="draft-text"' in html and 'id="signin"' in html
    assert "secondlook_session" not in res.headers.get("Set-Cookie", ""), "no session for the page"


def test_page_sends_a_strict_csp(page_client):
    directives = csp_directives(page_client.get("/check"))
    for directive in STRICT_CSP:
        assert directive in directives
    assert not any("unsafe" in d for d in directives)


def test_page_has_no_inline_script_or_style(page_client):
    html = page_client.get("/check").get_data(as_text=True)
    assert "<style" not in html and " style=" not in html
    for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
        assert tag.strip() == "", "inline script"
    assert re.search(r'<script src="/static/checkpage/check\.js"', html)
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_every_control_has_a_label(page_client):
    html = page_client.get("/check").get_data(as_text=True)
    ids = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html)
    assert {"draft-text", "platform", "photo-camera", "photo-pick", "token-input", "reason"} <= set(ids)
    for control_id in ids:
        labelled = f'for="{control_id}"' in html or re.search(
            rf'<label[^>]*>\s*<input[^>]*id="{control_id}"', html)
        assert labelled, f"control {control_id} has no label"
    assert 'aria-live="polite"' in html


def test_photo_inputs_offer_the_camera(page_client):
    html = page_client.get("/check").get_data(as_text=True)
    camera = re.search(r'<input id="photo-camera"[^>]*>', html).group(0)
    assert 'accept="image/*"' in camera and "capture=" in camera


def test_manifest_is_valid_json_with_a_share_target(page_client):
    res = page_client.get("/check/manifest.webmanifest")
    assert res.status_code == 200 and res.mimetype == "application/manifest+json"
    manifest = json.loads(res.get_data(as_text=True))
    assert manifest["start_url"] == "/check" and manifest["scope"] == "/check"
    assert manifest["display"] == "standalone"
    share = manifest["share_target"]
    assert share["action"] == "/check/share" and share["method"] == "POST"
    assert share["enctype"] == "multipart/form-data"
    assert share["params"]["text"] == "text"
    assert share["params"]["files"][0]["name"] == "images"
    assert "image/*" in share["params"]["files"][0]["accept"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        got = page_client.get(icon["src"])
        assert got.status_code == 200 and got.mimetype == icon["type"]
        got.close()


def test_page_links_the_manifest(page_client):
    html = page_client.get("/check").get_data(as_text=True)
    assert '<link rel="manifest" href="/check/manifest.webmanifest">' in html


def test_service_worker_is_javascript_with_a_scope_covering_check(page_client):
    res = page_client.get("/check/sw.js")
    assert res.status_code == 200
    assert res.mimetype in {"text/javascript", "application/javascript"}
    assert res.headers["Service-Worker-Allowed"] == "/check"
    assert "no-cache" in res.headers["Cache-Control"]
    body = res.get_data(as_text=True)
    assert "/check/share" in body and "formData()" in body
    res.close()
    html = page_client.get("/check").get_data(as_text=True)
    assert 'data-sw="/check/sw.js"' in html and 'data-scope="/check"' in html


def test_share_without_a_service_worker_redirects_with_a_message(page_client):
    """No service worker yet: the shared post is not read or kept, the phone is sent to the page."""
    res = page_client.post("/check/share", data={"text": "Shared from the gallery", "title": "x"},
                      content_type="multipart/form-data")
    assert res.status_code == 303
    assert res.headers["Location"].endswith("/check?shared=unavailable")


def test_share_needs_no_csrf_token_but_other_posts_do(page_client):
    assert page_client.post("/check/share", data={"text": "hi"}).status_code == 303
    assert page_client.post("/admin/login", data={"name": "x", "password": "y"},
                       headers={"Accept": "text/html"}).status_code == 400


@pytest.mark.parametrize("path", ["/check", "/check/manifest.webmanifest", "/check/sw.js"])
def test_check_page_files_need_no_login(page_client, path):
    res = page_client.get(path)
    assert res.status_code == 200
    res.close()


def test_api_answers_a_check_page_draft_with_utf16_spans(client, auth):
    """The page relies on UTF-16 spans: an emoji before the school's name shifts by two units."""
    text = "🎉 Great day at King James's!"
    res = client.post("/api/v1/check", headers=auth, json={
        "text": text, "platform": "instagram", "account_type": "personal", "client": "check-page"})
    finding = res.get_json()["findings"][0]
    units = text.encode("utf-16-le")
    span = finding["span"]
    assert units[span["start"] * 2:span["end"] * 2].decode("utf-16-le") == "King James's"
