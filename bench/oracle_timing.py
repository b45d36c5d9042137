#!/usr/bin/env python3
"""Does the time of a check tell whether a name or a face is on the no-publish list?

In process (Flask test client, SQLite), one pupil listed by name and face. Alternates probes that
hit the list with probes that miss it, and prints the latency distribution of each and their
difference, for text (listed name vs unlisted name) and photos from a school account (the
enrolled person's other photo vs a stranger). A difference far below the spread between
requests, and below the 1-second granularity a rate-limited prober gets, is no usable oracle;
tests/nopublish/test_membership_oracle.py shows the work done is the same either way.

    .venv/bin/python bench/oracle_timing.py [--rounds 40]
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LFW = ROOT.parent / "shared" / "faces" / "lfw"
PERSON, STRANGER = "Aaron_Peirsol", "Abdullah"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    from checks_common.policy import default_policy
    from image_checks.enrol import enrol_photo
    from server.staff import create_staff
    from server.db import get_db
    from server.nopublish.state import bump_version
    from server.models import FaceTemplate, Pupil
    from tests.support.helpers import draft, make_test_app

    tmp = Path(tempfile.mkdtemp())
    app, cleanup = make_test_app(tmp)
    with app.app_context():
        _, token, _ = create_staff("prober", "staff")
        db = get_db()
        pupil = Pupil(display_name="Jordan Example", reference="A100", parents_notified_on=date(2025, 9, 1), consent_given_by="A parent",
                      consent_given_on=date(2025, 9, 2))  # no template is matched without consent
        db.add(pupil)
        db.flush()
        enc = enrol_photo((LFW / PERSON / f"{PERSON}_0001.jpg").read_bytes(), default_policy()).encoding
        db.add(FaceTemplate(pupil_id=pupil.id, encoding=enc))
        bump_version(db)
        db.commit()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}

    def text_probe(name: str) -> float:
        started = time.perf_counter()
        res = client.post("/api/v1/check", json=draft(f"Well done {name} on the win!", account_type="school"),
                          headers=auth)
        assert res.status_code == 200
        return (time.perf_counter() - started) * 1000

    def photo_probe(photo: bytes) -> float:
        body = draft("Sports day!", account_type="school", account_handle="@kjs_sport")
        started = time.perf_counter()
        res = client.post("/api/v1/check", headers=auth, content_type="multipart/form-data",
                          data={"draft": json.dumps(body), "images": (io.BytesIO(photo), "p.jpg")})
        assert res.status_code == 200
        return (time.perf_counter() - started) * 1000

    hit_photo = (LFW / PERSON / f"{PERSON}_0002.jpg").read_bytes()
    miss_photo = (LFW / STRANGER / f"{STRANGER}_0001.jpg").read_bytes() if (LFW / STRANGER).exists() else \
        next(LFW.glob("*/*.jpg")).read_bytes()
    cases = {
        "text": (lambda: text_probe("Jordan Example"), lambda: text_probe("Morgan Brook")),
        "photo": (lambda: photo_probe(hit_photo), lambda: photo_probe(miss_photo)),
    }
    print(f"{args.rounds} rounds each, alternating hit and miss (ms)")
    print(f"{'probe':6} {'case':5} {'median':>8} {'p95':>8} {'stdev':>8}")
    for kind, (hit, miss) in cases.items():
        hit(), miss()  # warm-up
        hits, misses = [], []
        for _ in range(args.rounds):
            hits.append(hit())
            misses.append(miss())
        for label, values in (("hit", hits), ("miss", misses)):
            q = statistics.quantiles(values, n=20)
            print(f"{kind:6} {label:5} {statistics.median(values):>8.2f} {q[18]:>8.2f} {statistics.stdev(values):>8.2f}")
        diff = statistics.median(hits) - statistics.median(misses)
        print(f"{kind:6} median difference hit - miss: {diff:+.2f} ms "
              f"({diff / statistics.median(misses) * 100:+.1f}%)")
    cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
