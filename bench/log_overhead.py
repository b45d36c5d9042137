"""What the near-miss log adds to a check: `run_check` with and without logging, in process, SQLite.

"Without logging" is the same check (every text rule, the no-publish names, the verdict) without
the log: no redaction, no row, no commit. "With logging" is `run_check` itself, which redacts,
inserts the near-miss row and commits (or, for a clean draft, bumps the daily counters and
commits). Runs are interleaved so machine load hits both sides alike. Prints p50/p99 of each and
the p50 difference. Usage: .venv/bin/python bench/log_overhead.py [--runs 1000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks_common import Draft, verdict_of  # noqa: E402
from server import create_app  # noqa: E402
from server.check_service import run_check, text_checker  # noqa: E402
from server.staff import create_staff  # noqa: E402
from server.db import init_db, session_factory  # noqa: E402
from server.nearmiss.redaction import logged_finding, redacted_excerpt  # noqa: E402
from server import services  # noqa: E402

NEAR_MISS = ("Brilliant afternoon at King James's: our Year 9 netball team won 12-8 against Harrogate "
             "Grammar in the county semi-final! Huge thanks to Mrs Patel for coaching. Any questions ring "
             "me on 07700 900123 or email coach.patel@gmail.com. Final on 4 March at home. #KJSSport")
CLEAN = NEAR_MISS.replace("King James's", "the school").replace("#KJSSport", "Views my own") \
    .replace("07700 900123", "the office").replace("coach.patel@gmail.com", "the office")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def check_only(draft: Draft, db) -> str:  # noqa: ANN001
    """run_check's checking part, without the log."""
    nopublish = services.nopublish()
    findings = text_checker().check(draft, names=nopublish.names(db))
    return verdict_of(findings)


def timed(fn) -> tuple[float, float]:  # noqa: ANN001
    """(wall ms, CPU ms) of one call; CPU time is the steadier figure on a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def measure(app, text: str, runs: int, draft_id: str | None = None) -> dict[str, list[tuple[float, float]]]:  # noqa: ANN001
    draft = Draft(text=text, platform="x", account_type="personal")
    with app.app_context():
        staff, _, _ = create_staff(f"bench-{time.monotonic_ns()}", "staff")
        with session_factory(app)() as db:
            findings = text_checker().check(draft, names=None)
            for _ in range(30):  # warm up both paths
                run_check(draft, [], staff, db, client_draft_id=draft_id)
                check_only(draft, db)
            out: dict[str, list[tuple[float, float]]] = {"without": [], "with": [], "redaction": []}
            for _ in range(runs):
                out["without"].append(timed(lambda: check_only(draft, db)))
                out["with"].append(timed(lambda: run_check(draft, [], staff, db, client_draft_id=draft_id)))
                out["redaction"].append(timed(lambda: (redacted_excerpt(draft.text, findings),
                                                       [logged_finding(f, draft.text) for f in findings])))
    out["findings"] = findings  # type: ignore[assignment]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench",
                          "TESTING": True})
        with app.app_context():
            init_db()
        print(f"run_check in process on SQLite (WAL), {args.runs} interleaved runs each; times in ms")
        for label, text, draft_id in (("near-miss (logged)", NEAR_MISS, None),
                                      ("near-miss typed on (same client_draft_id: one record updated)",
                                       NEAR_MISS, "draft-1"),
                                      ("clean (counted)", CLEAN, None)):
            out = measure(app, text, args.runs, draft_id)
            print(f"\n{label}: {len(text)} chars, {len(out['findings'])} finding(s)")
            for i, clock in enumerate(("wall", "CPU")):
                series = {k: [pair[i] for pair in out[k]] for k in ("without", "with", "redaction")}
                p50 = {k: percentile(v, 50) for k, v in series.items()}
                print(f"  [{clock} time]")
                print(f"    without logging  p50 {p50['without']:7.3f}  p99 {percentile(series['without'], 99):7.3f}")
                print(f"    with logging     p50 {p50['with']:7.3f}  p99 {percentile(series['with'], 99):7.3f}")
                print(f"    redaction alone  p50 {p50['redaction']:7.3f}  p99 {percentile(series['redaction'], 99):7.3f}")
                paired = statistics.median(a - b for a, b in zip(series["with"], series["without"]))
                print(f"    logging adds     p50 {p50['with'] - p50['without']:7.3f}  "
                      f"(median paired difference {paired:.3f}; target <= 1 ms)")
        services.engine(app).dispose()


if __name__ == "__main__":
    main()
