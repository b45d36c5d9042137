"""Enrolling a no-publish pupil from a photo: one clear face in, one template out.

A template holds two encodings of the face: the ArcFace network's (512-d, what matching uses; see
`image_checks.face_arc`) and dlib's (128-d, which spots the same photo enrolled twice and keeps
templates comparable with those enrolled before the ArcFace network was added).

Used by the admin pages and by `secondlook nopublish add`. The photo itself is never kept:
only the encoding, a ~96 px JPEG thumbnail of the face (so IT can see whom a template is of)
and the photo's SHA-256 (to spot the same photo uploaded twice).
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from checks_common import Box, Policy
from image_checks.analyse import face_settings, max_pixels
from image_checks.decode import decode
from image_checks.encoder import encode_chips
from image_checks.face_arc import arc_to_bytes, encode_arc
from image_checks.face_sface import encode_sface, sface_to_bytes
from image_checks.face_detection import Face, find_faces
from image_checks.index import NoPublishIndex, encoding_from_bytes
from image_checks.intake import IntakeError

THUMBNAIL_PX = 96
#: Two encodings closer than this are the same photo (or a re-save of it), not a new template.
DUPLICATE_DISTANCE = 0.12


@dataclass
class Candidate:
    """A face IT can choose when a photo shows more than one person."""

    box: Box
    thumbnail: bytes


@dataclass
class EnrolResult:
    """The outcome for one photo. `status` is accepted, not_image, no_face, multiple_faces,
    too_small or blurred; `reason` says it in a sentence for IT."""

    status: str
    reason: str
    photo_sha256: str
    encoding: bytes = b""
    arc_encoding: bytes = b""
    sface_encoding: bytes = b""
    thumbnail: bytes = b""
    box: Box | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    def vector(self) -> np.ndarray:
        return encoding_from_bytes(self.encoding)


def _thumbnail(rgb: np.ndarray, box: tuple[int, int, int, int]) -> bytes:
    top, right, bottom, left = box
    size = max(right - left, bottom - top)
    m = size // 4
    h, w = rgb.shape[:2]
    crop = Image.fromarray(rgb[max(0, top - m):min(h, bottom + m), max(0, left - m):min(w, right + m)])
    crop.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.LANCZOS)
    out = io.BytesIO()
    crop.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def enrol_photo(data: bytes, policy: Policy, choose: int | None = None) -> EnrolResult:
    """Find the one face in `data` and encode it; `choose` picks a candidate of a group photo."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        decoded = decode(data, max_pixels(policy))
    except IntakeError as err:
        return EnrolResult("not_image", f"Not a photo that can be read: {err.reason}.", sha)
    settings = face_settings(policy)
    enrol_min = int(policy.face_settings.get("enrol_min_face_px", 80))
    # faces too small to encode are nobody's template (a face at the back of a portrait)
    faces = [f for f in find_faces(decoded.rgb, settings) if f.width >= settings.min_face_px]
    if not faces:
        return EnrolResult("no_face", "No face was found in this photo; use a clear, front-on photo.", sha)
    if len(faces) > 1 and choose is None:
        candidates = [Candidate(Box(*f.box), _thumbnail(decoded.rgb, f.box)) for f in faces]
        return EnrolResult("multiple_faces", f"This photo shows {len(faces)} faces; choose the pupil's.",
                           sha, candidates=candidates)
    if choose is not None and not 0 <= choose < len(faces):
        return EnrolResult("multiple_faces", f"Choose a face from 0 to {len(faces) - 1}.", sha,
                           candidates=[Candidate(Box(*f.box), _thumbnail(decoded.rgb, f.box)) for f in faces])
    face: Face = faces[choose or 0]
    box = Box(*face.box)
    if face.width < enrol_min:
        return EnrolResult("too_small", f"The face is {face.width} px wide; use a photo where it is at "
                                        f"least {enrol_min} px.", sha, box=box)
    if face.quality == "blurred":
        return EnrolResult("blurred", "The face is blurred; use a sharper photo.", sha, box=box)
    if face.quality == "turned" or face.chip is None:  # a profile makes a poor template
        return EnrolResult("blurred", "The face is turned away; use a front-on photo.", sha, box=box)
    jitters = int(policy.face_settings.get("enrol_jitters", 10))
    encoding = encode_chips([face.chip], jitters)[0]
    arc, sface = chip_encodings(face.arc_chip)
    return EnrolResult("accepted", "Face enrolled.", sha, encoding=encoding.astype(np.float64).tobytes(),
                       arc_encoding=arc, sface_encoding=sface, thumbnail=_thumbnail(decoded.rgb, face.box), box=box)


def chip_encodings(arc_chip: np.ndarray) -> tuple[bytes, bytes]:
    """A template's ArcFace and SFace encodings of one aligned face (both kept, so a school can
    switch `[faces] network` at any time without new photos)."""
    return arc_to_bytes(encode_arc([arc_chip])[0]), sface_to_bytes(encode_sface([arc_chip])[0])


def encodings_from_thumbnail(thumbnail: bytes, policy: Policy) -> tuple[bytes, bytes] | None:
    """A template's ArcFace and SFace encodings (`chip_encodings`) from its stored face thumbnail,
    for templates enrolled before those networks (their photos were never kept; the thumbnail is
    the face with a 25 % margin, ~64 px wide). The largest face found in it, or None when none is
    (the pupil then needs a new photo).

    Measured (bench/face_quality.py --thumbnails, LFW splits A / B at 1.10): templates from
    thumbnails caught 98.0 / 98.2 % of the other photos at 0.5 / 1.9 % false alarms, templates
    from the photos 98.7 / 98.2 % at 0.5 / 0.5 %; dlib's network, the alternative, ~95-97 %.
    """
    try:
        decoded = decode(thumbnail, max_pixels(policy))
    except IntakeError:
        return None
    settings = face_settings(policy)
    faces = [f for f in find_faces(decoded.rgb, replace(settings, min_face_px=16, clear_face_px=16))
             if f.arc_chip is not None]
    if not faces:
        return None
    face = max(faces, key=lambda f: f.width)
    return chip_encodings(face.arc_chip)


def is_duplicate(result: EnrolResult, existing: list[tuple[int, bytes]], known_sha256: set[str] = frozenset(),
                 pupil_id: int | None = None) -> bool:
    """Whether an accepted result repeats a photo already enrolled (same file, or a re-save of it).

    `existing` is the (pupil_id, encoding) rows to compare with; with `pupil_id`, only that
    pupil's templates count.
    """
    if result.photo_sha256 in known_sha256:
        return True
    if not result.accepted or not existing:
        return False
    index = NoPublishIndex.from_rows(existing, cohort=None)  # plain distances only: no scoring offsets
    return index.near_duplicate(result.vector(), pupil_id, DUPLICATE_DISTANCE)
