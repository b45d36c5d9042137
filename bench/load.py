#!/usr/bin/env python3
"""Load on the real WSGI server: concurrent staff checking drafts, with and without photos.

Starts `secondlook serve` (gunicorn) on a free 127.0.0.1 port with its own database (SQLite by
default, or --database-url), enrols one pupil so face checks compare against a real list, and
runs --clients concurrent clients for --seconds. Each client loops over a weighted mix:

* text: a text-only check (clean drafts and near-misses, as people type them),
* photo: a check with a 3-face photo (three LFW faces composited side by side) from a school
  account, so every face is found, encoded and compared with the list,
* outcome: the outcome of the client's last near-miss.

Prints throughput, p50/p95/p99 latency per kind and the errors. Rate limits are raised for the
run (one address, many requests); everything else is the production configuration.

    .venv/bin/python bench/load.py --seconds 30 --clients 8 --workers 2 --threads 4
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --token sl_... (an already running server)
"""
from __future__ import annotations

import argparse
import http.client
import io
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server import services  # noqa: E402
from tests.support.serverproc import ServerProcess, request  # noqa: E402

FACES = ROOT.parent / "shared" / "faces" / "lfw"
TEXTS = [
    "Fantastic effort from everyone at sports day today!",
    "Proud of our Year 9s at King James's today!",  # personal account, no disclaimer: a near-miss
    "Reminder: parents' evening is on Thursday from 4pm.",
    "Great to see so many families at the summer fair this afternoon.",
    "Well done to the netball team, champions again!",
]
MIX = {"text": 6, "photo": 2, "outcome": 2}
HIGH_LIMITS = {"SECONDLOOK_RATE_LIMIT": "1000000/minute", "SECONDLOOK_RATE_LIMIT_ADDRESS": "1000000/minute",
               "SECONDLOOK_LOGIN_RATE_LIMIT": "1000000/minute"}


def three_face_photo() -> bytes:
    """Three LFW faces side by side (750 x 250), as a JPEG."""
    from PIL import Image
    people = sorted(p for p in FACES.iterdir() if p.is_dir())[10:13]
    canvas = Image.new("RGB", (750, 250), "white")
    for i, person in enumerate(people):
        canvas.paste(Image.open(sorted(person.glob("*.jpg"))[0]).convert("RGB"), (250 * i, 0))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Report:
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in MIX})
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, ms: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if 200 <= status < 300:
                self.latencies[kind].append(ms)
            else:
                self.errors.append(f"{kind}: HTTP {status}")

    @property
    def server_errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500)

    def table(self) -> str:
        lines = [f"{'kind':8} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"]
        total = 0
        for kind, values in self.latencies.items():
            total += len(values)
            if not values:
                lines.append(f"{kind:8} {0:>6}")
                continue
            q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
            lines.append(f"{kind:8} {len(values):>6} {len(values) / self.seconds:>7.1f} {q[49]:>8.1f} "
                         f"{q[94]:>8.1f} {q[98]:>8.1f}")
        lines.append(f"{'all':8} {total:>6} {total / self.seconds:>7.1f}")
        lines.append(f"statuses {dict(sorted(self.statuses.items()))}; errors {len(self.errors)}"
                     + (f" (first: {self.errors[:3]})" if self.errors else ""))
        return "\n".join(lines)


