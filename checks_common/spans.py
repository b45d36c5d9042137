"""Span offsets in UTF-16 code units, as JavaScript (and so the extension) counts them.

Rules work on Python strings (code points); an emoji outside the Basic Multilingual Plane is one
code point but two UTF-16 units, so every offset after it shifts by one. The API converts once,
here, when it answers.
"""


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset of the code-point `index` in `text`."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def utf16_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Convert a code-point span [start, end) into UTF-16 units."""
    before = utf16_offset(text, start)
    return before, before + (end - start) + sum(1 for ch in text[start:end] if ord(ch) > 0xFFFF)
