"""Small text helpers the rules share: same-length lower-casing, sentences, word boundaries.

Every helper keeps code-point offsets intact (or maps them back), because a finding's span must
point at the words in the draft the member of staff typed.
"""
from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’‘ʼ`"
_APOS_TABLE = str.maketrans({ch: "'" for ch in APOSTROPHES[1:]})
#: Not after an initial ("M.T. from Year 8", "J. Smith") or a title ("Mr. Smith", "Dr. Patel").
_NOT_AN_END = r"(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)"
_SENTENCE_END = re.compile(rf"(?<=[.!?…]){_NOT_AN_END}\s+|\n+|(?<=[.!?]){_NOT_AN_END}(?=[A-Z])")


def fold(text: str) -> str:
    """Lower-case `text` and unify apostrophes without changing its length.

    `str.lower` can grow a string ("İ" becomes two code points); such characters are kept as they
    are so that offsets in the folded text are offsets in the original.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_APOS_TABLE)


def strip_accents(text: str) -> str:
    """"Zoë" -> "Zoe", "Łukasz" -> "Lukasz", one code point for one, so offsets still hold."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        base = _EXTRA_BASES.get(ch) or unicodedata.normalize("NFD", ch)[0]
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


_EXTRA_BASES = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"}


def sentences(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the sentences (or lines) of `text`, without surrounding blanks."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentence_of(spans: list[tuple[int, int]], index: int) -> tuple[int, int]:
    """The sentence span containing `index` (the last one when `index` is past the end)."""
    for s, e in spans:
        if s <= index < e:
            return s, e
    return spans[-1] if spans else (0, 0)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def whole_word(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not glued to letters or digits on either side."""
    if start > 0 and is_word_char(text[start - 1]):
        return False
    if end < len(text) and is_word_char(text[end]):
        return False
    return True


def phrase_pattern(phrase: str) -> str:
    """Regex for one phrase: any apostrophe for an apostrophe, any run of blanks for a space."""
    out = []
    for ch in phrase:
        if ch in APOSTROPHES:
            out.append(f"[{APOSTROPHES}]")
        elif ch.isspace():
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def phrase_regex(phrases: list[str] | tuple[str, ...]) -> str:
    """One alternation for phrases (see `phrase_pattern`), longest first."""
    return "(?:" + "|".join(phrase_pattern(p) for p in sorted(set(phrases), key=len, reverse=True)) + ")"


def cached_sentences(ctx, text: str) -> list[tuple[int, int]]:
    """`sentences(text)` once per draft, shared by the rules through the context cache."""
    spans = ctx.cache.get("sentences")
    if spans is None:
        spans = ctx.cache["sentences"] = sentences(text)
    return spans
