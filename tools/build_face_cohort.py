#!/usr/bin/env python3
"""Writes image_checks/face_cohort.npz: the background faces `NoPublishIndex` normalises against.

The cohort is every photo of the 35 people in ../shared/faces/lfw with 2 or 3 photos (78 faces;
bench/face_quality.py never enrols them or uses them as strangers), encoded as a draft face is
(`image_checks.analyse.encode_faces`: the aligned chip and its mirror image, averaged). The file
holds the encodings (float32) and an anonymous person number per encoding — no photos, no names.

    .venv/bin/python tools/build_face_cohort.py

Re-run it when the encoder or the alignment changes (then re-run bench/face_quality.py and check
the [faces] thresholds). LFW is public figures' news photos distributed for research: see
docs/images.md before shipping it, or build a cohort from another set the same way.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.face_quality import central_chip, lfw_roles  # noqa: E402
from checks_common import default_policy  # noqa: E402
from image_checks.analyse import encode_faces  # noqa: E402
from image_checks.index import COHORT_FILE, Cohort  # noqa: E402


def main() -> None:
    policy = default_policy()
    encodings, person = [], []
    for number, photos in enumerate(lfw_roles().cohort.values()):
        for photo in photos:
            chip = central_chip(photo, policy)
            if chip is None:
                print(f"no face in {photo.name}, skipped")
                continue
            encodings.append(encode_faces([chip])[0])
            person.append(number)
    encodings = np.array(encodings, dtype=np.float32)
    person = np.array(person, dtype=np.int16)
    np.savez_compressed(COHORT_FILE, encodings=encodings, person=person)
    cohort = Cohort.from_people(encodings, person)
    print(f"{COHORT_FILE.relative_to(REPO)}: {len(encodings)} faces of {len(set(person.tolist()))} people, "
          f"typical nearness {cohort.typical:.3f}")


if __name__ == "__main__":
    main()
