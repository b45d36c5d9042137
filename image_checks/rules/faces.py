"""Face rules: no-publish pupils (certain, possible, unverifiable) and pupils on personal accounts."""
from __future__ import annotations

from typing import Iterable

from checks_common import Finding
from image_checks.rule import ImageAnalysis, ImageContext, ImageRule, distance_band


class NoPublishFace(ImageRule):
    """What it does: blocks an image in which a face's score for a pupil on the no-publish list is
    within the policy's `match_threshold` (the score: the distance from the face's encoding by the
    policy's `[faces] network`, SFace by default, to the mean of the pupil's templates, on one
    scale for every network — see image_checks/index.py).

    Why: clause 2.8 — pupils "must not be on any school list of children whose images must not
    be published".

    Example: a class photo in which one of the 30 faces is a listed pupil's, at distance 0.85.

    Passes: the same photo when nobody in it is on the list (every face farther than the looser
    `possible_threshold`), or when it is cropped so the listed pupil is out of frame.
    """

    id = "no-publish-face"
    severity = "block"
    clause = "2.8"
    title = "No-publish pupil in a photo"
    description = "a face in an image matches a pupil on the no-publish list"
    mask = "[no-publish pupil]"
    message = "A face in this image matches a pupil on the school's no-publish list."
    suggestion = "Remove the photo or crop this person out before posting."

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        if not ctx.draft.is_school_account:
            return
        for face, distance in zip(image.faces, image.distances):
            if distance <= ctx.policy.face_match_threshold:
                yield self.finding(image, face.box, explanation={"distance_band": distance_band(distance),
                                                                  "kind": "match"})


class PossibleNoPublishFace(ImageRule):
    """What it does: warns about a face between `match_threshold` and `possible_threshold` of a
    listed pupil's template.

    Why: clause 2.8 — a likely no-publish pupil must be looked at by a person before posting.

    Example: a face at distance 1.08 from a listed pupil (thresholds 1.06 and 1.10).

    Passes: faces farther than `possible_threshold` from every template (a face that matches
    nobody while some pupils are listed by name only gets `name-only-pupil-face` instead).
    """

    id = "possible-no-publish-face"
    severity = "warn"
    clause = "2.8"
    title = "Possible no-publish pupil in a photo"
    description = "a face is close to a listed pupil but not certain"
    mask = "[possible no-publish pupil]"
    message = "A face in this image looks like a pupil on the school's no-publish list, but not certainly."
    suggestion = "Check who this is before posting; crop them out if unsure."

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        if not ctx.draft.is_school_account:
            return
        policy = ctx.policy
        for face, distance in zip(image.faces, image.distances):
            if face.encoding is None or distance <= policy.face_match_threshold:
                continue
            if distance <= policy.face_possible_threshold:
                yield self.finding(image, face.box, explanation={"distance_band": distance_band(distance),
                                                                  "kind": "possible"})


#: Where staff see, after signing in, the names and year groups of pupils to check by eye
#: (server/admin/check_by_eye.py); never reachable with an API token alone.
CHECK_BY_EYE_PATH = "/admin/check-by-eye"


class NameOnlyPupilFace(ImageRule):
    """What it does: while some pupils are on the no-publish list by name only (consent to
    biometric processing withdrawn, or the pupil objects, so the school may keep no face
    template for them), warns once per image from a school account about the clear faces that
    match nobody: the service cannot tell whether one of them is such a pupil, so a person must
    check them against the list of pupils to check by eye (names and year groups only), which the
    finding links to.

    Why: clause 2.8 — pupils on the school's no-publish list must not be published; for these
    pupils only a person can check.

    Example: a sports-day photo of three pupils from @KJSSport while one listed pupil's parents have
    withdrawn consent to face matching.

    Passes: a photo whose only faces are matched (they get the match rules), a photo without
    faces, any photo when nobody is listed by name only, any photo from a personal account
    (blocked by pupil-image-personal-account already).
    """

    id = "name-only-pupil-face"
    severity = "warn"
    clause = "2.8"
    title = "Faces to check by eye"
    description = "faces nobody matched while some listed pupils are kept by name only (no face data)"
    mask = "[face to check by eye]"
    message = ("Some pupils on the no-publish list can only be checked by eye: the school keeps no "
               "face data for them. Check that {who} not one of them before posting.")
    suggestion = ("Open the list of pupils to check by eye, choose the year groups in this photo, "
                  "and crop out anyone on it.")
    #: The page this finding links to (the API makes it absolute; it asks for a browser sign-in).
    link_path = CHECK_BY_EYE_PATH
    link_label = "Pupils to check by eye"

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        if not ctx.draft.is_school_account or not ctx.pending_manual:
            return
        policy = ctx.policy
        unmatched = [face for face, distance in zip(image.faces, image.distances)
                     if face.encoding is not None and face.quality == "ok"
                     and distance > policy.face_possible_threshold]
        if not unmatched:
            return
        n = len(unmatched)
        who = "this person is" if n == 1 else f"none of the {n} people marked in this photo is"
        yield self.finding(image, unmatched[0].box if n == 1 else None,
                           message=self.message.format(who=who),
                           explanation={"kind": "name-only", "score": n},
                           boxes=[face.box for face in unmatched])


