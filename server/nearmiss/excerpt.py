"""The near-miss excerpt keeps only neutral words: redaction by allow-list, not by deny-list.

Masking what a rule matched is not enough: the words around it carry the story ("(Y9, cystic
fibrosis)" next to a name in a post caught only for a missing disclaimer; "in remission since
March"; a parent's prison sentence inside a quote). So every word of the excerpt that is not a
rule's mask goes through a closed vocabulary, `server/nearmiss/data/neutral_words.txt`: about 2,400 of the
most frequent English words, minus names, places, dates, numbers and every word about health,
family, crime and safeguarding, religion, ethnicity, home or money (tools/neutral_words/ builds it,
and says from what). Everything else becomes one neutral placeholder, `[…]`:

* a word not in the vocabulary (a name, a place, a medical term, a word in another language);
* any number or token with a digit in it (a year group, a date, a house number);
* a capitalised word inside a sentence, even when its lower-case form is neutral ("Brown", "Hope"):
  capitals there mark a name;
* every word inside quotation marks: a quote is never kept, whoever's words they are;
* single letters other than "a" and "I" (initials).

Runs of placeholders collapse into one, so the excerpt does not even show how long a name was.
Punctuation is kept; a rule's own mask ("[phone]", "[no-publish name]") is put in by
server/nearmiss/redaction.py and never passes through here, so a draft cannot forge one.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

PLACEHOLDER = "[…]"

#: A word (letters of any script, inner apostrophes), a token starting with a digit ("12/03", "9am",
#: "5k"), or one other non-space character.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,:/\-]?[^\W_]+)*|[^\s]", re.UNICODE)
#: Quotation marks and what they enclose (an unclosed quote runs to the end of its line).
_QUOTED = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)|‘[^’\n]*(?:’|$)|(?<!\w)'[^'\n]*(?:'(?!\w)|$)|«[^»\n]*(?:»|$)",
                     re.MULTILINE)
#: Two placeholders with only spaces or joining punctuation between them are one.
_RUN = re.compile(r"\[…\](?:[\s,;:.'’\-–—/&+]*\[…\])+")
_SENTENCE_END = ".!?…\n"
_OPENERS = "\"'“‘«([{*-–—•"


@lru_cache(maxsize=1)
def neutral_words() -> frozenset[str]:
    """The closed vocabulary (lower case, straight apostrophes)."""
    text = resources.files("server.nearmiss").joinpath("data/neutral_words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where quotation marks enclose text (the marks included)."""
    return [m.span() for m in _QUOTED.finditer(text)]


def _sentence_start(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence (or a line, or the text)."""
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or text[i] == "\r"


def is_neutral(word: str, sentence_start: bool) -> bool:
    """Whether `word` (one token of letters) may be kept in the excerpt as written."""
    plain = word.replace("’", "'")
    lower = plain.lower()
    if len(plain) == 1:
        return lower in {"a", "i"}
    if plain[0].isupper() and not plain.isupper() and not sentence_start and not lower.startswith("i'"):
        return False  # capitalised inside a sentence: a name, a place, a title
    vocabulary = neutral_words()
    if lower in vocabulary:
        return True
    base, _, suffix = lower.partition("'")
    return suffix == "s" and base in vocabulary


def neutral_piece(text: str, lo: int, hi: int, quoted: list[tuple[int, int]]) -> str:
    """`text[lo:hi]` with every word that is not neutral replaced by the placeholder.

    `quoted` are the draft's quotations (quoted_spans of the whole text): inside them nothing is kept.
    """
    out, pos = [], lo
    for match in _TOKEN.finditer(text, lo, hi):
        token = match.group(0)
        out.append(text[pos:match.start()])
        pos = match.end()
        inside_quote = any(s < match.start() < e - 1 for s, e in quoted)
        if token[0].isdigit():
            out.append(PLACEHOLDER)
        elif token[0].isalpha():
            keep = not inside_quote and is_neutral(token, _sentence_start(text, match.start()))
            out.append(token if keep else PLACEHOLDER)
        else:
            out.append(token)
    out.append(text[pos:hi])
    return "".join(out)


def collapse(excerpt: str) -> str:
    """One placeholder for each run of them."""
    return _RUN.sub(PLACEHOLDER, excerpt)


#: A stored mask: a bracketed type name ("[phone]", "[NHS number]", "[no-publish name]").
_STORED_LABEL = re.compile(r"\[(?:[A-Z]{2,4} )?[a-z][a-z\- ]{0,38}\]|\[[A-Z]{2,4}\]")


def reredact(stored: str, label_words: frozenset[str]) -> str:
    """An excerpt or reason stored before the allow-list, passed through it now.

    Masks already in it are kept when every word of them is a mask word (`label_words`, from the
    rules' masks) or a neutral word; everything else is treated as draft text, so a draft that
    typed "[cystic fibrosis]" does not pass as a mask.
    """
    out, pos = [], 0
    quoted = quoted_spans(stored)
    for match in _STORED_LABEL.finditer(stored):
        words = re.findall(r"[A-Za-z]+", match.group(0))
        if not all(w.lower() in label_words or w.lower() in neutral_words() for w in words):
            continue
        out.append(neutral_piece(stored, pos, match.start(), quoted))
        out.append(match.group(0))
        pos = match.end()
    out.append(neutral_piece(stored, pos, len(stored), quoted))
    return collapse("".join(out))
