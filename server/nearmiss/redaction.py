"""What the near-miss log keeps of a check: never the draft, only a redacted excerpt and ids.

The log must not become a second copy of the data it caught. So:

* the excerpt is the words around each finding, with every sensitive span replaced by a mask
  naming its type ("[phone]", "[no-publish name]", "[slur]" …) — and any other occurrence of the
  same value inside the excerpt is masked too;
* every other word, inside or around a finding, is kept only when it is in the closed vocabulary of
  neutral words (server/nearmiss/excerpt.py); names, places, numbers, dates, quotes and any word about a
  child's health, family or home become "[…]", whatever rule fired;
* masking is deny-by-default: a span is kept only when its rule declares `mask = None`
  (`KEPT_SPAN_RULES`: the school's own name, a topic word, shouting …) and the finding did not
  ask for a mask with `Finding.redact_as`; any other rule, including one added later, is masked
  (and even then its words pass the neutral vocabulary);
* a finding is logged as rule, severity, clause ref, span offsets or image box, and a few
  identifier-like explanation values — never the matched text, a message, a pupil id or a score
  that could identify someone;
* an image is logged as its index, SHA-256 and face count only.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from checks_common import Finding
from server.nearmiss.excerpt import collapse, neutral_piece, quoted_spans
from server.rule_catalogue import ALL_RULES

CONTEXT_CHARS = 40
#: At most this many excerpt windows are kept; a draft with dozens of findings does not need more.
MAX_WINDOWS = 8
#: Repeats of a masked value shorter than this are not hunted for elsewhere (too many false hits).
MIN_REPEAT_CHARS = 3

#: Each rule's mask over its span, as the rule declares it (`Rule.mask`, never written here).
DEFAULT_MASKS = {rule.id: rule.mask for rule in ALL_RULES if rule.mask is not None}
#: The mask for a span of a rule that is neither kept nor listed above (e.g. a rule added later).
GENERIC_MASK = "[redacted]"

#: Rules whose matched words are not personal data and show a reviewer why the check fired: those
#: that declare `mask = None` (the school's own name, a topic word, shouting, a press handle …).
KEPT_SPAN_RULES = frozenset(rule.id for rule in ALL_RULES if rule.mask is None)

#: A mask label a rule may set: a short bracketed type name, nothing that could carry a value.
_LABEL = re.compile(r"\[[A-Za-z][A-Za-z \-]{0,38}\]")
#: Explanation keys the log may keep, and the shape a string value must have to be kept.
EXPLANATION_KEYS = frozenset({"pattern", "kind", "lexicon", "score", "model", "source"})
#: Two capitalised words in a row look like a person's name: never kept for a masked finding.
_PERSON_NAME = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+")
_SLUG = re.compile(r"[A-Za-z][A-Za-z0-9 _.:+\-]{0,39}")


def mask_for(f: Finding) -> str | None:
    """The mask over `f`'s span, or None when the span may be kept as written."""
    if f.redact_as:
        if _LABEL.fullmatch(f.redact_as) and not _PERSON_NAME.search(f.redact_as):
            return f.redact_as
        return DEFAULT_MASKS.get(f.rule, GENERIC_MASK)
    if f.rule in KEPT_SPAN_RULES:
        return None
    return DEFAULT_MASKS.get(f.rule, GENERIC_MASK)


def _clamped(span: tuple[int, int], length: int) -> tuple[int, int] | None:
    start, end = max(0, min(span[0], length)), max(0, min(span[1], length))
    return (start, end) if end > start else None


def _masks(text: str, findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    """Every span to mask: the findings' own, plus other occurrences of the same values."""
    masks: list[tuple[int, int, str]] = []
    values: dict[str, str] = {}
    for f in findings:
        label = mask_for(f)
        span = _clamped(f.span, len(text)) if f.span else None
        if span is None or label is None:
            continue
        masks.append((span[0], span[1], label))
        value = text[span[0]:span[1]].strip()
        if len(value) >= MIN_REPEAT_CHARS:
            values.setdefault(value.casefold(), label)
    if values:
        # One pass for all values, longest first so "Jane Doe" wins over "Jane".
        alternatives = sorted(values, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(v) for v in alternatives), re.IGNORECASE)
        for match in pattern.finditer(text):
            masks.append((match.start(), match.end(), values.get(match.group(0).casefold(), GENERIC_MASK)))
    return sorted(set(masks))


