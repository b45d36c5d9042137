"""The OpenAPI document (built by flask-smorest from the views and schemas) still describes, by
meaning, everything each recorded document described: every path, method, parameter, request body
content type, response status and schema property, with the same types, enums and limits.

Recordings: `openapi-hand-written.json` (the last hand-written document, before flask-smorest) and
`openapi.json` (the current one). The live document may add to them, never drop or change. To
record again after a deliberate change: `SECONDLOOK_GOLDEN_WRITE=1 .venv/bin/python -m pytest
tests/api/test_openapi_document.py`.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "api_golden"
WRITE = os.environ.get("SECONDLOOK_GOLDEN_WRITE") == "1"
RECORDINGS = ["openapi-hand-written.json", "openapi.json"]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def resolved(node: Any, doc: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """`node` with every local $ref replaced by what it points at (a ref met again inside itself stays)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
            target: Any = doc
            for part in ref[2:].split("/"):
                target = target[part]
            return resolved(target, doc, seen + (ref,))
        return {k: resolved(v, doc, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [resolved(v, doc, seen) for v in node]
    return node


def operations(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(path, method) -> the operation, refs resolved, path-level parameters moved into it and
    parameters keyed by (in, name)."""
    ops = {}
    for path, item in doc["paths"].items():
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method not in METHODS:
                continue
            op = resolved(op, doc)
            params = resolved(shared, doc) + op.pop("parameters", [])
            op["parameters"] = {(p["in"], p.get("name", "")): p for p in params}
            ops[path, method] = op
    return ops


def missing(old: Any, new: Any, where: str = "") -> list[str]:
    """What `old` says that `new` does not (dicts: every key; lists: every item somewhere in new)."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return [f"{where}: {old!r} became {new!r}"]
        return [m for k, v in old.items()
                for m in (missing(v, new[k], f"{where}/{k}") if k in new else [f"{where}/{k}: gone"])]
    if isinstance(old, list) and isinstance(new, list):
        return [f"{where}[{i}]: {item!r} gone" for i, item in enumerate(old)
                if all(missing(item, candidate) for candidate in new)]
    return [] if old == new else [f"{where}: {old!r} became {new!r}"]


def differences(recorded: dict[str, Any], live: dict[str, Any]) -> list[str]:
    found = missing({k: recorded["info"][k] for k in ("title", "version")}, live["info"], "info")
    found += missing(recorded["components"].get("securitySchemes", {}), live["components"]["securitySchemes"],
                     "securitySchemes")
    for name, schema in recorded["components"]["schemas"].items():
        found += missing(resolved(schema, recorded), resolved(live["components"]["schemas"].get(name, {}), live),
                         f"schemas/{name}")
    live_ops = operations(live)
    for key, op in operations(recorded).items():
        if key not in live_ops:
            found.append(f"{key[1].upper()} {key[0]}: gone")
            continue
        found += missing(op, live_ops[key], f"{key[1].upper()} {key[0]}")
    return found


@pytest.fixture
def live(client) -> dict[str, Any]:
    res = client.get("/api/v1/openapi.json")
    assert res.status_code == 200 and res.content_type == "application/json"
    return res.json


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("name", RECORDINGS)
def test_document_still_describes_everything_recorded(live, name):
    path = GOLDEN / name
    if WRITE and name == "openapi.json":
        path.write_text(json.dumps(live, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    if "body" in recorded:  # recorded as an answer (status, content type, body)
        recorded = json.loads(recorded["body"])
    assert differences(recorded, live) == []


def test_the_comparison_can_fail(live):
    """Dropping a path, a method, a property or a limit is caught."""
    recorded = json.loads(json.loads((GOLDEN / "openapi-hand-written.json").read_text(encoding="utf-8"))["body"])
    assert differences(recorded, live) == []
    for change in (
        lambda d: d["paths"].pop("/api/v1/health"),
        lambda d: d["paths"]["/api/v1/check"].pop("post"),
        lambda d: d["components"]["schemas"]["Draft"]["properties"].pop("audience"),
        lambda d: d["components"]["schemas"]["Finding"]["properties"]["severity"]["enum"].pop(),
        lambda d: d["components"]["schemas"]["DraftUpload"]["properties"]["images"].update(maxItems=5),
        lambda d: d["paths"]["/api/v1/checks/mine"]["get"]["responses"].pop("422"),
    ):
        changed = json.loads(json.dumps(live))
        change(changed)
        assert differences(recorded, changed), change
