"""Enrolment cross-check: a face chosen for a pupil is compared with the pupil's faces already
enrolled; one far from them (the score the checks use, beyond the "not sure" threshold) may be
someone else, so IT must confirm it explicitly before it is kept.

A wrong face on the list is worse than none: it blocks the wrong child's photos and lets the right
child through.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import numpy as np

from checks_common import Policy
from image_checks.face_arc import arc_from_bytes
from image_checks.index import NoPublishIndex, encoding_from_bytes
from server.models import FaceTemplate


def distance_to_own_faces(db: Session, pupil_id: int | None, encoding: bytes | None,
                          arc_encoding: bytes | None) -> float | None:
    """The new face's score against this pupil's enrolled faces alone (None: nothing to compare)."""
    if pupil_id is None or not encoding:
        return None
    rows = db.execute(select(FaceTemplate.pupil_id, FaceTemplate.encoding, FaceTemplate.arc_encoding)
                      .where(FaceTemplate.pupil_id == pupil_id)).all()
    if not rows:
        return None
    index = NoPublishIndex.from_rows([tuple(r) for r in rows])
    arc = arc_from_bytes(arc_encoding) if arc_encoding else None
    if arc is None or not len(index.arc_pupils):
        dlib = encoding_from_bytes(encoding)
        return float(np.min(index.distances(dlib[None, :])))
    best, _ = index.nearest(arc[None, :], encoding_from_bytes(encoding)[None, :])
    return float(best[0])


def is_far(distance: float | None, policy: Policy) -> bool:
    return distance is not None and distance > policy.face_possible_threshold


def far_message(name: str, distance: float) -> str:
    return (f"This face does not look like {name}'s faces already enrolled (score {distance:.2f}; faces of one "
            f"person are usually below the list's thresholds). It may be someone else in the photo. Enrol it "
            f"only if you are sure it is {name}.")


def needs_confirmation(outcome: Any) -> bool:
    return getattr(outcome, "status", None) == "far_from_others"
