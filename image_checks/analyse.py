"""From upload bytes to `ImageAnalysis`: decode, faces, encodings, nearest pupil, metadata.

Faces are encoded only when the answer depends on who they are: on a school account with
someone on the no-publish list. On a personal account any face blocks already, so no biometric
processing is done at all (data minimisation); the encodings live in memory for this call only.
"""
from __future__ import annotations

import base64
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from checks_common import Draft, Policy
from image_checks.budget import DETECT_MAX_PIXELS, one_at_a_time, release_memory
from image_checks.decode import decode
from image_checks.encoder import encode_chips
from image_checks.face_arc import MIRRORED_FACES, encode_arc
from image_checks.face_sface import encode_sface
from image_checks.face_detection import FaceSettings, iter_faces
from image_checks.index import DEFAULT_NETWORK
from image_checks.intake import IntakeError
from image_checks.exif import read_metadata, stripped_copy
from image_checks.rule import ImageAnalysis

if TYPE_CHECKING:
    from image_checks import ImageInput


def face_settings(policy: Policy) -> FaceSettings:
    """The pipeline's knobs from the policy's [faces] table."""
    s = policy.face_setting
    return FaceSettings(
        min_face_px=policy.min_face_px,
        clear_face_px=max(policy.min_face_px, s("clear_face_px", FaceSettings.clear_face_px)),
        min_sharpness=s("min_sharpness", FaceSettings.min_sharpness),
        max_yaw=s("max_yaw", FaceSettings.max_yaw),
        model=s("detector", FaceSettings.model),
        landmarks=s("landmarks", FaceSettings.landmarks),
        num_jitters=s("num_jitters", FaceSettings.num_jitters),
        finder=s("finder", FaceSettings.finder),
    )


def max_pixels(policy: Policy) -> int:
    return int(policy.face_setting("max_megapixels", 50) * 1_000_000)


#: At most this many faces of one photo are encoded and compared with the list (`[faces]
#: max_checked_faces`); a crowd's further faces are reported, not silently skipped. Encoding is
#: ~7 ms a face on two cores, so 128 faces hold a 12 MP stadium crowd (428 encodable faces, 5 s)
#: under 3 s; an ordinary group photo (≤ 110 faces) is checked whole.
DEFAULT_MAX_CHECKED_FACES = 128


def max_checked_faces(policy: Policy) -> int:
    return int(policy.face_setting("max_checked_faces", DEFAULT_MAX_CHECKED_FACES))


def encoding_order(faces: list[Any]) -> list[int]:
    """The indices of the faces worth encoding, the most useful first: clear faces before small,
    blurred or turned ones (those are reported as unverifiable unless they match anyway), each
    kind largest first (the largest also keep the mirror-image encoding, MIRRORED_FACES)."""
    encodable = [i for i, face in enumerate(faces) if face.arc_chip is not None]
    return sorted(encodable, key=lambda i: (faces[i].quality != "ok", -faces[i].width))


def encode_faces(chips: list[np.ndarray], num_jitters: int = 1) -> np.ndarray:
    """One encoding per face in a draft: the mean of its chip's and its mirror image's encodings.

    Measured (bench/face_quality.py's protocol, 200 random LFW splits, cohort-normalised index):
    +1.1 points caught at 1 % false alarms (better in 154 splits, worse in 23), +0.6 at 2 %, for
    one more encoding per face (~2 ms here). A mirrored photo (selfies often are) encodes the same.
    """
    if len(chips) == 0:
        return np.zeros((0, 128))
    both = encode_chips(list(chips) + [np.ascontiguousarray(chip[:, ::-1]) for chip in chips], num_jitters)
    return (both[:len(chips)] + both[len(chips):]) / 2


