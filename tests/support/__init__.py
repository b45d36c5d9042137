"""What tests and bench/ share: a test app on a fresh database (helpers), the live server in a
subprocess (serverproc), synthetic and real face photos (image_synth, pupil_fixtures), seeded
near-miss records (nearmiss_seed) and the labelled text corpus's harness (evaluation)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
