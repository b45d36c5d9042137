"""Every image rule, in one list (as text_checks/registry.py): add a rule here and nowhere else."""
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