def encode_for(index: Any, faces: list[Any], num_jitters: int = 1
               ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """The faces' SFace, ArcFace and dlib encodings, each only where the index scores some pupil
    with that network (its own network always: an encoded face that matches nobody is cleared
    by it). dlib's only while some pupil has dlib-only templates (enrolled before the others)."""
    chips = [f.arc_chip for f in faces]
    sface = encode_sface(chips) if getattr(index, "needs_sface", False) else None
    arc = encode_arc(chips, mirrored=MIRRORED_FACES) if sface is None or index.needs_arc else None
    dlib = encode_faces([f.chip for f in faces], num_jitters) if index.needs_dlib else None
    return sface, arc, dlib


def analyse(image: "ImageInput", draft: Draft, policy: Policy, index: Any) -> ImageAnalysis:
    """Everything the image rules need about one accepted upload (`intake.accept`: its type sniffed
    and its SHA-256 taken already); IntakeError (with `.index`) if it does not decode.

    One image at a time per process (`budget.one_at_a_time`), decoded at most `DETECT_MAX_PIXELS`
    large, its memory handed back afterwards (see image_checks/budget.py)."""
    with one_at_a_time():
        try:
            analysis, decoded = _faces(image, draft, policy, index)
        finally:
            release_memory()
    analysis.metadata = read_metadata(decoded.original)
    if analysis.metadata.has_location:
        copy, media_type = stripped_copy(decoded.original, decoded.media_type)
        analysis.stripped = {"index": image.index, "media_type": media_type,
                             "base64": base64.b64encode(copy).decode("ascii")}
    return analysis


def _faces(image: "ImageInput", draft: Draft, policy: Policy, index: Any) -> tuple[ImageAnalysis, Any]:
    """Decode, find, encode and match the faces of one upload."""
    index_no = image.index
    try:
        decoded = decode(image.data, max_pixels(policy), media_type=image.media_type, reduce_to=DETECT_MAX_PIXELS)
    except IntakeError as err:
        err.index = index_no
        raise
    settings = face_settings(policy)
    analysis = ImageAnalysis(index=index_no, media_type=decoded.media_type, width=decoded.width,
                             height=decoded.height, sha256=image.sha256 or "")
    needs_identity = draft.is_school_account and index is not None and (
        len(index) > 0 or getattr(index, "pending_manual", 0) > 0)
    if needs_identity and hasattr(index, "for_network"):  # the policy's [faces] network
        index = index.for_network(policy.face_setting("network", DEFAULT_NETWORK))
    # "perhaps a face" detections too (the unverifiable-face rule reports them); dlib's chips only
    # while some listed pupil has dlib-only templates
    settings = replace(settings, keep_uncertain=True,
                       dlib_chips=bool(needs_identity and getattr(index, "needs_dlib", False)))
    analysis.faces = list(iter_faces(decoded.rgb, settings))
    encoded = encoding_order(analysis.faces) if needs_identity else []
    cap = max_checked_faces(policy)
    for i in encoded[cap:]:  # a crowd beyond the cap: unverifiable-face reports their region
        analysis.faces[i].quality = "unchecked"
    encoded = encoded[:cap]
    distances = np.full(len(analysis.faces), np.inf)
    if encoded:
        faces = [analysis.faces[i] for i in encoded]
        sface, arc, dlib_encodings = encode_for(index, faces, settings.num_jitters)
        nearest, _ = index.nearest(arc, dlib_encodings, sface)  # the pupil ids are dropped here, on purpose
        for face, enc, d, i in zip(faces, sface if sface is not None else arc, nearest, encoded):
            face.encoding = enc
            distances[i] = d
    for face in analysis.faces:
        face.chip = face.arc_chip = None  # no pixels of faces outlive the analysis
    analysis.distances = [float(d) for d in distances]
    if decoded.scale != 1.0:  # found on reduced pixels: boxes and widths in the upload's
        for face in analysis.faces:
            face.box = tuple(int(round(v / decoded.scale)) for v in face.box)
            face.width = int(round(face.width / decoded.scale))
    decoded.rgb = None
    return analysis, decoded
