"""Redacted excerpts for the near-miss log: the words around each finding, the finding masked."""
from __future__ import annotations

from checks_common import Finding

CONTEXT_CHARS = 40

#: Masks for rules whose matched words are themselves sensitive (used when a rule sets none).
DEFAULT_MASKS = {
    "no-publish-name": "[no-publish name]",
    "pupil-identifier": "[pupil identifier]",
    "personal-contact": "[contact details]",
    "sensitive-pupil-info": "[sensitive detail]",
    "confidential-marker": "[confidential]",
    "derogatory": "[offensive word]",
    "discriminatory": "[slur]",
    "defamation-risk": "[accusation]",
}


def mask_for(f: Finding) -> str | None:
    return f.redact_as or DEFAULT_MASKS.get(f.rule)


def redacted_excerpt(text: str, findings: list[Finding]) -> str | None:
    """The text around every finding's span, with each sensitive span replaced by its mask.

    Windows that overlap are joined; everything outside them is dropped ("…"), so the log keeps
    only what a reviewer needs to see why the check fired.
    """
    spans = sorted(f.span for f in findings if f.span)
    if not spans:
        return None
    masks = sorted(((f.span[0], f.span[1], mask_for(f)) for f in findings if f.span and mask_for(f)))
    windows: list[list[int]] = []
    for start, end in spans:
        lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        for s, e, _ in masks:  # never cut a mask in half at a window edge
            if s < lo < e:
                lo = s
            if s < hi < e:
                hi = e
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    pieces = []
    for lo, hi in windows:
        pieces.append(_mask_window(text, lo, hi, masks))
    prefix = "…" if windows[0][0] > 0 else ""
    suffix = "…" if windows[-1][1] < len(text) else ""
    return prefix + " … ".join(pieces) + suffix


def _mask_window(text: str, lo: int, hi: int, masks: list[tuple[int, int, str]]) -> str:
    out, pos = [], lo
    for start, end, label in masks:
        if end <= pos or start >= hi:
            continue
        start = max(start, pos)
        out.append(text[pos:start])
        out.append(label)
        pos = max(pos, min(end, hi))
    out.append(text[pos:hi])
    return "".join(out)