class UnverifiableFace(ImageRule):
    """What it does: warns about a face too small, blurred or turned away to be compared with
    the no-publish list with confidence, when the school has anyone on the list (a blurred or
    turned face that does match a listed pupil gets the match rule instead); "perhaps a face"
    detections beside real faces too; more than `CROWD` faces too small or unclear to encode (a
    back row, a crowd), or any face beyond the policy's `max_checked_faces` (a crowd too big to
    check in time), as one finding over their region, so the photo is never silently half-checked
    (with them the blurred, small or turned faces, when those too are more than `CROWD`).

    Why: clause 2.8 — a face that cannot be cleared might be a listed pupil's.

    Example: a 16-pixel face at the back of a hall photo (not even encoded); a 30-pixel face
    that matches nobody (below `clear_face_px` a non-match is not trusted: measured, only half
    of listed pupils' 25-pixel faces come within the thresholds); a face in motion blur; a profile.

    Passes: the same photo taken closer or sharper; any photo when the list is empty; any photo
    from a personal account (that is blocked by pupil-image-personal-account already).
    """

    id = "unverifiable-face"
    severity = "warn"
    clause = "2.8"
    title = "Face too unclear to check"
    description = "a face too small/blurred/turned to clear against the list"
    mask = "[face]"
    message = "A face in this image is too {why} to check against the school's no-publish list."
    crowd_message = ("{n} faces in this part of the image are too small or unclear to check against the "
                     "school's no-publish list: it was not fully checked.")
    unchecked_message = ("{n} faces in this part of the image were not checked against the school's "
                         "no-publish list: the photo holds more faces than one check covers. It was not "
                         "fully checked.")
    suggestion = "Check who this is before posting, or use a clearer photo."
    _WHY = {"too_small": "small", "small": "small", "blurred": "blurred", "turned": "turned away",
            "uncertain": "unclear"}
    #: More unencoded faces than this in one photo (a crowd, a back row) are reported as one region.
    CROWD = 6
    #: Faces never encoded: too few pixels, "perhaps a face", beyond the photo's `max_checked_faces`.
    _UNENCODED = ("too_small", "uncertain", "unchecked")

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        if not ctx.draft.is_school_account or not ctx.list_in_use:
            return
        # a "perhaps a face" detection counts only beside real faces: in a photo of people it is
        # likely one more (a turned head, a face in the crowd); in a photo of a hedge it is not
        people = any(face.quality != "uncertain" for face in image.faces)
        unclear = [(face, d) for face, d in zip(image.faces, image.distances)
                   if face.quality != "ok" and d > ctx.policy.face_possible_threshold
                   and (people or face.quality != "uncertain")]
        unencoded = [face for face, _ in unclear if face.quality in self._UNENCODED]
        capped = any(face.quality == "unchecked" for face in unencoded)
        if len(unencoded) > self.CROWD or capped:
            # a crowd: one finding over its region; with it, every other unclear face when they too
            # are many (a stadium photo gave 168 separate findings before)
            crowd = unencoded if len(unclear) - len(unencoded) <= self.CROWD else [face for face, _ in unclear]
            boxes = [face.box for face in crowd]
            region = (min(b[0] for b in boxes), max(b[1] for b in boxes), max(b[2] for b in boxes), min(b[3] for b in boxes))
            message = self.unchecked_message if capped else self.crowd_message
            yield self.finding(image, region, message=message.format(n=len(crowd)),
                               explanation={"kind": "crowd", "score": len(crowd)})
            in_crowd = {id(face) for face in crowd}
            unclear = [(face, d) for face, d in unclear if id(face) not in in_crowd]
        for face, _ in unclear:
            yield self.finding(image, face.box, message=self.message.format(why=self._WHY[face.quality]),
                               explanation={"kind": face.quality})


class PupilImagePersonalAccount(ImageRule):
    """What it does: blocks an image with any face in it posted from a personal account.

    Why: clause 2.8 — "Under no circumstances should staff share or upload student pictures
    online other than via school owned social media accounts."

    Example: a teacher's own X account posting a photo from the school trip with faces in it.

    Passes: the same photo from a school account (then the no-publish list decides); a photo
    with no faces (a display board, a landscape) from a personal account.
    """

    id = "pupil-image-personal-account"
    severity = "block"
    clause = "2.8"
    title = "Pupil photo on a personal account"
    description = "faces in an image posted from a personal account"
    mask = "[pupil image]"
    message = "Photos with people in them may only be posted from a school account."
    suggestion = "Post this from the school's account instead, or use a photo without people."

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        faces = [face for face in image.faces if face.quality != "uncertain"]  # not "perhaps a face"
        if ctx.draft.is_school_account or not faces:
            return
        n = len(faces)
        box = faces[0].box if n == 1 else None
        yield self.finding(image, box, message=self.message + (f" This one shows {n} faces." if n > 1 else ""),
                           explanation={"kind": "faces", "score": n})
