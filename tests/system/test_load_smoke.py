"""A short run of bench/load.py against the real server: concurrent text checks, 3-face photo
checks and outcomes, and not one 5xx or dropped connection. Times are printed, never asserted.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.support.serverproc import ServerProcess

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def load_module():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_load_smoke(tmp_path):
    load = load_module()
    server = ServerProcess(tmp_path / "instance", f"sqlite:///{tmp_path / 'load.sqlite'}", workers=2, threads=4,
                           settings=load.HIGH_LIMITS)
    tokens = load.prepare(server, clients=3)
    with server.start():
        report = load.run_load(server.url, tokens, seconds=5, photo=load.three_face_photo())
    print("\n" + report.table())
    assert report.server_errors == 0, (report.statuses, server.log_tail())
    assert not report.errors, report.errors[:5]
    assert report.latencies["text"] and report.latencies["photo"], report.table()
    assert set(report.statuses) == {200}
