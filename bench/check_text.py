"""Latency of a text check: in process (every text rule), and through the real WSGI server.

Prints p50/p99 for a 280-character draft, a 5,000-character draft (one post repeated) and 5,000
characters of different real posts in process, then requests per second and p50/p99 of POST
/api/v1/check for a 280-character post with concurrent clients through gunicorn.
Usage: .venv/bin/python bench/check_text.py [--seconds 10] [--clients 8] [--in-process-only]
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import http.client
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks_common import Draft, default_policy  # noqa: E402
from tests.support.serverproc import ServerProcess  # noqa: E402
from text_checks import TextChecker  # noqa: E402

# A benchmark measures throughput, not the per-token rate limit: lift it.
HIGH_LIMITS = {f"SECONDLOOK_{k}": "1000000/minute" for k in ("RATE_LIMIT", "RATE_LIMIT_ADDRESS", "LOGIN_RATE_LIMIT")}


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


@contextlib.contextmanager
def running_server(workers: int, threads: int) -> Iterator[tuple[str, str]]:
    """(base URL, staff token) of a fresh `secondlook serve` on a temporary SQLite database."""
    from server.staff import create_staff

    with tempfile.TemporaryDirectory(prefix="secondlook-bench-") as tmp:
        server = ServerProcess(Path(tmp), f"sqlite:///{tmp}/bench.sqlite", workers=workers, threads=threads,
                               settings=HIGH_LIMITS)
        app = server.init_db()
        with app.app_context():
            token = create_staff("bench", "staff")[1]
        with server.start():
            yield server.url, token

POST_280 = ("Brilliant afternoon at King James's: our Year 9 netball team won 12-8 against Harrogate "
            "Grammar in the county semi-final! Huge thanks to Mrs Patel for coaching and to all the parents "
            "who came to cheer. Final is on 4 March at home, kick-off 3.45pm. #KJSSport #proud Views my own")[:280]
POST_5000 = (POST_280 + " ") * 18


def varied_5000() -> str:
    """5,000 characters of different sentences (real teacher tweets from the benign guard's sample):
    POST_5000 repeats one post, and the language model computes a repeated sentence only once."""
    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "text" / "benign" / "teacher_tweets.jsonl"
    out = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and len(out) < 5000:
            out += json.loads(line)["text"].strip() + "\n"
    return out[:5000]


def in_process(text: str, runs: int, policy=None) -> tuple[float, float]:
    checker = TextChecker(policy or default_policy())
    draft = Draft(text=text, platform="x", account_type="personal")
    for _ in range(20):
        checker.check(draft)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        checker.check(draft)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return percentile(times, 50), percentile(times, 99)


def through_server(seconds: float, clients: int, workers: int, threads: int) -> None:
    body = json.dumps({"text": POST_280, "platform": "x", "account_type": "personal", "audience": "public"})
    with running_server(workers=workers, threads=threads) as (url, token):
        target = urlparse(url)
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client() -> None:
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            mine = []
            while time.monotonic() < stop_at:
                started = time.perf_counter()
                try:
                    conn.request("POST", "/api/v1/check", body=body, headers=headers)
                    res = conn.getresponse()
                    res.read()
                    ok = res.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                elapsed = (time.perf_counter() - started) * 1000
                if ok:
                    mine.append(elapsed)
                else:
                    with lock:
                        errors[0] += 1
            with lock:
                latencies.extend(mine)

        pool = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        wall = time.perf_counter() - started
    latencies.sort()
    print(f"through gunicorn ({workers} workers x {threads} threads, {clients} clients, {seconds:.0f} s, "
          f"280-char post): {len(latencies) / wall:.0f} req/s, p50 {percentile(latencies, 50):.1f} ms, "
          f"p99 {percentile(latencies, 99):.1f} ms, errors {errors[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--in-process-only", action="store_true", help="skip the run through gunicorn")
    parser.add_argument("--model", type=Path, help="time a candidate language model (its thresholds: the .json "
                                                   "beside it) instead of the shipped one; in process only")
    parser.add_argument("--deep", type=Path, help="a deep model read after the fast one (--model, else the shipped "
                                                  "one) where it is in doubt; thresholds: the .json beside it")
    args = parser.parse_args()
    policy = None
    if args.model or args.deep:
        from text_checks.language_model import candidate, use_model

        model, fields = candidate(args.model, args.deep)
        use_model(model)
        policy = dataclasses.replace(default_policy(), **fields)
        args.in_process_only = True
        print(f"candidate model {args.model or 'shipped'}" + (f" + deep {args.deep}" if args.deep else ""))
    for label, text in (("280-char", POST_280), ("5,000-char", POST_5000), ("5,000-char varied", varied_5000())):
        p50, p99 = in_process(text, args.runs if label == "280-char" else max(200, args.runs // 5), policy)
        print(f"in process, every text rule, {label} draft ({len(text)} chars): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    if not args.in_process_only:
        through_server(args.seconds, args.clients, args.workers, args.threads)


if __name__ == "__main__":
    main()
