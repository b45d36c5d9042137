"""Every image rule, in one list; adding one works as in text_checks/registry.py."""
from __future__ import annotations

from image_checks.rule import ImageRule
from image_checks.rules.faces import (
    NameOnlyPupilFace,
    NoPublishFace,
    PossibleNoPublishFace,
    PupilImagePersonalAccount,
    UnverifiableFace,
)
from image_checks.rules.metadata import ImageAttribution, ImageLocation

IMAGE_RULES: tuple[type[ImageRule], ...] = (
    NoPublishFace,
    PossibleNoPublishFace,
    NameOnlyPupilFace,
    UnverifiableFace,
    PupilImagePersonalAccount,
    ImageLocation,
    ImageAttribution,
)
