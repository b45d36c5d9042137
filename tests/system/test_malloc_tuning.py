"""The worker's C-heap settings (image_checks/budget.py) take effect on this glibc machine."""
from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from image_checks import budget


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt and malloc_trim only")
def test_arenas_are_capped_and_freed_pages_given_back():
    code = (
        "from image_checks.budget import cap_arenas, release_memory\n"
        "assert cap_arenas(2) is True\n"
        "blocks = [bytearray(1 << 20) for _ in range(64)]\n"
        "del blocks\n"
        "release_memory()\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_without_glibc_the_calls_do_nothing(monkeypatch):
    monkeypatch.setattr(budget, "_libc", False)
    assert budget.cap_arenas() is False
    budget.release_memory()  # no error