def redacted_excerpt(text: str, findings: list[Finding]) -> str | None:
    """The text around every finding's span, with each sensitive span replaced by its mask.

    Windows that overlap are joined; everything outside them is dropped ("…"), so the log keeps
    only what a reviewer needs to see why the check fired.
    """
    spans = sorted(s for s in (_clamped(f.span, len(text)) for f in findings if f.span) if s)
    if not spans:
        return None
    masks = _masks(text, findings)
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
    dropped = len(windows) - MAX_WINDOWS
    windows = windows[:MAX_WINDOWS]
    quoted = quoted_spans(text)
    pieces = [_mask_window(text, lo, hi, masks, quoted) for lo, hi in windows]
    prefix = "…" if windows[0][0] > 0 else ""
    suffix = "…" if windows[-1][1] < len(text) else ""
    more = f" (+{dropped} more)" if dropped > 0 else ""
    return collapse(prefix + " … ".join(pieces) + suffix + more)


def _mask_window(text: str, lo: int, hi: int, masks: list[tuple[int, int, str]],
                 quoted: list[tuple[int, int]]) -> str:
    """`text[lo:hi]` with each mask's label over its span and only neutral words elsewhere
    (server/nearmiss/excerpt.py: the words around a finding are kept by allow-list, whatever rule fired)."""
    out, pos = [], lo
    for start, end, label in masks:
        if end <= pos or start >= hi:
            continue
        start = max(start, pos)
        out.append(neutral_piece(text, pos, start, quoted))
        out.append(label)
        pos = max(pos, min(end, hi))
    out.append(neutral_piece(text, pos, hi, quoted))
    return "".join(out)


def redacted_text(text: str, findings: list[Finding]) -> str:
    """All of `text` with every sensitive finding masked and only neutral words kept (for short
    free text such as an override reason, where there is no need to cut to windows)."""
    return collapse(_mask_window(text, 0, len(text), _masks(text, findings), quoted_spans(text)))


def _safe_explanation(f: Finding, text: str) -> dict[str, Any]:
    """Identifier-like explanation values only (which pattern or lexicon fired, a model score).

    A value that could be the draft's own words is dropped: any string that appears in the draft or
    overlaps the matched text, and anything that looks like a person's name; for a masked finding,
    every lexicon entry too (it may be the slur itself, spelt without the obfuscation).
    """
    masked = mask_for(f) is not None
    span = _clamped(f.span, len(text)) if f.span else None
    matched = _letters(text[span[0]:span[1]]) if span else ""
    safe: dict[str, Any] = {}
    for key, value in f.explanation.items():
        if key not in EXPLANATION_KEYS:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            continue
        if isinstance(value, (int, float)):
            if key == "score":
                safe[key] = round(float(value), 3)
            continue
        if not _SLUG.fullmatch(value):
            continue
        if (masked and key == "lexicon") or _PERSON_NAME.search(value) or value.casefold() in text.casefold() \
                or (matched and (_letters(value) in matched or matched in _letters(value))):
            continue
        safe[key] = value
    return safe


def _letters(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


def logged_finding(f: Finding, text: str = "") -> dict[str, Any]:
    """What the log keeps of a finding: never the matched text, only where and why.

    Image findings keep rule, severity, clause and the face box: no distance, no pupil id.
    """
    entry: dict[str, Any] = {"rule": f.rule, "severity": f.severity, "clause": f.clause.ref}
    if f.span:
        span = _clamped(f.span, len(text)) if text else f.span
        if span:
            entry["span"] = [int(span[0]), int(span[1])]
    if f.image is not None:
        entry["image"] = f.image.as_dict()
        return entry
    safe = _safe_explanation(f, text)
    if safe:
        entry["explanation"] = safe
    return entry


def logged_images(images: Iterable[Any]) -> list[dict[str, Any]]:
    """Each checked image as index, SHA-256 and face count (`ImageReport`s of the image checks):
    never pixels, EXIF or encodings."""
    return [{"index": img.index, "sha256": img.sha256, "faces": img.faces} for img in images]
