"""Bounded memory and time per request: a pixel budget over all images of a request, decoding
reduced at the decoder, one image check at a time per worker process, freed memory handed back.

Measured before (issue 19): one request of four plain 7000x7000 JPEGs (3 MB in all) took a worker
from 0.5 GB to 6.8 GB, and it stayed there. Now:

* `check_request_pixels` reads only the headers and refuses a request whose images hold more
  than `[faces] max_request_megapixels` (default 100: eight 12 MP phone photos, or two 48 MP
  ones) with `too_many_pixels` before any pixel is decoded;
* `image_checks.decode` decodes a photo larger than `DETECT_MAX_PIXELS` reduced by the JPEG
  decoder itself (Pillow's `draft`: a 1/2, 1/4 or 1/8 scale DCT, no full-size copy ever exists);
  other formats are reduced (`Image.reduce`) right after decoding. Faces are then found on the
  reduced pixels with the policy's sizes scaled alike, and boxes mapped back to the upload's;
* `one_at_a_time` lets one image check run per worker process (threads queue: memory is one
  photo's, not four's; two cores are busy with one photo anyway);
* `release_memory` asks glibc to return freed heap to the system after each image
  (`malloc_trim`): without it a worker kept its peak for good; `cap_arenas` (a worker's start)
  keeps its threads to two malloc arenas, so the pages a photo leaves are not held once per thread.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import io
import threading
import warnings
from contextlib import contextmanager
from typing import Iterator

from PIL import Image

from image_checks.intake import IntakeError

#: Largest image detection runs on at full resolution: 24 MP keeps every phone's 12 MP photo
#: (and 24 MP cameras) whole; a 48 MP photo is decoded at half size (12 MP).
DETECT_MAX_PIXELS = 24_000_000
#: Default pixel budget of one request (all its images together).
DEFAULT_REQUEST_MEGAPIXELS = 100

_ONE = threading.Lock()


class TooManyPixels(IntakeError):
    """The images of one request hold more pixels than the request's budget."""

    code = "too_many_pixels"


def request_budget(policy) -> int:  # noqa: ANN001
    return int(float(policy.face_setting("max_request_megapixels", DEFAULT_REQUEST_MEGAPIXELS)) * 1_000_000)


def header_pixels(data: bytes) -> int:
    """Pixels an image's header claims (0 when it cannot be read: decoding will say why)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as img:
                return int(img.size[0]) * int(img.size[1])
    except Exception:  # noqa: BLE001  (unreadable: the decoder refuses it with its own reason)
        return 0


def check_request_pixels(images, budget: int) -> None:  # noqa: ANN001
    """Refuse (IntakeError `too_many_pixels`, naming the image that crosses it) a request whose
    images hold more than `budget` pixels in all."""
    total = 0
    for image in images:
        total += header_pixels(image.data)
        if total > budget:
            raise TooManyPixels(f"the images of this request hold {total / 1e6:.0f} MP or more, more than the "
                                f"{budget / 1e6:.0f} MP one check may hold; send fewer or smaller photos",
                                index=image.index)


def reduction(width: int, height: int, max_pixels: int = DETECT_MAX_PIXELS) -> int:
    """The smallest factor (1, 2, 4 or 8) that brings the image within `max_pixels`."""
    for factor in (1, 2, 4, 8):
        if (width // factor) * (height // factor) <= max_pixels:
            return factor
    return 8


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """One image check at a time in this process."""
    with _ONE:
        yield


_libc = None

#: mallopt's parameter number for M_ARENA_MAX (glibc's malloc.h)
_M_ARENA_MAX = -8


def _glibc():
    """glibc, or None on a C library without mallopt and malloc_trim."""
    global _libc
    if _libc is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.mallopt, libc.malloc_trim  # noqa: B018 (AttributeError without them)
            _libc = libc
        except (OSError, AttributeError):
            _libc = False
    return _libc or None


def release_memory() -> None:
    """Return freed heap to the system (glibc's malloc_trim; nothing elsewhere)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def cap_arenas(arenas: int = 2) -> bool:
    """At most `arenas` malloc arenas in this process (call once, early in a worker).

    glibc gives a thread that allocates under contention an arena of its own (up to 8 per core),
    and a photo decoded in one leaves its pages held there: a request served by a thread new to
    photos grew a gthread worker by another ~76 MB (tests/system/test_image_memory.py)."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(_M_ARENA_MAX, int(arenas)))
