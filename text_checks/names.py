"""The no-publish names as one multi-pattern matcher, built whenever the list changes.

A school may list a couple of thousand pupils; one Aho-Corasick automaton over every way of writing
each name ("Samantha Jones", "Sam Jones", "Jones, Samantha") finds all of them in one pass over the
draft, so the cost does not grow with the list. Only first name + surname combinations are added: a
first name alone (or a short form alone) names half a year group, not one pupil.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from importlib import resources
from typing import Iterable

import ahocorasick

from text_checks.textutil import fast_regex, fold, strip_accents, whole_word

_SPACES = fast_regex(r"\s+")


@lru_cache(maxsize=1)
def short_forms() -> dict[str, tuple[str, ...]]:
    """Given name -> short forms (data/short_forms.txt)."""
    table: dict[str, tuple[str, ...]] = {}
    text = resources.files("text_checks").joinpath("data/short_forms.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        full, _, shorts = line.partition(":")
        table[full.strip()] = tuple(shorts.split())
    return table


def _clean(name: str) -> str:
    return _SPACES.sub(" ", strip_accents(fold(name)).strip())


def name_variants(display_name: str) -> set[str]:
    """Every folded way of writing one pupil's name that should match."""
    name = _clean(display_name)
    words = name.split(" ")
    if len(words) < 2:
        return {name} if len(name) >= 4 else set()
    first, last = words[0], words[-1]
    variants = {name, f"{first} {last}", f"{last}, {first}", f"{last} {first}"}
    for short in short_forms().get(first, ()):
        variants.add(f"{short} {last}")
    if "-" in last:  # double-barrelled: "Amy Smith-Jones" is also "Amy Smith Jones", "Amy SmithJones"
        variants |= {f"{first} {last.replace('-', ' ')}", f"{first} {last.replace('-', '')}"}
    for v in list(variants):  # apostrophes dropped or spaced as people type them: "OBrien", "O Brien"
        if "'" in v:
            variants |= {v.replace("'", ""), v.replace("'", " ")}
    return {v for v in variants if len(v) >= 5}


class NoPublishNames:
    """Finds the names of no-publish pupils in a text.

    Built from `[(pupil_id, display_name)]`; `find(text)` returns `[(start, end, pupil_id)]` in
    code points of `text`, longest match first where matches overlap, whole words only, any case.
    """

    def __init__(self, pupils: Iterable[tuple[int, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        entries: dict[str, int] = {}
        for pupil_id, display_name in pupils:
            self.size += 1
            for variant in name_variants(display_name):
                entries.setdefault(variant, pupil_id)
        for variant, pupil_id in entries.items():
            self._automaton.add_word(variant, (len(variant), pupil_id))
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self.size

    def find(self, text: str) -> list[tuple[int, int, int]]:
        if self._empty or not text:
            return []
        folded, back = _normalise_spaces(strip_accents(fold(text)))
        hits = []
        for end_index, (length, pupil_id) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if whole_word(folded, start, end):
                hits.append((back(start), back(end - 1) + 1, pupil_id))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, int]] = []
        for hit in hits:
            if kept and hit[0] < kept[-1][1]:
                continue
            kept.append(hit)
        return kept


_BLANKS = fast_regex(r"\s+")


def _normalise_spaces(folded: str):
    """Collapse each run of blanks (spaces, new lines, tabs, no-break spaces) to one space.

    Returns the collapsed text and a function mapping an index in it back to the original: the text
    is a sequence of segments that each keep their offsets, so one bisect finds the segment.
    """
    if "  " not in folded and "\n" not in folded and "\t" not in folded and "\u00a0" not in folded \
            and "\r" not in folded:
        return folded, lambda i: i
    pieces: list[str] = []
    starts_new: list[int] = []   # where each kept segment starts in the collapsed text
    starts_old: list[int] = []   # … and in the original
    pos_old = pos_new = 0
    for m in _BLANKS.finditer(folded):
        keep = folded[pos_old:m.start()] + " "
        starts_new.append(pos_new)
        starts_old.append(pos_old)
        pieces.append(keep)
        pos_new += len(keep)
        pos_old = m.end()
    starts_new.append(pos_new)
    starts_old.append(pos_old)
    pieces.append(folded[pos_old:])

    def back(i: int) -> int:
        k = bisect_right(starts_new, i) - 1
        return starts_old[k] + (i - starts_new[k])

    return "".join(pieces), back
