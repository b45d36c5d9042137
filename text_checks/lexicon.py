"""Offensive-word lexicons, matched as whole words and through the usual disguises.

Staff (and trolls they reply to) write "1d10t", "s.t.u.p.i.d", "stuuupid", "f**k" and "s t u p i d".
Each token of the draft is tried as written, with letters separated by dots or dashes joined up,
with leetspeak digits mapped back to letters, with repeated letters collapsed and with "*" masks
treated as any letter. Whole-token matching is what solves the Scunthorpe problem ("Scunthorpe",
"Sussex", "assess", "cocktail" never contain a listed token); a small safelist covers the real
phrases that do ("Dick Whittington", "blue tit", "Offa's Dyke").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from text_checks.textutil import fast_regex, phrase_regex

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a",
                       "$": "s", "!": "i", "|": "i", "+": "t", "€": "e", "£": "l"})
_LEET_UNDER_MASK = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"})
_TOKEN = fast_regex(r"[a-z0-9@$*!|+€£][a-z0-9@$*!|+€£.\-_'’]*[a-z0-9@$*|+€£]|[a-z]")
_LETTERS = fast_regex(r"[a-z]+")
_SEPARATORS = fast_regex(r"[.\-_'’]")
_SPACED = fast_regex(r"(?<![\w@$*])(?:[a-z0-9@$*] ){3,}[a-z0-9@$*](?![\w@$*])")
_REPEATS = fast_regex(r"(.)\1+")
_DOUBLE = fast_regex(r"([a-z])\1")

#: Real words and names that contain a listed token, matched before anything else.
SAFE_PHRASES = (
    "Dick Whittington", "Moby Dick", "Dick Turpin", "spotted dick", "Philip K Dick", "Philip K. Dick",
    "Dick King-Smith", "Dick Van Dyke", "Dick Tracy", "blue tit", "blue tits", "great tit", "great tits",
    "coal tit", "coal tits", "long-tailed tit", "long-tailed tits", "marsh tit", "willow tit",
    "crested tit", "tit for tat", "Offa's Dyke", "Devil's Dyke", "Dyke Road", "homo sapiens",
    "homo erectus", "homo habilis", "homo neanderthalensis", "chink of light", "chink in",
    "spic and span", "cock-a-doodle-doo", "cock-a-doodle", "faggots and peas", "faggots and mash",
    "faggots and gravy", "slag heap", "slag heaps", "Jap Gilbert", "pissed off the ball",
)


@dataclass(frozen=True)
class LexiconHit:
    start: int
    end: int
    entry: str       # the lexicon entry (never shown to staff; kept in the server-side explanation)
    section: str     # "always", "targeted" or "phrases"
    disguised: bool  # found only after undoing leetspeak, separators, repeats or masks
    lexicon: str = ""  # which word list: "offensive" or "slurs"


class Lexicon:
    """Word lists (offensive words, slurs), compiled together for one fast whole-token pass.

    `sources` maps a list's name to its sections; a hit says which list and section it came from.
    """

    def __init__(self, sources: dict[str, dict[str, list[str]]]) -> None:
        self.words: dict[str, str] = {}
        self.origin: dict[str, str] = {}
        phrase_origin: dict[str, str] = {}
        for name, sections in sources.items():
            for section in ("always", "targeted"):
                for word in sections.get(section, []):
                    for form in (word, word + "s"):
                        if form not in self.words:
                            self.words[form] = section
                            self.origin[form] = name
            for phrase in sections.get("phrases", []):
                phrase_origin[phrase] = name
        self._phrase_origin = phrase_origin
        phrases = list(phrase_origin)
        self._phrases = re.compile(r"(?<!\w)" + phrase_regex(phrases) + r"(?!\w)") if phrases else None
        self._masked_seen: dict[str, str | None] = {}
        self._by_length: dict[int, list[str]] = {}
        for word in self.words:
            self._by_length.setdefault(len(word), []).append(word)

    def lookup(self, token: str) -> str | None:
        """The entry `token` stands for, trying repeats collapsed when needed."""
        if token in self.words:
            return token
        if len(token) > 3 and _REPEATS.search(token):
            for collapsed in (_REPEATS.sub(r"\1\1", token), _REPEATS.sub(r"\1", token)):
                if collapsed in self.words:
                    return collapsed
        return None

    def _masked(self, token: str) -> str | None:
        """'f**k', 'sh*t': '*' stands for any one letter; at least two real letters must remain."""
        if token in self._masked_seen:
            return self._masked_seen[token]
        if len(self._masked_seen) > 4096:
            self._masked_seen.clear()
        self._masked_seen[token] = entry = self._masked_uncached(token)
        return entry

    def _masked_uncached(self, token: str) -> str | None:
        """Compare with every listed word of the same length, '*' matching any letter."""
        if sum(ch.isalpha() for ch in token) < 2 or not token[0].isalpha():
            return None
        pattern = re.compile(re.escape(token).replace(r"\*", "[a-z]") + r"\Z")
        for word in self._by_length.get(len(token), ()):
            if pattern.match(word):
                return word
        return None

    def _hit(self, start: int, end: int, entry: str, disguised: bool) -> LexiconHit:
        return LexiconHit(start, end, entry, self.words[entry], disguised, self.origin[entry])

    def scan(self, folded: str) -> list[LexiconHit]:
        """Every listed word in `folded` (the draft lower-cased with `fold`)."""
        hits: list[LexiconHit] = []
        words = self.words
        repeats = [m.start() for m in _DOUBLE.finditer(folded)]
        for m in _TOKEN.finditer(folded):
            token = m.group()
            start = m.start()
            if token.isalpha():
                if token in words:
                    hits.append(self._hit(start, m.end(), token, False))
                elif repeats and len(token) > 3 and _has_position(repeats, start, m.end() - 1):
                    entry = self.lookup(token)
                    if entry:
                        hits.append(self._hit(start, m.end(), entry, False))
                continue
            found = False
            for piece in _LETTERS.finditer(token):  # "idiots.Really" -> "idiots", "really"
                entry = self.lookup(piece.group())
                if entry:
                    hits.append(self._hit(start + piece.start(), start + piece.end(), entry, False))
                    found = True
            if found or not any(ch.isalpha() for ch in token):
                continue
            if "*" in token:  # "f**k": "*" is a masked letter, not leetspeak
                entry = self._masked(_SEPARATORS.sub("", token).translate(_LEET_UNDER_MASK))
            else:
                entry = self.lookup(_SEPARATORS.sub("", token).translate(_LEET))
            if entry:
                hits.append(self._hit(start, m.end(), entry, True))
        if " " in folded:
            for m in _SPACED.finditer(folded):
                joined = m.group().replace(" ", "").translate(_LEET)
                entry = self.lookup(joined)
                if entry:
                    hits.append(self._hit(m.start(), m.end(), entry, True))
        if self._phrases is not None:
            for m in self._phrases.finditer(folded):
                phrase = re.sub(r"\s+", " ", m.group()).replace("’", "'")
                hits.append(LexiconHit(m.start(), m.end(), phrase, "phrases", False, self._phrase_origin.get(phrase, "")))
        return hits


def _has_position(sorted_positions: list[int], start: int, end: int) -> bool:
    """True when some position p in the sorted list has start <= p < end."""
    i = bisect_left(sorted_positions, start)
    return i < len(sorted_positions) and sorted_positions[i] < end


def _parse(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {"always": []}
    current = "always"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        if current == "phrases":
            sections[current].append(line.lower())
        else:
            sections[current].extend(w.lower() for w in line.split())
    return sections


def _read(name: str) -> str:
    return resources.files("text_checks").joinpath(f"data/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def word_lists(extra_offensive: tuple[str, ...] = ()) -> Lexicon:
    """The offensive-word list and the slur list, compiled together (one pass per draft), plus a
    school's own additions from the policy ([language] offensive_words)."""
    offensive = _parse(_read("offensive.txt"))
    for word in extra_offensive:
        offensive["phrases" if " " in word.strip() else "always"].append(word.strip().lower())
    return Lexicon({"offensive": offensive, "slurs": _parse(_read("slurs.txt"))})


