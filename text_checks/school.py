"""Where a draft names the school: aliases, handles and hashtags, as whole words, any case."""
from __future__ import annotations

import re

from checks_common import Policy
from text_checks.textutil import APOSTROPHES, phrase_pattern


def _alias_pattern(alias: str) -> str:
    """Regex for one alias: any apostrophe, flexible spaces, optional possessive 's."""
    return phrase_pattern(alias) + f"(?:[{APOSTROPHES}]s)?"


class SchoolMentions:
    """Finds every mention of the school in a text; compiled once per policy."""

    def __init__(self, policy: Policy) -> None:
        aliases = sorted({a for a in policy.aliases}, key=len, reverse=True)
        handles = sorted({h.lstrip("@") for h in policy.handles}, key=len, reverse=True)
        prefixes = sorted({p.lstrip("#") for p in policy.hashtag_prefixes}, key=len, reverse=True)
        parts = []
        if handles:
            parts.append(r"@(?:" + "|".join(re.escape(h) for h in handles) + r")\b")
        if prefixes:
            parts.append(r"#(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*")
        if aliases:
            parts.append(r"(?<![\w@#])(?:" + "|".join(_alias_pattern(a) for a in aliases) + r")(?!\w)")
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def find(self, text: str) -> list[tuple[int, int]]:
        if self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(text)]
