#!/usr/bin/env python3
"""Time and peak memory of the image pipeline on each hostile file (tests/data/hostile/).

Each file runs in a fresh child process (so its peak RSS is its own): intake, safe decode and the
full `check_images` with a one-pupil list, from a school account (faces are encoded and compared).
The models are loaded before the clock starts; the baseline row is a plain 64 x 64 PNG.

    .venv/bin/python bench/hostile_images.py
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "data" / "hostile"

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
import numpy as np
from checks_common import Draft
from checks_common.policy import default_policy
from image_checks import ImageInput, check_images
from image_checks.index import NoPublishIndex
from image_checks.intake import IntakeError, check_upload
policy = default_policy()
index = NoPublishIndex.from_rows([(1, np.linspace(-0.2, 0.2, 128).tobytes())])
draft = Draft(text="Sports day", platform="x", account_type="school", account_handle="@kjs_sport", audience="public")
import io
from PIL import Image
out = io.BytesIO(); Image.new("RGB", (64, 64), (90, 120, 200)).save(out, "PNG"); plain = out.getvalue()
check_images([ImageInput(0, plain)], draft, policy, index)  # load the models first: not the file's cost
data = open(sys.argv[1], "rb").read() if sys.argv[1] != "-" else plain
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    check_upload(data, 10 * 1024 * 1024)
    findings = check_images([ImageInput(0, data)], draft, policy, index)
    outcome = "checked: " + (",".join(sorted({f.rule for f in findings})) or "no findings")
except IntakeError as exc:
    outcome = f"refused: {exc.code} ({exc.reason[:50]})"
ms = (time.perf_counter() - started) * 1000
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": ms, "peak_mb": peak / 1024, "grew_mb": (peak - before) / 1024, "outcome": outcome}))
"""


def measure(path: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, path, str(ROOT)], capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        return {"ms": float("nan"), "peak_mb": float("nan"), "grew_mb": float("nan"),
                "outcome": f"CRASHED (exit {out.returncode}): {out.stderr.strip().splitlines()[-1:]}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    rows = [("baseline 64x64 PNG", 0, measure("-"))]
    for path in sorted(HOSTILE.iterdir()):
        rows.append((path.name, path.stat().st_size, measure(str(path))))
    print(f"{'file':34} {'bytes':>10} {'ms':>8} {'peak MB':>8} {'+MB':>6}  outcome")
    for name, size, r in rows:
        print(f"{name:34} {size:>10,} {r['ms']:>8.1f} {r['peak_mb']:>8.0f} {r['grew_mb']:>6.0f}  {r['outcome']}")
    return 1 if any("CRASHED" in r["outcome"] for _, _, r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
