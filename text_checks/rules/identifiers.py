"""Pupil identifiers: UPN, ULN, NHS number, NI number (check digits validated), dates of birth."""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from stdnum.gb import nhs, upn

from checks_common import Draft, Finding, Policy
from text_checks.people import PersonRef, cached_people
from text_checks.people import prepare as prepare_people
from text_checks.rule import TextContext, TextRule
from text_checks.textutil import fast_regex

_UPN = fast_regex(r"(?<![\w])[A-HJ-NP-Z][\s-]?(?:\d[\s-]?){11}[\dA-Z](?![\w])")
_TEN_DIGITS = fast_regex(r"(?<![\w+£$.,/:-])(\d{3})([\s-]?)(\d{3})\2(\d{4})(?!\w|[.,/:-]\d)")
_NINO = fast_regex(r"(?<![\w])([A-Za-z]{2})\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([A-Da-d])(?![\w])")
_NINO_BAD_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
_NINO_BAD_LETTERS = set("DFIQUV")
_NUMBER_CONTEXT = fast_regex(
    r"\b(?:nhs|ulns?|upns?|unique\s+learner|learner\s+(?:no|number|id)|pupil\s+(?:no|number|id)|"
    r"student\s+(?:no|number|id)|candidate\s+(?:no|number)|patient|hospital\s+(?:no|number)|health\s+number|"
    r"chi\s+number)\b", re.IGNORECASE)
#: The labels that name a 10-digit number, or a letter and 12 digits, for what it is.
_ULN_LABEL = fast_regex(r"\b(?:ulns?|unique\s+learner)\b", re.IGNORECASE)
_UPN_LABEL = fast_regex(r"\b(?:upns?|unique\s+pupil)\b", re.IGNORECASE)
_NI_CONTEXT = fast_regex(r"\b(?:ni|nino|national\s+insurance)\b", re.IGNORECASE)
#: A number its writer labels ("ULN 5839201746", "NHS no. 472 381 9920", "UPN: H801…"): the label says
#: what it is, so a check digit that fails (a typo, a made-up example) does not let it through.
_LABELLED = fast_regex(
    r"\b(?P<label>uln|upn|nhs|unique\s+learner|unique\s+pupil)(?:\s*(?:no\.?|number|#))?"
    r"(?:\s+(?:is|was))?(?:[^\d\n!?]{0,30}?(?::|\b(?:is|as)\b))?\s*[:=\-–]?\s*(?:\(\s*)?"
    r"(?P<number>[A-Za-z]?(?:\d[\s-]?){9,12}[\dA-Za-z])(?![\w])", re.IGNORECASE)
_LABEL_KIND = {"uln": ("ULN", 10), "unique learner": ("ULN", 10), "nhs": ("NHS number", 10),
               "upn": ("UPN", 13), "unique pupil": ("UPN", 13)}

_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}"
         rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
_DOB_MARKER = fast_regex(
    rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday\s*:)(?:\s+(?:is|was|=))?\s*[:\-–]?\s*\(?({_DATE})", re.IGNORECASE)
_DATE_RE = fast_regex(rf"\b({_DATE})", re.IGNORECASE)


def uln_is_valid(number: str) -> bool:
    """Unique Learner Number: 10 digits, first not 0; weights 10..2 on the first nine digits, and
    the check digit is 10 - (sum mod 11); a remainder of 0 would need 10, so no such ULN exists."""
    if len(number) != 10 or not number.isdigit() or number[0] == "0":
        return False
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1)))
    remainder = total % 11
    return remainder != 0 and 10 - remainder == int(number[9])


def nino_is_valid(prefix: str, suffix: str) -> bool:
    prefix = prefix.upper()
    return (prefix not in _NINO_BAD_PREFIXES and prefix[0] not in _NINO_BAD_LETTERS
            and prefix[1] not in _NINO_BAD_LETTERS and prefix[1] != "O" and suffix.upper() in "ABCD")


def _birth_year(date_text: str) -> int | None:
    year = re.findall(r"\d{4}|\d{2}$", date_text.strip())
    if not year:
        return None
    value = int(year[-1])
    if value < 100:
        value += 2000 if value <= date.today().year % 100 else 1900
    return value


