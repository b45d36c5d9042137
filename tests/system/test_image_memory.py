"""Bounded memory per request, measured on a real server process (gunicorn, one worker).

Before issue 19 one request of four plain 7000x7000 JPEGs (3 MB in all) took a worker from 0.5 GB
to 6.8 GB, and it stayed there. Now such a request is refused before decoding (the request's
pixel budget), two of them (within the budget) are decoded at half size by the JPEG decoder, and
the worker's memory after several hostile requests is where it was (never timed: RSS only).
"""
from __future__ import annotations

import io
import json
import time
import uuid
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from server.staff import create_staff
from tests.support.helpers import draft
from tests.support.serverproc import ServerProcess, request

MB = 1024 * 1024


def _plain_jpeg(side: int = 7000, seed: int = 0) -> bytes:
    """A 49 MP JPEG of a few hundred KB: soft noise, as a large plain photo compresses."""
    rng = np.random.default_rng(seed)
    small = rng.integers(90, 170, (side // 250, side // 250, 3), dtype=np.uint8)
    img = Image.fromarray(small).resize((side, side), Image.BILINEAR)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def _multipart(body: dict, images: list[bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="draft"\r\n\r\n{json.dumps(body)}\r\n'.encode()]
    for i, data in enumerate(images):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="images"; filename="p{i}.jpg"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _memory(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak) of a process, in bytes."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("memory")
    proc = ServerProcess(tmp / "instance", f"sqlite:///{tmp / 'memory.sqlite'}", workers=1, threads=4)
    app = proc.init_db()
    with app.app_context():
        token = create_staff("memory-teacher", "staff")[1]
    with proc.start():
        yield proc, token


def _check(server, token, images: list[bytes]):  # noqa: ANN001, ANN202
    raw, ctype = _multipart(draft("Sports day"), images)
    return request(server.url + "/api/v1/check", "POST", raw=raw, content_type=ctype, token=token, timeout=120)


def _wait_until_warm(server, seconds: float = 120) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while request(server.url + "/api/v1/health", "GET")[2].get("models") != "ready":
        assert time.monotonic() < deadline, "the worker's warm-up did not finish"
        time.sleep(0.2)


def test_hostile_requests_leave_the_worker_where_it_was(server):
    proc, token = server
    big = _plain_jpeg()
    assert Image.open(io.BytesIO(big)).size == (7000, 7000)
    # warm: the models are loaded and one ordinary photo checked
    ordinary = io.BytesIO()
    Image.fromarray(np.full((900, 1200, 3), 128, np.uint8)).save(ordinary, "JPEG")
    assert _check(proc, token, [ordinary.getvalue()])[0] == 200
    (worker,) = proc.worker_pids()
    _wait_until_warm(proc)  # every network loaded: what follows measures requests, not the warm-up
    start = _memory(worker)["VmRSS"]

    # four 49 MP photos: refused before decoding, with a clear code
    status, _, body = _check(proc, token, [big, _plain_jpeg(seed=1), _plain_jpeg(seed=2), _plain_jpeg(seed=3)])
    assert status == 413 and body["error"]["code"] == "too_many_pixels", body
    assert "MP" in body["error"]["message"]

    # two of them fit the budget: checked, decoded at half size, the worker stays small. The first
    # such request sets up the detector's working memory for 12 MP (~180-215 MB measured here:
    # onnxruntime's arena for its 2 MP strips). The worker keeps two malloc arenas and gives freed
    # pages back after each image check (image_checks/budget.py): before that, a request served by
    # a thread new to photos grew the worker by another ~76 MB. Memory must stop there: a leak of
    # one decoded photo per request (tens of MB each) would show as growth from the first three
    # requests to the last three.
    after = []
    for _ in range(6):
        status, _, body = _check(proc, token, [big, _plain_jpeg(seed=1)])
        assert status == 200, body
        assert proc.worker_pids() == [worker]  # not recycled in between
        after.append(_memory(worker)["VmRSS"])
    memory = _memory(worker)
    assert memory["VmHWM"] <= 1536 * MB, memory  # the bound for the worker's peak
    assert after[0] - start <= 300 * MB, (start, after)
    assert max(after[3:]) - max(after[:3]) <= 50 * MB, (start, after)  # settled, not growing
