#!/usr/bin/env python3
"""What a device token costs per request, against a staff token from `secondlook staff add`.

In process (Flask test client, SQLite): alternates `GET /api/v1/signin/me` with a staff token and
with a device's access token (a QR-code device, so no provider is needed), and prints the median
and p95 of each and their ratio. A device token is one indexed lookup more (the device, then its
person) and writes its last use at most once a minute; a refresh (no provider) is timed too.

    .venv/bin/python bench/signin_tokens.py [--rounds 300]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    from server import create_app
    from server.db import get_db, init_db
    from server.staff import create_staff
    from server.signin.devices import create_code

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/b.sqlite",
                          "RATE_LIMIT": "1000000/minute", "RATE_LIMIT_ADDRESS": "1000000/minute"})
        with app.app_context():
            init_db()
            staff, staff_token, _ = create_staff("bench", "staff")
        with app.test_request_context():
            db = get_db()
            code = create_code(db, db.get(type(staff), staff.id), "qr-code", "bench")
            db.commit()
        client = app.test_client()
        tokens = client.post("/api/v1/signin/exchange", json={"code": code, "client": "script"}).json
        kinds = {"staff token": staff_token, "device token": tokens["access_token"]}
        times: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(args.rounds):
            for kind, token in kinds.items():
                started = time.perf_counter()
                res = client.get("/api/v1/signin/me", headers={"Authorization": f"Bearer {token}"})
                times[kind].append((time.perf_counter() - started) * 1000)
                assert res.status_code == 200, res.json
        refresh_ms = []
        refresh = tokens["refresh_token"]
        for _ in range(min(args.rounds, 100)):
            started = time.perf_counter()
            res = client.post("/api/v1/signin/refresh", json={"refresh_token": refresh})
            refresh_ms.append((time.perf_counter() - started) * 1000)
            refresh = res.json["refresh_token"]
    for kind, values in times.items():
        values.sort()
        print(f"{kind:13s} median {statistics.median(values):6.2f} ms  p95 {values[int(len(values) * .95)]:6.2f} ms")
    ratio = statistics.median(times["device token"]) / statistics.median(times["staff token"])
    print(f"device / staff token, median: {ratio:.2f}x")
    refresh_ms.sort()
    print(f"refresh (QR device, no provider) median {statistics.median(refresh_ms):6.2f} ms")


if __name__ == "__main__":
    main()
