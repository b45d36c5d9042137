"""The base every image rule builds on, and what a rule sees of one image (`ImageAnalysis`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from checks_common import Box, Draft, Finding, ImageRef, Policy
from checks_common.rule import Rule
from image_checks.face_detection import Face
from image_checks.exif import Metadata


@dataclass
class ImageAnalysis:
    """One image after decoding: its faces (with quality and nearest match) and its metadata.

    `distances[i]` is face i's score for the nearest listed pupil (`NoPublishIndex.nearest`: the
    ArcFace distance to the pupil's centroid; inf when not encoded or nothing is enrolled). The pupil the template belongs to is deliberately not kept here:
    no rule needs it, and no finding may carry it.
    """

    index: int
    media_type: str
    width: int
    height: int
    sha256: str
    faces: list[Face] = field(default_factory=list)
    distances: list[float] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    stripped: dict[str, Any] | None = None


@dataclass
class ImageContext:
    """What image rules may look at besides the image: the draft, policy and the list's index."""

    draft: Draft
    policy: Policy
    index: Any = None

    @property
    def list_size(self) -> int:
        return 0 if self.index is None else len(self.index)

    @property
    def pending_manual(self) -> int:
        return 0 if self.index is None else int(getattr(self.index, "pending_manual", 0))

    @property
    def list_in_use(self) -> bool:
        """True when the school has anyone on the list whose face could be in a photo."""
        return self.list_size > 0 or self.pending_manual > 0


class ImageRule(Rule):
    """An image rule. Subclasses set the class attributes and implement `find`.

    The docstring of each rule says What it does / Why (the clause) / Example / Passes.
    """

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, image: ImageAnalysis, box: tuple[int, int, int, int] | None = None, *,
                message: str | None = None, suggestion: str | None = None,
                explanation: dict[str, Any] | None = None, fix: dict[str, Any] | None = None,
                boxes: list[tuple[int, int, int, int]] | None = None) -> Finding:
        """`box`: the one face the finding is about; `boxes`: every face, when it is about several."""
        return self.finding_for(message=message, suggestion=suggestion, explanation=explanation, fix=fix,
                                image=ImageRef(image.index, Box(*box) if box else None),
                                boxes=tuple(Box(*b) for b in boxes or ()))


def distance_band(distance: float) -> str:
    """A coarse band for the log ("1.05-1.10"): enough to review a threshold, not to identify."""
    if distance == float("inf"):
        return "none"
    low = int(distance * 20) / 20
    return f"{low:.2f}-{low + 0.05:.2f}"
