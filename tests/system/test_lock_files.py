"""The lock files cover every dependency setup.cfg declares.

`make` installs from requirements/*.txt with --require-hashes and then the project itself with
--no-deps, so a dependency added to setup.cfg without `make lock` would be missing on a fresh
machine while every developer's older virtualenv still has it. This catches that before CI does.
"""
from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(section: str, key: str) -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    names = set()
    for line in config.get(section, key).splitlines():
        line = line.split("#", 1)[0]
        match = NAME.match(line)
        if match:
            names.add(_normal(match.group(1)))
    return names


def _locked(lock: str) -> set[str]:
    names = set()
    for line in (ROOT / "requirements" / lock).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if match:
            names.add(_normal(match.group(1)))
    return names


def test_every_runtime_dependency_is_locked() -> None:
    assert _declared("options", "install_requires") - _locked("run.txt") == set()


@pytest.mark.parametrize("extra", ["test", "postgres"])
def test_every_extra_dependency_is_locked(extra: str) -> None:
    assert _declared("options.extras_require", extra) - _locked("test.txt") == set()
