"""Keeps a worker's C heap from growing with its thread count (glibc only; elsewhere a no-op).

glibc gives each thread that allocates under contention its own malloc arena (up to 8 per core),
and a 12 MP photo decoded in one thread leaves tens of MB free-but-held in that thread's arena. A
gthread worker serves requests from several threads (and the face finder and the text rules add
pools of their own), so the same photo served by a thread new to it grew the worker by another
~76 MB (tests/system/test_image_memory.py). Two arenas, and handing freed pages back to the
system after an image check, keep a worker's memory where one photo left it.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

#: mallopt parameter number of M_ARENA_MAX (glibc's malloc.h)
_M_ARENA_MAX = -8

_libc = None


def _glibc():
    global _libc
    if _libc is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.mallopt  # noqa: B018 (AttributeError on a libc without it)
            libc.malloc_trim  # noqa: B018
            _libc = libc
        except (OSError, AttributeError):
            _libc = False
    return _libc or None


def cap_arenas(arenas: int = 2) -> bool:
    """Limit the number of malloc arenas of this process (call once, early in a worker)."""
    libc = _glibc()
    if libc is None:
        return False
    ok = bool(libc.mallopt(_M_ARENA_MAX, int(arenas)))
    if not ok:
        log.warning("mallopt(M_ARENA_MAX, %d) refused", arenas)
    return ok


def give_back_free_memory() -> None:
    """Return freed heap pages to the system (after a large image was decoded and dropped)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
