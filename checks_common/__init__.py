"""What the check packages share: the Finding shape, severities, spans and the school policy.

Both `text_checks` and `image_checks` import from here (and never from `server`), so the shape of a
finding and the policy they read live in one place.
"""
from checks_common.finding import (
    SEVERITIES,
    Box,
    Clause,
    Draft,
    Finding,
    ImageRef,
    verdict_of,
)
from checks_common.policy import Policy, PolicyError, default_policy, load_policy
from checks_common.spans import utf16_span

__all__ = [
    "SEVERITIES", "Box", "Clause", "Draft", "Finding", "ImageRef", "verdict_of",
    "Policy", "PolicyError", "default_policy", "load_policy", "utf16_span",
]
