"""Image rules of Second Look: `check_images(images, draft, policy, index) -> ImageCheckResult`.

No Flask in here. Each upload is sniffed and hashed once (`intake.accept`; the server does it as
the request is read), decoded safely in memory (`decode`), its faces found and, when the answer
depends on who they are, encoded and compared with the no-publish index (`analyse`); then every
rule of `registry.IMAGE_RULES` looks at the result. Besides the findings, the result reports each
image's SHA-256, face count and, when it records a location, a stripped copy (the server answers
with the copy and never logs it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from checks_common import Draft, Finding, Policy


@dataclass(frozen=True)
class ImageInput:
    """One uploaded image, kept in memory only (never written to disk).

    `media_type` and `sha256` are set by `image_checks.intake.accept`, which sniffs the upload;
    an input without them is accepted (sniffed and hashed) when it is checked."""

    index: int
    data: bytes
    filename: str = ""
    media_type: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class ImageReport:
    """What the check learnt about one image besides its findings: never pixels, EXIF or encodings."""

    index: int
    sha256: str
    faces: int
    #: {"index", "media_type", "base64"}: the image without its location metadata, or None
    stripped: dict[str, Any] | None = None


@dataclass
class ImageCheckResult:
    """The findings of the image rules, and a report per image. Iterating it iterates the findings."""

    findings: list[Finding] = field(default_factory=list)
    images: list[ImageReport] = field(default_factory=list)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def report(self, index: int) -> ImageReport:
        return next(r for r in self.images if r.index == index)

    @property
    def stripped_images(self) -> list[dict[str, Any]]:
        """Copies without location metadata, for the answer only (never the log)."""
        return [r.stripped for r in self.images if r.stripped is not None]


def check_images(images: list[ImageInput], draft: Draft, policy: Policy, index: Any = None,
                 max_bytes: int | None = None) -> ImageCheckResult:
    """Every enabled image rule on every image; an IntakeError (with `.index`) if one is unreadable."""
    from image_checks.analyse import analyse
    from image_checks.budget import check_request_pixels, request_budget
    from image_checks.decode import DEFAULT_MAX_BYTES
    from image_checks.intake import accept
    from image_checks.registry import IMAGE_RULES
    from image_checks.rule import ImageContext

    ctx = ImageContext(draft=draft, policy=policy, index=index)
    rules = [rule(policy) for rule in IMAGE_RULES if policy.rule_enabled(rule.id)]
    result = ImageCheckResult()
    check_request_pixels(images, request_budget(policy))  # before any pixel is decoded
    for image in images:
        analysis = analyse(accept(image, max_bytes or DEFAULT_MAX_BYTES), draft, policy, index)
        for rule in rules:
            result.findings.extend(rule.find(analysis, ctx))
        result.images.append(ImageReport(index=image.index, sha256=analysis.sha256, faces=sum(f.quality != "uncertain" for f in analysis.faces),
                                         stripped=analysis.stripped))
    return result