@lru_cache(maxsize=1)
def ordinary_senses() -> frozenset[str]:
    """Slurs that are also ordinary words (slurs.txt [ordinary_senses]): context may excuse them."""
    return frozenset(_parse(_read("slurs.txt")).get("ordinary_senses", []))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    return frozenset(w for line in _read("first_names.txt").splitlines()
                     if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=8)
def safe_spans_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + phrase_regex(SAFE_PHRASES + extra) + r"(?!\w)", re.IGNORECASE)


_DICK_AS_NAME = fast_regex(r"\b(Dick)(?=\s+[A-Z][a-z])|\b(?:Uncle|Mr|Sir)\s+(Dick)\b")


#: A capitalised word after a title or a known first name is a surname ("Mrs Pratt", "Dorothy Pratt").
_SURNAME_AFTER = fast_regex(r"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?|([A-Z][a-z]+))\s+([A-Z][a-z'’-]+)\b")


def safe_spans(text: str, extra: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Spans of safelisted phrases (built in, plus the policy's [language] safe_phrases), and 'Dick'
    used as a name ("Dick Whittington", "Uncle Dick")."""
    spans = [m.span() for m in safe_spans_pattern(extra).finditer(text)]
    for m in _DICK_AS_NAME.finditer(text):
        spans.append(m.span(1) if m.group(1) else m.span(2))
    return spans


def surname_spans(text: str) -> list[tuple[int, int]]:
    """Capitalised words after a title or a known first name: surnames ("Happy 100th birthday to
    Dorothy Pratt", "Mrs Pratt"), which a word list must not read as insults."""
    names = first_names()
    return [m.span(2) for m in _SURNAME_AFTER.finditer(text) if m.group(1) is None or m.group(1).lower() in names]


def inside_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)
