"""Run the extension's pure-logic tests (Node's built-in runner) so `make test` reports them too.

The JavaScript tests live in tests/js/ (offset mapping on the real editors' saved DOM, adapters,
debounce and staleness, the Post gate's decisions, settings precedence, the service worker's
message switch and its error handling).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the extension's tests need Node.js 20 or later")
    if not (ROOT / "node_modules" / "linkedom").is_dir():
        pytest.fail("node_modules/linkedom is missing: run `make test` (it runs `npm install`)")
    result = subprocess.run([node, "--test", "--test-reporter=spec", "tests/js/"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    summary = "\n".join(line for line in result.stdout.splitlines() if line.lstrip().startswith(("ℹ", "✖")))
    assert result.returncode == 0, f"node --test tests/js/ failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    assert "ℹ fail 0" in result.stdout, summary
    assert "ℹ pass 0" not in result.stdout, "no JavaScript test ran"
