"""Print a hash-pinned requirement line for packages installed with --no-deps (`make lock`).

pip-compile would resolve their dependencies too (face_recognition's is dlib, which pip would
compile from source); so each is downloaded alone and its file hashed.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path


def main(specs: list[str]) -> None:
    print("# Installed with pip --no-deps --require-hashes; made by `make lock` (scripts/lock_nodeps.py).")
    for spec in specs:
        with tempfile.TemporaryDirectory() as folder:
            for kind in ("--only-binary", "--no-binary"):  # the wheel and the source archive
                subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", kind, ":all:",
                                "-d", folder, spec], check=False)
            hashes = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in Path(folder).iterdir())
        if not hashes:
            raise SystemExit(f"could not download {spec}")
        print(spec + "".join(f" \\\n    --hash=sha256:{h}" for h in hashes))


if __name__ == "__main__":
    main(sys.argv[1:])
