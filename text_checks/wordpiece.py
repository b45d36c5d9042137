"""BERT's uncased WordPiece tokeniser, as a few lines of Python (no `tokenizers` dependency).

The language model (text_checks/language_model.py) looks each word piece up in a static table,
so the tokeniser only has to be the same at training and at run time; it follows BERT's basic
tokeniser (lower-case, strip accents, split on punctuation) and greedy longest-match WordPiece.
Words are cached, so a draft costs a dict look-up per word once its words have been seen.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from text_checks.textutil import fast_regex

_SPLIT = fast_regex(r"\w+|[^\w\s]", re.UNICODE)
MAX_WORD = 40


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


class WordPiece:
    def __init__(self, vocab: list[str]) -> None:
        self.vocab = {tok: i for i, tok in enumerate(vocab)}
        self.unk = self.vocab.get("[UNK]", 100)
        self.pieces = lru_cache(maxsize=200_000)(self._pieces)

    def _pieces(self, word: str) -> tuple[int, ...]:
        word = _strip_accents(word)
        if len(word) > MAX_WORD:
            return (self.unk,)
        out: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            out.append(found)
            start = end
        return tuple(out)

    def words(self, text: str) -> list[re.Match]:
        return list(_SPLIT.finditer(text.lower()))

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        pieces = self.pieces
        for m in _SPLIT.finditer(text.lower()):
            ids.extend(pieces(m.group()))
        return ids
