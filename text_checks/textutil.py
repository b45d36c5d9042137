"""Small text helpers the rules share: same-length lower-casing, sentences, word boundaries.

Every helper keeps code-point offsets intact (or maps them back), because a finding's span must
point at the words in the draft the member of staff typed.
"""
from __future__ import annotations

import re
import unicodedata

_OPS = re._constants  # the parsed form of a pattern (re._parser), read by `fast_regex`


def _first_chars(items) -> tuple[set[str], bool] | None:
    """The characters a match of the parsed `items` can start with, and whether it can be empty;
    None when any character could (a \\w, a dot, a negated set)."""
    out: set[str] = set()
    for op, av in items:
        if op in (_OPS.AT, _OPS.ASSERT, _OPS.ASSERT_NOT):
            continue  # zero width: the next item decides
        if op is _OPS.LITERAL:
            return out | {chr(av)}, False
        if op is _OPS.IN:
            for kind, value in av:
                if kind is _OPS.LITERAL:
                    out.add(chr(value))
                elif kind is _OPS.RANGE and value[1] - value[0] < 256:
                    out.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    return None
            return out, False
        if op is _OPS.SUBPATTERN:
            inner = _first_chars(av[-1])
        elif op is _OPS.BRANCH:
            branches = [_first_chars(b) for b in av[1]]
            if any(b is None for b in branches):
                return None
            inner = set().union(*(b[0] for b in branches)), any(b[1] for b in branches)
        elif op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT, _OPS.POSSESSIVE_REPEAT):
            inner = _first_chars(av[2])
            if inner is not None and av[0] == 0:
                inner = inner[0], True
        else:
            return None
        if inner is None:
            return None
        out |= inner[0]
        if not inner[1]:
            return out, False
    return out, True


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")  # "(?i)…" must stay first


def fast_regex(pattern: str, flags: int = 0) -> re.Pattern:
    """`re.compile(pattern, flags)`, led by a lookahead on the characters a match can start with when
    they are known. Why: Python's `re` tries every alternative of a long `\\b(?:a|b|…)` at every
    position of a draft; the lookahead fails most positions at once (a rule's phrase list costs a
    third to a half less on a 5,000-character draft). Same matches, same spans."""
    try:
        firsts = _first_chars(re._parser.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - a bad pattern (re.compile says why) or an internal of `re` that changed shape
        firsts = None
    if firsts is None or firsts[1] or not firsts[0] or _GLOBAL_FLAGS.match(pattern):
        return re.compile(pattern, flags)
    # case-insensitive whatever the flags: a part of the pattern may be ("(?i:found|saw)")
    return re.compile("(?=(?i:[" + "".join(re.escape(c) for c in sorted(firsts[0])) + "]))(?:" + pattern + ")", flags)


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
