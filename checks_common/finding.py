"""The one shape every check returns: a Finding, plus the draft it is about."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Severities from least to most serious; the verdict of a check is the most serious one found.
SEVERITIES = ("advice", "warn", "block")
_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    return _RANK[severity]


def verdict_of(findings: list["Finding"]) -> str:
    """`pass` when nothing was found, else the highest severity among the findings."""
    if not findings:
        return "pass"
    return max((f.severity for f in findings), key=severity_rank)


@dataclass(frozen=True)
class Clause:
    """A clause of the school's social media policy, quoted in its own words."""

    ref: str
    title: str
    text: str


@dataclass(frozen=True)
class Box:
    """A face box in pixels of the uploaded image after EXIF orientation."""

    top: int
    right: int
    bottom: int
    left: int

    def as_dict(self) -> dict[str, int]:
        return {"top": self.top, "right": self.right, "bottom": self.bottom, "left": self.left}


@dataclass(frozen=True)
class ImageRef:
    index: int
    box: Box | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "box": self.box.as_dict() if self.box else None}


@dataclass
class Finding:
    """One thing a rule found.

    `span` is in code points of the draft's text (Python indices); the API converts it to UTF-16
    units when it answers. `explanation` says which pattern, lexicon entry or score fired: it is
    kept server-side for the log and never sent to the client. `redact_as` is the mask the
    near-miss log puts over the span (e.g. "[phone]"); None means the span may be kept. `fix` is
    what the client may apply (`{"kind": "append", "text": …}`, `{"stripped_image": 0}`).
    """

    rule: str
    severity: str
    message: str
    suggestion: str
    clause: Clause
    span: tuple[int, int] | None = None
    image: ImageRef | None = None
    explanation: dict[str, Any] = field(default_factory=dict)
    redact_as: str | None = None
    fix: dict[str, Any] | None = None
    #: every face an image finding is about, when it is about several (one warning for a whole photo)
    boxes: tuple[Box, ...] = ()

    @property
    def rank(self) -> int:
        return severity_rank(self.severity)


@dataclass(frozen=True)
class Draft:
    """The post being composed, as the API received it."""

    text: str = ""
    platform: str = "other"
    account_type: str = "personal"
    account_handle: str | None = None
    audience: str = "public"
    client: str | None = None

    @property
    def is_school_account(self) -> bool:
        return self.account_type == "school"
