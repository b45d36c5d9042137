"""Encoding aligned face chips with dlib's ResNet, overlapped with detection on a second core.

dlib keeps the GIL while it encodes (measured: two threads are no faster than one), so the
second core is used by one long-lived helper process (spawned on first need — never forked, so
a gunicorn worker's state is not inherited). `StreamingEncoder` sends chips to the helper in
small batches *while detection is still running*; when detection ends, this process takes back
every batch the helper has not started and encodes it itself. A photo with a few faces is
encoded here directly: the round trip would cost more than it saves.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np

from image_checks.faces import encode_chips as _encode_here

#: Chips per batch sent to the helper.
BATCH = 3
#: With fewer faces than this everything is encoded in this process.
PARALLEL_MIN_FACES = 5
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
    """Start the helper process and load its model (so the first check does not pay for it)."""
    pool = _helper_pool()
    if pool is not None:
        pool.submit(_encode_here, [np.zeros((150, 150, 3), dtype=np.uint8)], 1).result()


class StreamingEncoder:
    """Collects chips as faces are found; `finish()` returns their encodings in order."""

    def __init__(self, num_jitters: int = 1, parallel: bool = True) -> None:
        self.num_jitters = num_jitters
        self.pool = _helper_pool() if parallel else None
        self.pending: list[np.ndarray] = []
        self.batches: list[tuple[list[np.ndarray], Future | None]] = []

    def add(self, chip: np.ndarray) -> None:
        self.pending.append(chip)
        if self.pool is not None and len(self.pending) >= BATCH:
            # the first chips stay here until there are enough faces for the helper to pay
            if sum(len(b) for b, _ in self.batches) + len(self.pending) >= PARALLEL_MIN_FACES or self.batches:
                self._send()

    def _send(self) -> None:
        chips, self.pending = self.pending, []
        try:
            future = self.pool.submit(_encode_here, chips, self.num_jitters)
        except Exception:  # noqa: BLE001  (a broken pool: encode here instead)
            future = None
        self.batches.append((chips, future))

    def finish(self) -> np.ndarray:
        if self.pending:
            self.batches.append((self.pending, None))
            self.pending = []
        results: list[np.ndarray | None] = [None] * len(self.batches)
        # take back what the helper has not started, newest first, and encode it here
        for i in reversed(range(len(self.batches))):
            chips, future = self.batches[i]
            if future is None or future.cancel():
                results[i] = _encode_here(chips, self.num_jitters)
        for i, (chips, future) in enumerate(self.batches):
            if results[i] is None:
                try:
                    results[i] = future.result(timeout=60)
                except Exception:  # noqa: BLE001  (a dead helper must not fail the check)
                    results[i] = _encode_here(chips, self.num_jitters)
        parts = [r for r in results if r is not None and len(r)]
        return np.vstack(parts) if parts else np.zeros((0, 128))


def encode_chips(chips: list[np.ndarray], num_jitters: int = 1) -> np.ndarray:
    """128-d encodings of 150x150 aligned chips, in order (split with the helper when it pays)."""
    stream = StreamingEncoder(num_jitters, parallel=len(chips) >= PARALLEL_MIN_FACES)
    for chip in chips:
        stream.add(chip)
    return stream.finish()