class PupilIdentifier(TextRule):
    """What it does: blocks a Unique Pupil Number (check letter validated), Unique Learner Number
    (mod-11), NHS number (mod-11), National Insurance number, or a date of birth given as one
    ("DOB 04/05/2013", "born 4 May 2013", or a school-age birth date right after a name). A bare
    10-digit number only counts with a word like "NHS", "ULN" or "learner number" nearby, so that a
    random number does not fire; a valid NHS number written the NHS way ("943 476 5919") counts alone;
    a number of the right shape right after its label ("ULN 5839201746", "NHS no. 472 381 9920"),
    or a ULN or UPN with its label a little way off ("double-check ULNs: Maya's (5012345678)"),
    counts even when its check digit fails.

    Why (clause 2.5): staff "must ensure that their use of social media does not infringe upon
    relevant data protection laws"; these numbers and dates identify a child for life.

    Example: "Jack's ULN is 1234567897, can someone update SIMS?"; "Ella Brown (12/03/2013)".
    Passes: "Ticket ref 1234567890"; "Sports day is on 12/07/2026"; "We won 12-3".
    """

    id = "pupil-identifier"
    severity = "block"
    clause = "2.5"
    title = "Pupil identifier"
    description = "UPN, ULN, NHS number, NINO, date of birth next to a name"
    mask = "[pupil identifier]"
    message = "This contains a pupil identifier (UPN, ULN, NHS or NI number, or a date of birth)."
    suggestion = "Remove the number or date: it must never be posted."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        prepare_people(policy)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        if not any(ch.isdigit() for ch in text):
            return []
        found: list[Finding] = []
        taken: list[tuple[int, int]] = []

        def add(span: tuple[int, int], kind: str, mask: str) -> None:
            if any(s < span[1] and span[0] < e for s, e in taken):
                return
            taken.append(span)
            # sensitive-pupil-info treats the identifier as naming the pupil ("ULN … has epilepsy")
            ctx.cache.setdefault("pupil_identifiers", []).append(PersonRef(span[0], span[1], "identifier"))
            found.append(self.finding(span, explanation={"kind": kind, "pattern": "check digit" if kind != "date of birth" else "date"},
                                      redact_as=mask))

        for m in _UPN.finditer(text):
            compact = re.sub(r"[\s-]", "", m.group()).upper()
            labelled = _UPN_LABEL.search(text[max(0, m.start() - 60): m.end() + 30])
            if len(compact) == 13 and (upn.is_valid(compact) or (labelled and compact[1:12].isdigit())):
                add(m.span(), "UPN", "[UPN]")
        for m in _TEN_DIGITS.finditer(text):
            number = m.group(1) + m.group(3) + m.group(4)
            window = text[max(0, m.start() - 60): m.end() + 30]
            context = _NUMBER_CONTEXT.search(window) is not None
            formatted = bool(m.group(2))
            if nhs.is_valid(number) and (context or (formatted and m.group(2) == " ")):
                kind = "NHS number" if not re.search(r"\buln\b|learner", window, re.IGNORECASE) else "ULN"
                if kind == "ULN" and uln_is_valid(number):
                    add(m.span(), "ULN", "[ULN]")
                else:
                    add(m.span(), "NHS number", "[NHS number]")
            elif uln_is_valid(number) and context:
                add(m.span(), "ULN", "[ULN]")
            elif number[0] != "0" and _ULN_LABEL.search(window):
                # a ULN by its label nearby, the check digit failing: a typo or a made-up example is
                # still named for what it is ("double-check ULNs: Maya's (5012345678)"); an NHS
                # number needs its label right before it (_LABELLED): "NHS" is everywhere in posts
                add(m.span(), "ULN", "[ULN]")
        for m in _LABELLED.finditer(text):
            kind, length = _LABEL_KIND[re.sub(r"\s+", " ", m.group("label").lower())]
            compact = re.sub(r"[\s-]", "", m.group("number"))
            shape = compact.isdigit() if length == 10 else compact[0].isalpha() and compact[1:12].isdigit()
            if len(compact) == length and shape:
                add(m.span("number"), kind, f"[{kind}]")
        for m in _NINO.finditer(text):
            if not nino_is_valid(m.group(1), m.group(5)):
                continue
            upper = m.group(1).isupper() and m.group(5).isupper()
            if upper or _NI_CONTEXT.search(text[max(0, m.start() - 40): m.start()]):
                add(m.span(), "NI number", "[NI number]")
        this_year = date.today().year
        for m in _DOB_MARKER.finditer(text):
            year = _birth_year(m.group(1))
            if m.group().lower().startswith("born") and not (year and this_year - 19 <= year <= this_year - 2):
                continue  # "born 12 June 2026": a new baby or a historical figure, not a pupil's birth date
            add(m.span(1), "date of birth", "[date of birth]")
        if re.search(r"\d", text):
            self._dates_after_names(text, ctx, add)
        return found

    def _dates_after_names(self, text: str, ctx: TextContext, add) -> None:
        """A school-age birth date in brackets or after a comma straight after a person's name."""
        this_year = date.today().year
        refs = cached_people(ctx, text)
        ends = {r.end for r in refs if r.kind in {"first-name", "no-publish", "title"}}
        if not ends:
            return
        for m in _DATE_RE.finditer(text):
            before = text[max(0, m.start() - 3): m.start()]
            gap_start = m.start() - (len(before) - len(before.rstrip(" ,(-–")))
            year = _birth_year(m.group(1))
            if gap_start in ends and year and this_year - 19 <= year <= this_year - 2:
                add(m.span(1), "date of birth", "[date of birth]")


__all__ = ["PupilIdentifier", "uln_is_valid", "nino_is_valid"]


