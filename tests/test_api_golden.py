"""The API answers byte for byte as recorded: the moves of issue 15 must change no answer.

Each case is sent to a fresh app and its status, content type and body compared with
tests/data/api_golden/<case>.json. The only parts masked are the ones that differ on every run
(a check's random id and the time it took). To record again after an intended change of an
answer: `SECONDLOOK_RECORD_GOLDEN=1 .venv/bin/python -m pytest tests/test_api_golden.py`, and
say in the commit why the answer changed.
"""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import draft

GOLDEN = Path(__file__).resolve().parent / "data" / "api_golden"
RECORD = os.environ.get("SECONDLOOK_RECORD_GOLDEN") == "1"
VOLATILE = (
    (re.compile(rb'"check_id":\s*"[0-9a-f]{32}"'), b'"check_id":"<check-id>"'),
    (re.compile(rb'"elapsed_ms":\s*[0-9.eE+-]+'), b'"elapsed_ms":0'),
)


def _text(text: str, **overrides: Any) -> dict[str, Any]:
    return {"method": "post", "path": "/api/v1/check", "json": draft(text, **overrides), "auth": True}


CASES: dict[str, dict[str, Any]] = {
    "check-clean": _text("Well done to our U14 netball team who beat St Aidan's 24-12 on Saturday!",
                         account_type="school"),
    "check-disclaimer": _text("🎉🎉 Well done to everyone at King James's School on a brilliant open evening!"),
    "check-identifier": _text("Can someone update SIMS? UPN B801200005001 has the wrong tutor group.",
                              account_type="school"),
    "check-contact-and-tone": _text("PARENTS PLEASE STOP PARKING ON THE ZIGZAGS, text me on 07700 900123.",
                                    account_type="school"),
    "check-derogatory": _text("SLT are clueless, absolutely no idea what happens in classrooms."),
    "check-direct": _text("Hi, can you come and see me at break about your coursework?",
                          account_type="school", audience="direct"),
    "error-invalid-fields": {"method": "post", "path": "/api/v1/check", "auth": True,
                             "json": {"text": 5, "platform": "myspace", "audience": "public", "extra": 1}},
    "error-not-an-object": {"method": "post", "path": "/api/v1/check", "auth": True, "json": [1, 2]},
    "error-malformed-json": {"method": "post", "path": "/api/v1/check", "auth": True,
                             "data": b'{"text": ', "content_type": "application/json"},
    "error-content-type": {"method": "post", "path": "/api/v1/check", "auth": True,
                           "data": b"text=hello", "content_type": "text/plain"},
    "error-no-token": {"method": "post", "path": "/api/v1/check", "auth": False, "json": draft("Hello")},
    "error-image-type": {"method": "post", "path": "/api/v1/check", "auth": True, "multipart": True},
    "error-unknown-outcome": {"method": "post", "path": "/api/v1/checks/0123456789abcdef/outcome",
                              "auth": True, "json": {"action": "edited"}},
    "error-unknown-route": {"method": "get", "path": "/api/v1/nothing-here", "auth": False},
    "health": {"method": "get", "path": "/api/v1/health", "auth": False},
    "openapi": {"method": "get", "path": "/api/v1/openapi.json", "auth": False},
}


def _send(client: Any, auth: dict[str, str], case: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {"headers": auth if case["auth"] else {}}
    if "json" in case:
        kwargs["json"] = case["json"]
    if "data" in case:
        kwargs["data"] = case["data"]
        kwargs["content_type"] = case["content_type"]
    if case.get("multipart"):
        kwargs["data"] = {"draft": json.dumps(draft("Sports day!")),
                          "images": (io.BytesIO(b"just some text, not a picture\n" * 4), "notes.jpg")}
        kwargs["content_type"] = "multipart/form-data"
    return getattr(client, case["method"])(case["path"], **kwargs)


def _answer(res: Any) -> dict[str, Any]:
    body = res.get_data()
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return {"status": res.status_code, "content_type": res.content_type, "body": body.decode("utf-8")}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("name", sorted(CASES))
def test_api_answers_as_recorded(client, auth, name):
    answer = _answer(_send(client, auth, CASES[name]))
    path = GOLDEN / f"{name}.json"
    if RECORD:
        path.write_text(json.dumps(answer, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert answer == recorded
