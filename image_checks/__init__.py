"""Image rules of Second Look: `check_images(images, draft, policy, index) -> list[Finding]`.

No Flask in here. The face and metadata rules arrive with the image-checks issue; until then the
images are accepted (the API has already sniffed and size-checked them) and nothing is found.
"""
from __future__ import annotations

from dataclasses import dataclass

from checks_common import Draft, Finding, Policy


@dataclass(frozen=True)
class ImageInput:
    """One uploaded image, kept in memory only (never written to disk)."""

    index: int
    data: bytes
    filename: str = ""


def check_images(images: list[ImageInput], draft: Draft, policy: Policy, index: object = None) -> list[Finding]:
    return []
