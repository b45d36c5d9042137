"""Property-based fuzzing of every operation in /api/v1/openapi.json: never a 5xx, every error in shape.

The operations come from the live OpenAPI document, so endpoints added later are fuzzed too.
Inputs: arbitrary and schema-shaped JSON with wrong types, huge strings, odd Unicode (lone
surrogates, RTL overrides, zero-width joiners, combining marks, NUL), malformed JSON bytes,
odd path and query values, and multipart bodies with missing, duplicated and unknown parts,
wrong or missing boundaries and random image bytes. Hypothesis settings are bounded (see
SETTINGS) so the module takes well under a minute.
"""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.errors import CODES
from server.signin.provider import ERROR_CODES as SIGNIN_ERROR_CODES
from tests.support.helpers import draft, make_test_app

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
ERROR_CODES = set(CODES.values()) | SIGNIN_ERROR_CODES
ODD = ["\ud800", "\udfff", "\ud83d", "\u200f", "\u202e", "\u2066", "\u200d", "\u200b", "\ufeff", "\u0301",
       "\u0000", "\U0010ffff", "👩\u200d👩\u200d👧", "e\u0301\u0301\u0301", "King James\u2019s", "\r\n",
       "<script>", "'; DROP TABLE checks; --", "%00", "\\", "\"", "{{7*7}}", "${jndi:x}"]


def odd_text(max_size: int = 60) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(ODD), st.text(max_size=8))
    return st.lists(pieces, max_size=max_size).map("".join)


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                        odd_text(12), st.sampled_from(["x", "school", "public", "posted", ""]))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(odd_text(6), inner, max_size=4)),
                        max_leaves=12)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app, cleanup = make_test_app(tmp_path_factory.mktemp("fuzz"))
    from server.staff import create_staff
    with app.app_context():
        _, token, _ = create_staff("fuzzer", "staff")
    client = app.test_client()
    doc = client.get("/api/v1/openapi.json").json
    seed = client.post("/api/v1/check", json=draft("Proud of our Year 9s at King James's today!"),
                       headers={"Authorization": f"Bearer {token}"}).json["check_id"]
    yield {"app": app, "client": client, "token": token, "doc": doc, "check_id": seed}
    cleanup()