def client_loop(url: str, token: str, photo: bytes, report: Report, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    kinds = [k for k, w in MIX.items() for _ in range(w)]
    last_near_miss = None
    first = seed % 2 == 1  # every other client starts with a photo, so even a short run has one
    while not stop.is_set():
        kind = "photo" if first else rng.choice(kinds)
        first = False
        text = rng.choice(TEXTS)
        if kind == "outcome" and last_near_miss is None:
            kind, text = "text", TEXTS[1]  # make a near-miss first, to report its outcome next time
        started = time.perf_counter()
        try:
            if kind == "text":
                body = {"text": text, "platform": "x", "account_type": "personal", "audience": "public"}
                status, _, answer = request(url + "/api/v1/check", "POST", body, token=token)
            elif kind == "photo":
                draft = {"text": "Sports day!", "platform": "x", "account_type": "school",
                         "account_handle": "@kjs_sport", "audience": "public"}
                payload, ctype = multipart({"draft": json.dumps(draft)}, [("images", "three.jpg", photo)])
                status, _, answer = request(url + "/api/v1/check", "POST", raw=payload, content_type=ctype,
                                            token=token, timeout=60)
            else:
                status, _, answer = request(f"{url}/api/v1/checks/{last_near_miss}/outcome", "POST",
                                            {"action": "edited"}, token=token)
                last_near_miss = None
        except (OSError, http.client.HTTPException) as exc:
            with report.lock:
                report.errors.append(f"{kind}: {type(exc).__name__}")
            continue
        report.add(kind, status, (time.perf_counter() - started) * 1000)
        if kind == "text" and status == 200 and answer.get("findings"):
            last_near_miss = answer["check_id"]


def run_load(url: str, tokens: list[str], seconds: float, photo: bytes, seed: int = 1) -> Report:
    report = Report()
    stop = threading.Event()
    threads = [threading.Thread(target=client_loop, args=(url, tok, photo, report, stop, seed + i), daemon=True)
               for i, tok in enumerate(tokens)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    report.seconds = time.perf_counter() - started
    return report


def prepare(server: ServerProcess, clients: int) -> list[str]:
    """Staff tokens, and one enrolled pupil so photo checks compare faces with a real list."""
    from checks_common.policy import default_policy
    from image_checks.enrol import enrol_photo
    from server.staff import create_staff
    from server.db import get_db
    from server.nopublish.state import bump_version
    from server.models import FaceTemplate, Pupil

    app = server.init_db()
    with app.app_context():
        tokens = [create_staff(f"load{i}-{uuid.uuid4().hex[:6]}", "staff")[1] for i in range(clients)]
        person = sorted(p for p in FACES.iterdir() if p.is_dir() and len(list(p.glob("*.jpg"))) > 1)[0]
        result = enrol_photo(sorted(person.glob("*.jpg"))[0].read_bytes(), default_policy())
        db = get_db()
        pupil = Pupil(display_name="Load Test Pupil", reference=uuid.uuid4().hex[:8], parents_notified_on=date(2025, 9, 1), consent_given_by="A parent",
                      consent_given_on=date(2025, 9, 2))  # no template is matched without consent
        db.add(pupil)
        db.flush()
        db.add(FaceTemplate(pupil_id=pupil.id, encoding=result.encoding, arc_encoding=result.arc_encoding))
        bump_version(db)
        db.commit()
    services.engine(app).dispose()
    return tokens


def main() -> int:
    parser = argparse.ArgumentParser(description="Load on the real server (gunicorn).")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--url", default=None, help="use a running server instead of starting one")
    parser.add_argument("--token", action="append", default=[], help="staff token(s) for --url")
    args = parser.parse_args()
    photo = three_face_photo()
    if args.url:
        report = run_load(args.url, args.token or [], args.seconds, photo)
        print(report.table())
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/load.sqlite"
        server = ServerProcess(Path(tmp) / "instance", url, workers=args.workers, threads=args.threads,
                               settings=HIGH_LIMITS)
        tokens = prepare(server, args.clients)
        with server.start():
            run_load(server.url, tokens[:2], 2, photo)  # warm up every worker's models
            report = run_load(server.url, tokens, args.seconds, photo)
        print(f"secondlook serve --workers {args.workers} --threads {args.threads} (gthread); "
              f"{args.clients} clients for {args.seconds:.0f} s; database {url.split(':')[0]}; "
              f"mix {MIX}; 3-face photo 750x250 JPEG from a school account")
        print(report.table())
    return 1 if report.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
