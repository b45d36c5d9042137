"""Start the real production server (`secondlook serve`, gunicorn) for a benchmark, on a temp database."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(workers: int = 2, threads: int = 4, extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """Yield (base_url, staff_token) for a fresh server; stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="secondlook-bench-") as instance:
        # A benchmark measures throughput, not the per-token rate limit: lift it.
        limits = {f"SECONDLOOK_{k}": "1000000/minute" for k in ("RATE_LIMIT", "RATE_LIMIT_ADDRESS", "LOGIN_RATE_LIMIT")}
        env = {**os.environ, **limits, "SECONDLOOK_INSTANCE_PATH": instance,
               "SECONDLOOK_DATABASE_URL": f"sqlite:///{instance}/bench.sqlite", **(extra_env or {})}
        subprocess.run([str(BIN / "secondlook"), "init-db"], env=env, check=True, capture_output=True)
        added = subprocess.run([str(BIN / "secondlook"), "staff", "add", "bench"], env=env, check=True,
                               capture_output=True, text=True)
        token = added.stdout.strip().splitlines()[-1]
        port = free_port()
        proc = subprocess.Popen([str(BIN / "secondlook"), "serve", "--port", str(port), "--workers", str(workers),
                                 "--threads", str(threads)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/v1/health", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("server did not start")
                    time.sleep(0.2)
            yield url, token
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]