def operations(doc: dict) -> list[tuple[str, str, dict]]:
    return [(path, method.upper(), op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def schema_props(doc: dict, op: dict) -> dict[str, Any]:
    """Property names (with a valid-looking example) of the operation's JSON body, from the document."""
    content = (op.get("requestBody") or {}).get("content", {})
    ref = (content.get("application/json") or {}).get("schema", {}).get("$ref", "")
    schema = doc["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    example = {}
    for name, prop in schema.get("properties", {}).items():
        example[name] = (prop.get("enum") or ["posted" if name == "action" else "x"])[0]
    return example


def assert_documented(op: dict, res, where: str) -> None:
    assert res.status_code < 500, (where, res.status_code, res.get_data(as_text=True)[:300])
    assert str(res.status_code) in op["responses"] or res.status_code in (405, 429), (
        where, res.status_code, sorted(op["responses"]))
    if res.status_code >= 400:
        assert res.is_json, (where, res.get_data(as_text=True)[:200])
        body = res.json
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
        assert body["error"]["code"] in ERROR_CODES
        assert isinstance(body["error"]["message"], str) and isinstance(body["error"]["fields"], dict)
        assert "Traceback" not in res.get_data(as_text=True)


def fill_path(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", quote(value.encode("utf-8", "surrogatepass"), safe=""), path)


def test_the_document_lists_the_core_operations(world):
    ops = {(p, m) for p, m, _ in operations(world["doc"])}
    assert {("/api/v1/check", "POST"), ("/api/v1/checks/{check_id}/outcome", "POST"),
            ("/api/v1/health", "GET")} <= ops


@SETTINGS
@given(data=st.data())
def test_json_bodies(world, data):
    """Every operation with a JSON body: arbitrary values, or its schema with fields broken."""
    client, doc = world["client"], world["doc"]
    for path, method, op in operations(doc):
        if "application/json" not in (op.get("requestBody") or {}).get("content", {}):
            continue
        example = schema_props(doc, op)
        body = data.draw(st.one_of(
            json_values(),
            st.fixed_dictionaries({k: st.one_of(st.just(v), json_values(), odd_text())
                                   for k, v in example.items()},
                                  optional={"surprise": json_values()}),
        ), label=path)
        url = fill_path(path, data.draw(st.sampled_from([world["check_id"], "x", "0" * 40]), label="id"))
        payload = json.dumps(body, ensure_ascii=data.draw(st.booleans(), label="ascii"),
                             allow_nan=False).encode("utf-8", "surrogatepass")
        res = client.open(url, method=method, data=payload, content_type="application/json",
                          headers={"Authorization": f"Bearer {world['token']}"})
        assert_documented(op, res, f"{method} {path} {payload[:120]!r}")


@SETTINGS
@given(raw=st.one_of(st.binary(max_size=300),
                     st.sampled_from([b"", b"{", b"[]", b"null", b'{"text": "\\ud800"', b'"\\ud800"',
                                      b'{"text": 1e999}', b"\xff\xfe{}", b'{"a":' * 2000,
                                      b'{"text":"' + b"\xed\xa0\x80" + b'","platform":"x","account_type":"school"}'])),
       content_type=st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain",
                                     "application/x-www-form-urlencoded", "", "application/json; boundary=x"]))
def test_malformed_bytes(world, raw, content_type):
    client, doc = world["client"], world["doc"]
    for path, method, op in operations(doc):
        if method != "POST":
            continue
        res = client.open(fill_path(path, world["check_id"]), method=method, data=raw, content_type=content_type,
                          headers={"Authorization": f"Bearer {world['token']}"})
        assert_documented(op, res, f"{method} {path} {content_type} {raw[:80]!r}")


@SETTINGS
@given(value=odd_text(20), query=st.dictionaries(st.sampled_from(["page", "per_page", "q", "x"]),
                                                  odd_text(8), max_size=3),
       auth=st.sampled_from(["good", "none", "garbage", "odd"]))
def test_paths_queries_and_auth(world, value, query, auth):
    client, doc = world["client"], world["doc"]
    headers = {"good": {"Authorization": f"Bearer {world['token']}"}, "none": {},
               "garbage": {"Authorization": "Bearer sl_nope"},
               "odd": {"Authorization": "Basic " + quote(value.encode("utf-8", "surrogatepass"))}}[auth]
    qs = "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in query.items())
    for path, method, op in operations(doc):
        url = fill_path(path, value or "x") + ("?" + qs if qs else "")
        body = {"json": schema_props(doc, op)} if method == "POST" else {}
        res = client.open(url, method=method, headers=headers, **body)
        assert_documented(op, res, f"{method} {url} auth={auth}")


def test_huge_bodies_and_strings(world):
    client, doc = world["client"], world["doc"]
    auth = {"Authorization": f"Bearer {world['token']}"}
    check_op = doc["paths"]["/api/v1/check"]["post"]
    # "é" is 6 bytes once JSON-escaped: 200,000 of them pass 1 MB, refused before parsing.
    for n, status in ((19_999, 200), (20_000, 200), (20_001, 422), (100_000, 422), (200_000, 413)):
        res = client.post("/api/v1/check", json=draft("é" * n), headers=auth)
        assert_documented(check_op, res, f"text of {n}")
        assert res.status_code == status, n
    res = client.post("/api/v1/check", data=b"{" + b" " * (2 * 1024 * 1024) + b"}", content_type="application/json",
                      headers=auth)
    assert res.status_code == 413 and res.json["error"]["code"] == "payload_too_large"
    res = client.post("/api/v1/check", json=draft("x", account_handle="@" + "h" * 5000), headers=auth)
    assert res.status_code == 422 and "account_handle" in res.json["error"]["fields"]


@pytest.mark.parametrize("text", ["Proud of our Year 9s at King James's today! \ud83d",
                                  "\udfff King James's School rocks", "Call 07700 900123 \ud800"])
def test_lone_surrogates_are_checked_not_crashed(world, text):
    """Found by this module: a lone surrogate in a logged draft was a 500 (now U+FFFD, same UTF-16 length)."""
    auth = {"Authorization": f"Bearer {world['token']}"}
    res = world["client"].post("/api/v1/check", data=json.dumps(draft(text)), content_type="application/json",
                               headers=auth)
    assert res.status_code == 200 and res.json["findings"]
    for finding in res.json["findings"]:
        if finding["span"]:
            assert finding["span"]["end"] <= len(text.encode("utf-16-le", "surrogatepass")) // 2
    res = world["client"].post(f"/api/v1/checks/{res.json['check_id']}/outcome", headers=auth,
                               data=json.dumps({"action": "posted", "override_reason": "\ud800 fine"}),
                               content_type="application/json")
    assert res.status_code in (200, 422)


# --- multipart ---------------------------------------------------------------------------------

PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5a8f8b00000000049454e44ae426082")
HEADERS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"<svg", b""]


def part(name: str, body: bytes, filename: str | None = None, ctype: str | None = None) -> bytes:
    disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    head = f"Content-Disposition: {disp}\r\n" + (f"Content-Type: {ctype}\r\n" if ctype else "")
    return head.encode("utf-8", "surrogatepass") + b"\r\n" + body


def multipart_cases() -> st.SearchStrategy[tuple[bytes, str]]:
    draft_json = st.one_of(st.just(json.dumps(draft("Sports day")).encode()),
                           json_values().map(lambda v: json.dumps(v).encode()),
                           st.binary(max_size=40))
    image = st.tuples(st.sampled_from(HEADERS), st.binary(max_size=200)).map(lambda t: t[0] + t[1])
    one_part = st.one_of(
        draft_json.map(lambda b: part("draft", b)),
        st.one_of(image, st.just(PNG_1PX)).map(lambda b: part("images", b, "a.png", "image/png")),
        st.tuples(odd_text(6), st.binary(max_size=20)).map(lambda t: part(t[0] or "z", t[1], "f")),
        st.binary(max_size=30),  # a part with no headers at all
    )
    boundary = st.sampled_from(["b0undary", "x" * 70, "a b", "ü", ""])
    header_boundary = st.one_of(st.none(), boundary)

    def build(parts: list[bytes], body_b: str, head_b: str | None, truncate: bool) -> tuple[bytes, str]:
        sep = b"--" + body_b.encode("utf-8")
        body = b"".join(sep + b"\r\n" + p + b"\r\n" for p in parts) + sep + b"--\r\n"
        if truncate:
            body = body[: len(body) // 2]
        ctype = "multipart/form-data" + (f"; boundary={head_b}" if head_b is not None else "")
        return body, ctype

    return st.builds(build, st.lists(one_part, max_size=6), boundary, header_boundary, st.booleans())


@SETTINGS
@given(case=multipart_cases())
def test_multipart_bodies(world, case):
    body, ctype = case
    op = world["doc"]["paths"]["/api/v1/check"]["post"]
    res = world["client"].post("/api/v1/check", data=body, content_type=ctype,
                               headers={"Authorization": f"Bearer {world['token']}"})
    assert_documented(op, res, f"{ctype} {body[:200]!r}")


def test_multipart_duplicate_and_missing_parts(world):
    op = world["doc"]["paths"]["/api/v1/check"]["post"]
    auth = {"Authorization": f"Bearer {world['token']}"}
    good = json.dumps(draft("Sports day")).encode()
    cases = {
        "two drafts": [part("draft", good), part("draft", good)],
        "no draft": [part("images", PNG_1PX, "a.png")],
        "draft as a file": [part("draft", good, "draft.json", "application/json")],
        "image without filename": [part("draft", good), part("images", PNG_1PX)],
        "five images": [part("draft", good)] + [part("images", PNG_1PX, f"{i}.png") for i in range(5)],
        "nothing": [],
    }
    for name, parts in cases.items():
        body = b"".join(b"--B\r\n" + p + b"\r\n" for p in parts) + b"--B--\r\n"
        res = world["client"].post("/api/v1/check", data=body, content_type="multipart/form-data; boundary=B",
                                   headers=auth)
        assert_documented(op, res, name)
        assert res.status_code == 422, (name, res.json)


def test_a_truncated_upload_leaves_no_open_spool(world, monkeypatch):
    """Found by test_multipart_bodies: werkzeug drops a half-parsed file part without closing it."""
    import gc
    import sys
    leaks = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: leaks.append(repr(u.exc_value)))
    body = b"--B\r\n" + part("images", PNG_1PX * 50, "a.png", "image/png") + b"\r\n--B\r\n" + b"Content-Disp"
    res = world["client"].post("/api/v1/check", data=body, content_type="multipart/form-data; boundary=B",
                               headers={"Authorization": f"Bearer {world['token']}"})
    assert res.status_code == 422
    del res
    gc.collect()
    assert not [leak for leak in leaks if "SpooledTemporaryFile" in leak or "FileIO" in leak], leaks
