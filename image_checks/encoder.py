"""Encoding aligned face chips with dlib's ResNet, optionally overlapped with detection on a second core.

dlib keeps the GIL while it encodes (measured: two threads are no faster than one), so a second
core can only be used by a long-lived helper process (spawned on first need — never forked, so
a gunicorn worker's state is not inherited). `StreamingEncoder` sends every other chip to the
helper *while detection is still running*; when detection ends, this process encodes its own
half and takes back every chip the helper has not started. A single face is encoded here.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np

from image_checks.faces import encode_chips as _encode_here

#: With fewer faces than this everything is encoded in this process.
PARALLEL_MIN_FACES = 2
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None


def helpers_wanted() -> int:
    """Helper processes: SECONDLOOK_FACE_HELPERS (0 turns it off), default 1 on a multi-core machine.

    Measured on the 2-vCPU machine this was built on (bench/check_images.py, A/B/A): 12 MP with
    30 faces 2.96-3.07 s with the helper vs 3.34 s without; 1600x1200 with 3 faces 381-405 ms vs
    458 ms. The gain comes from encoding while detection runs: two ResNet encodings at once do
    not run in parallel on these vCPUs (16 chips: 1.19 s and 1.28 s alone, 2.28 s together).
    """
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


def warm_up(landmarks: int = 68) -> None:
    """Load this thread's models and start the helper (so the first check does not pay for them)."""
    from image_checks.faces import _Models

    _Models.shared("shape68" if landmarks == 68 else "shape")
    for name in ("hog", "haar", "encoder"):
        _Models.local(name)
    pool = _helper_pool()
    if pool is not None:
        pool.submit(_encode_here, [np.zeros((150, 150, 3), dtype=np.uint8)], 1).result()


class StreamingEncoder:
    """Collects chips as faces are found; `finish()` returns their encodings in order.

    Chips alternate between the helper (sent at once, one per task, so it starts while detection
    goes on) and this process (encoded in `finish`). Tasks the helper has not started by then are
    cancelled and encoded here instead, so neither core waits for the other for long.
    """

    def __init__(self, num_jitters: int = 1, parallel: bool = True) -> None:
        self.num_jitters = num_jitters
        self.pool = _helper_pool() if parallel else None
        self.chips: list[np.ndarray] = []
        self.sent: dict[int, Future] = {}

    def add(self, chip: np.ndarray) -> None:
        slot = len(self.chips)
        self.chips.append(chip)
        if self.pool is not None and slot % 2 == 1:
            try:
                self.sent[slot] = self.pool.submit(_encode_here, [chip], self.num_jitters)
            except Exception:  # noqa: BLE001  (a broken pool: encode here instead)
                pass

    def finish(self) -> np.ndarray:
        if not self.chips:
            return np.zeros((0, 128))
        out = np.zeros((len(self.chips), 128))
        local = [i for i in range(len(self.chips)) if i not in self.sent]
        if local:
            out[local] = _encode_here([self.chips[i] for i in local], self.num_jitters)
        taken_back = [i for i in sorted(self.sent, reverse=True) if self.sent[i].cancel()]
        if taken_back:
            out[taken_back] = _encode_here([self.chips[i] for i in taken_back], self.num_jitters)
        for i, future in self.sent.items():
            if i in taken_back:
                continue
            try:
                out[i] = future.result(timeout=60)[0]
            except Exception:  # noqa: BLE001  (a dead helper must not fail the check)
                out[i] = _encode_here([self.chips[i]], self.num_jitters)[0]
        return out


def encode_chips(chips: list[np.ndarray], num_jitters: int = 1) -> np.ndarray:
    """128-d encodings of 150x150 aligned chips, in order (split with the helper when it pays)."""
    stream = StreamingEncoder(num_jitters, parallel=len(chips) >= PARALLEL_MIN_FACES)
    for chip in chips:
        stream.add(chip)
    return stream.finish()
