"""Image rules of Second Look: `check_images(images, draft, policy, index) -> list[Finding]`.

No Flask in here. Each upload is decoded safely in memory (`decode`), its faces found and, when
the answer depends on who they are, encoded and compared with the no-publish index (`analyse`);
then every rule of `registry.IMAGE_RULES` looks at the result. A stripped copy of an image with
location metadata rides on its `image-location` finding as `extra["stripped"]` (the server moves
it to the answer's `stripped_images`; it is never logged).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks_common import Draft, Finding, Policy


@dataclass(frozen=True)
class ImageInput:
    """One uploaded image, kept in memory only (never written to disk)."""

    index: int
    data: bytes
    filename: str = ""


def check_images(images: list[ImageInput], draft: Draft, policy: Policy, index: Any = None) -> list[Finding]:
    """Findings of every enabled image rule on every image; IntakeError (with `.index`) if one is unreadable."""
    from image_checks.analyse import analyse
    from image_checks.budget import check_request_pixels, request_budget
    from image_checks.registry import IMAGE_RULES
    from image_checks.rule import ImageContext

    ctx = ImageContext(draft=draft, policy=policy, index=index)
    rules = [rule(policy) for rule in IMAGE_RULES if policy.rule_enabled(rule.id)]
    findings: list[Finding] = []
    check_request_pixels(images, request_budget(policy))  # before any pixel is decoded
    for image in images:
        analysis = analyse(image.index, image.data, draft, policy, index)
        for rule in rules:
            for finding in rule.find(analysis, ctx):
                if finding.rule == "image-location" and analysis.stripped:
                    finding.extra["stripped"] = analysis.stripped
                findings.append(finding)
    return findings
