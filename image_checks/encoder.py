"""Encoding aligned face chips with dlib's ResNet, split across a helper process when it pays.

dlib keeps the GIL while it encodes (measured: two threads are no faster than one), so the
second core is used by one long-lived helper process (spawned on first need, so a forked
gunicorn worker never inherits dlib state). Below `PARALLEL_MIN_FACES` faces the round trip
costs more than it saves, and everything is encoded here.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np

from image_checks.faces import encode_chips as _encode_here

PARALLEL_MIN_FACES = 6
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None


def helpers_wanted() -> int:
    """Helper processes: SECONDLOOK_FACE_HELPERS (0 disables), default 1 on a multi-core machine."""
    value = os.environ.get("SECONDLOOK_FACE_HELPERS")
    if value is not None and value.strip().isdigit():
        return int(value)
    return 1 if (os.cpu_count() or 1) > 1 else 0


def _helper_pool() -> ProcessPoolExecutor | None:
    global _pool, _pool_pid
    if helpers_wanted() == 0:
        return None
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            ctx = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(max_workers=helpers_wanted(), mp_context=ctx)
            _pool_pid = os.getpid()
            atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
        return _pool


def warm_up() -> None:
    """Start the helper process and load its model (a benchmark's first call should not pay it)."""
    pool = _helper_pool()
    if pool is not None:
        pool.submit(_encode_here, [np.zeros((150, 150, 3), dtype=np.uint8)], 1).result()


def encode_chips(chips: list[np.ndarray], num_jitters: int = 1) -> np.ndarray:
    """128-d encodings of 150x150 aligned chips, in order."""
    pool = _helper_pool() if len(chips) >= PARALLEL_MIN_FACES else None
    if pool is None:
        return _encode_here(chips, num_jitters)
    helpers = helpers_wanted()
    share = len(chips) // (helpers + 1)
    futures: list[Future] = []
    for k in range(helpers):
        futures.append(pool.submit(_encode_here, chips[k * share:(k + 1) * share], num_jitters))
    mine = _encode_here(chips[helpers * share:], num_jitters)
    try:
        theirs = [f.result(timeout=60) for f in futures]
    except Exception:  # noqa: BLE001  (a dead helper must not fail the check: do the work here)
        theirs = [_encode_here(chips[k * share:(k + 1) * share], num_jitters) for k in range(helpers)]
    return np.vstack(theirs + [mine]) if len(chips) else np.zeros((0, 128))
