"""A worker's memory under hostile image requests, on a real server process (printed, never asserted).

    .venv/bin/python bench/memory.py [--requests 20]

One gunicorn worker (4 threads). Before: an ordinary photo. Then `--requests` requests in a row,
each of two plain 7000x7000 (49 MP) JPEGs (within the request's pixel budget: checked), and one of
four (beyond it: refused). RSS and peak RSS (VmHWM) of the worker after each.
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from server.staff import create_staff  # noqa: E402
from tests.support.serverproc import ServerProcess  # noqa: E402
from tests.system.test_image_memory import _check, _memory, _plain_jpeg  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="secondlook-memory-"))
    proc = ServerProcess(tmp / "instance", f"sqlite:///{tmp / 'memory.sqlite'}", workers=1, threads=4)
    app = proc.init_db()
    with app.app_context():
        token = create_staff("memory-bench", "staff")[1]
    big = [_plain_jpeg(seed=i) for i in range(4)]
    ordinary = io.BytesIO()
    Image.fromarray(np.full((900, 1200, 3), 128, np.uint8)).save(ordinary, "JPEG")
    with proc.start():
        _check(proc, token, [ordinary.getvalue()])
        (worker,) = proc.worker_pids()
        mem = _memory(worker)
        print(f"after one ordinary photo: RSS {mem['VmRSS'] / 2**20:.0f} MB, peak {mem['VmHWM'] / 2**20:.0f} MB")
        for i in range(args.requests):
            t = time.perf_counter()
            status4, _, body = _check(proc, token, big)
            status2, _, _ = _check(proc, token, big[:2])
            mem = _memory(worker) if worker in proc.worker_pids() else {"VmRSS": 0, "VmHWM": 0}
            print(f"  {i + 1:2}: four 49 MP -> {status4} {body.get('error', {}).get('code', '')}; two 49 MP -> "
                  f"{status2}; RSS {mem['VmRSS'] / 2**20:.0f} MB, peak {mem['VmHWM'] / 2**20:.0f} MB "
                  f"({time.perf_counter() - t:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
