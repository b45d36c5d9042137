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
from image_checks.face_sface import sface_from_bytes
from image_checks.index import DEFAULT_NETWORK, NoPublishIndex, encoding_from_bytes
from server.models import FaceTemplate


def distance_to_own_faces(db: Session, pupil_id: int | None, encoding: bytes | None,
                          arc_encoding: bytes | None, sface_encoding: bytes | None = None,
                          policy: Policy | None = None) -> float | None:
    """The new face's score against this pupil's enrolled faces alone (None: nothing to compare),
    by the network the policy matches with."""
    if pupil_id is None or not encoding:
        return None
    rows = db.execute(select(FaceTemplate.pupil_id, FaceTemplate.encoding, FaceTemplate.arc_encoding,
                             FaceTemplate.sface_encoding).where(FaceTemplate.pupil_id == pupil_id)).all()
    if not rows:
        return None
    network = policy.face_setting("network", DEFAULT_NETWORK) if policy is not None else DEFAULT_NETWORK
    index = NoPublishIndex.from_rows([tuple(r) for r in rows]).for_network(network)
    faces = {"arc_encodings": arc_from_bytes(arc_encoding)[None, :] if arc_encoding else None,
             "sface_encodings": sface_from_bytes(sface_encoding)[None, :] if sface_encoding else None,
             "dlib_encodings": encoding_from_bytes(encoding)[None, :]}
    if not (index.sface_pupils.size or index.arc_pupils.size) or (
            index.sface_pupils.size and faces["sface_encodings"] is None) or (
            index.arc_pupils.size and faces["arc_encodings"] is None):
        return float(np.min(index.distances(faces["dlib_encodings"])))  # plain dlib distance
    best, _ = index.nearest(**faces)
    return float(best[0])


def is_far(distance: float | None, policy: Policy) -> bool:
    return distance is not None and distance > policy.face_possible_threshold


def far_message(name: str, distance: float) -> str:
    return (f"This face does not look like {name}'s faces already enrolled (score {distance:.2f}; faces of one "
            f"person are usually below the list's thresholds). It may be someone else in the photo. Enrol it "
            f"only if you are sure it is {name}.")


def needs_confirmation(outcome: Any) -> bool:
    return getattr(outcome, "status", None) == "far_from_others"
