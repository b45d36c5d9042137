"""Personal contact details: phone numbers, e-mail addresses, home addresses and postcodes."""
from __future__ import annotations

import re
from typing import Iterable

import phonenumbers

from checks_common import Draft, Finding, Policy
from text_checks.rule import TextContext, TextRule
from text_checks.textutil import fast_regex

_EMAIL = fast_regex(r"(?<![\w.+-])[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
#: What a UK phone number can look like before `phonenumbers` looks closer: it starts with 0, +44 or 0044
#: and is at most ~20 characters long, so a long run of digits (a results table) is not handed over whole.
_PHONE_CANDIDATE = fast_regex(r"(?<![\w+])(?:\+\s?44|0044|\(0|0)[\d ()\-.]{8,16}\d(?!\d)")
#: A draft listing more phone numbers than this is flagged on the first ones; checking each costs time.
MAX_PHONES = 20

#: UK postcode areas: a postcode whose area is not one of these is not a postcode ("Y10 2ND").
_AREAS = ("AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
          "DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA "
          "LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE "
          "SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE").split()
_POSTCODE = fast_regex(
    r"(?<![\w-])(" + "|".join(sorted(_AREAS, key=len, reverse=True)) +
    r")(\d[A-Z\d]?) ?(\d[ABD-HJLNP-UW-Z]{2})(?![\w-])", re.IGNORECASE)
_STREET_TYPES = (r"Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Cres|Way|Grove|Court|Ct|"
                 r"Place|Pl|Terrace|Gardens|Gdns|Walk|Mews|Row|Hill|Square|Parade|View|Green|Rise|Park|"
                 r"Croft|Fold|Gate|Garth|Wynd|Vale|Chase|Meadow|Meadows|Bank|Yard|End|Wharf")
_STREET = fast_regex(rf"\b(?:flat\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Z][a-zA-Z'’]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?")
#: "drop the costumes off at 27 Victoria Avenue, Harrogate": a house number and street straight after
#: "at", "to" or "from" is somebody's address unless a venue is named just before it ("the Royal
#: Hall, 1 Ripon Road" is an organisation's address, said with its name).
_AT_BEFORE = fast_regex(r"\b(?:at|to|from|round|address\s+is|is)\s*:?\s*$", re.IGNORECASE)
#: Words that name a place or body with a public address and number, for both checks below.
_ORGANISATION_WORDS = (r"hall|centre|center|church|theatre|library|museum|school|academy|college|club|office|"
                       r"hospital|surgery|clinic|leisure\s+centre")
_VENUE_BEFORE = fast_regex(
    rf"\b(?:{_ORGANISATION_WORDS}|chapel|hotel|stadium|ground|pavilion|arena|gallery|cinema|offices|station|pub|inn|"
    r"cafe|café|restaurant|shop|store|park|village\s+hall|community\s+centre|studio|studios)\b[^.!?\n]{0,25}$",
    re.IGNORECASE)
_TOWN_AFTER = fast_regex(r",?\s+[A-Z][a-z]+")
#: A trip, a fixture or a visit: a postcode after it is the venue's.
_EVENT_VENUE = fast_regex(r"\b(?:trip|visit|finals?|fixture|tournament|festival|concert|show|venue|museum|zoo|arena|"
                          r"stadium|theatre|gallery|centre|center|institute|park|booking|doors\s+open|competition|"
                          r"taster\s+day|residential)\b", re.IGNORECASE)
#: Someone's own home: a postcode after it is personal whatever else the post is about.
_PERSONAL_HOME = fast_regex(r"\b(?:lives?|living|home|house|flat|moved|staying|(?:his|her|their|my|our)\s+address|"
                            r"round\s+(?:at|to)|'s\s+(?:place|house)|(?:mr|mrs|ms|miss|dr)\.?\s+\w+'s|outside\s+\w+'s)\b",
                            re.IGNORECASE)
#: A house number and a street just before the postcode ("7 Farfield Lane, Knaresborough HG5 8AX"): a
#: home, even in a post about a fixture.
_HOUSE_NUMBER = fast_regex(r"\b\d{1,4}[a-z]?\s+(?:[A-Z][a-z]+\s+){1,2}(?:Road|Rd|Lane|Avenue|Ave|Street|St|Close|Drive|Way|"
                           r"Crescent|Grove|Gardens|Place|Court|Terrace|Mews|View|Rise|Walk|Green)\b")
#: A postcode given to find an event or a venue by.
_DIRECTIONS = fast_regex(r"\b(?:sat\s*-?navs?|satnavs?|directions|venue|car\s+park|parking|find\s+us|"
                         r"postcode\s+for\s+(?:the\s+)?(?:venue|ground|course|event|trip|centre|site))\b[^.!?\n]{0,80}$",
                         re.IGNORECASE)
_HOME_CONTEXT = fast_regex(
    r"\b(?:lives?|living|live|home|address|house|moved|moving|flat|staying|stays|round\s+at|come\s+to|"
    r"pick\s+(?:it\s+)?up\s+from|drop\s+(?:it\s+)?off\s+at|collect\s+from)\b", re.IGNORECASE)


#: A landline (01/02) or postcode said as an organisation's: named in the same sentence just before
#: it ("contact the main school office on 01890 781350", "please [call the school office](tel:...)",
#: "Ayton Primary School / Beanburn / Eyemouth / TD14 5QZ" at a newsletter's head). A mobile (07)
#: is a person's wherever it is said.
_ORGANISATION_BEFORE = fast_regex(
    rf"\b(?:{_ORGANISATION_WORDS}|nursery|pre-?school|reception|practice|council|trust|charity|helpline|hotline|"
    r"parish|sports\s+centre|federation|diocese|authority|service|services|department|"
    r"team|PTA|PFA|PTFA|Parent\s+Council|Friends\s+of)\b[^.!?]{0,80}$",
    re.IGNORECASE)
#: "call us on 01423 ...": a school account's "us" is the school.
_US_BEFORE = fast_regex(r"\b(?:us|our\s+(?:office|team))\b[^.!?]{0,40}$", re.IGNORECASE)

#: UK number ranges used by organisations, not people (national number without the leading 0).
_ORGANISATION_PREFIXES = ("800", "808", "500", "3", "842", "843", "844", "845", "870", "871", "872", "873", "9", "116")
#: Mailboxes that belong to a role or an organisation rather than a person.
_ROLE_MAILBOXES = frozenset({"info", "enquiries", "enquiry", "admin", "office", "contact", "help", "helpline",
                             "support", "hello", "press", "media", "bookings", "booking", "reception", "sales",
                             "team", "jobs", "recruitment", "hr", "finance", "accounts", "events", "schools",
                             "education", "learning", "membership", "noreply", "no-reply", "feedback",
                             "treasurer", "chair", "chairs", "secretary", "pta", "pfa", "clerk", "headteacher",
                             "head", "bursar", "governors", "attendance", "safeguarding", "sen", "senco"})
#: Work addresses of public bodies (councils, schools, the NHS, police, universities): not personal.
_PUBLIC_SECTOR = (".gov.uk", ".sch.uk", ".nhs.uk", ".nhs.net", ".police.uk", ".ac.uk", ".mod.uk")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class PersonalContact(TextRule):
    """What it does: warns about UK phone numbers (found with `phonenumbers`, region GB: valid numbers,
    and UK-shaped 11-digit numbers such as Ofcom's drama range 07700 900xxx), e-mail
    addresses, postcodes (real UK postcode areas only) and house-number-and-street addresses when they
    are somebody's home ("lives at 12 Park Road", or followed by a postcode). The school's own public
    phone numbers, e-mail addresses (and its e-mail domain), address and postcode never fire.

    Why (clause 2.5 and the Appendix): posts must not "infringe upon relevant data protection laws";
    "keep your personal information private".

    Example: "Text me on 07700 900123 if you can help"; "lost dog, ring 01423 567890".
    Passes: "Call the school office on 01423 542400"; "Match report: we won 3-1"; "Y10 2nd team";
    helplines and organisations ("Papyrus on 0800 068 4141", "info@nspcc.org.uk"); a landline or a
    postcode said as an organisation's ("contact the school office on 01890 781350", a letterhead's
    "Ayton Primary School, Beanburn, Eyemouth, TD14 5QZ"). A mobile number always fires.
    """

    id = "personal-contact"
    severity = "warn"
    clause = "2.5"
    title = "Personal contact details"
    description = "phone numbers, e-mail and home addresses, postcodes"
    mask = "[contact details]"
    message = "This contains personal contact details (a phone number, e-mail or home address)."
    suggestion = "Remove the contact details, or give the school's public contact details instead."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        self._public_phones = {_digits(p)[-10:] for p in policy.public_phones if _digits(p)}
        self._public_emails = set(policy.public_emails)
        self._school_domains = {e.split("@", 1)[1] for e in policy.public_emails if "@" in e}
        self._public_postcodes = {p.replace(" ", "") for p in policy.public_postcodes}
        self._public_addresses = [re.sub(r"\W+", " ", a.lower()).strip() for a in policy.public_addresses]

    def _is_school_address(self, text: str, span: tuple[int, int]) -> bool:
        window = re.sub(r"\W+", " ", text[max(0, span[0] - 10): span[1] + 40].lower())
        street = re.sub(r"\W+", " ", text[span[0]:span[1]].lower()).strip()
        return any(street and street in address or address in window for address in self._public_addresses)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found: list[Finding] = []
        if "@" in text:
            for m in _EMAIL.finditer(text):
                email = m.group().lower()
                domain = email.split("@", 1)[1]
                if email in self._public_emails or domain in self._school_domains \
                        or email.split("@", 1)[0] in _ROLE_MAILBOXES or ("." + domain).endswith(_PUBLIC_SECTOR):
                    continue
                found.append(self.finding(m.span(), explanation={"kind": "email", "pattern": "email"},
                                          redact_as="[email]"))
        if any(ch.isdigit() for ch in text):
            found.extend(self._phones(text, draft.is_school_account))
            postcodes = self._postcodes(text)
            found.extend(postcodes)
            found.extend(self._streets(text, [f.span for f in postcodes]))
        return found

    @staticmethod
    def _organisations(text: str, start: int, school_account: bool) -> bool:
        """Whether what starts at `start` is said as an organisation's (named just before it, in the
        same sentence, with no "home" word between)."""
        before = text[max(0, start - 120): start]
        if _HOME_CONTEXT.search(before[-60:]):
            return False
        return bool(_ORGANISATION_BEFORE.search(before) or (school_account and _US_BEFORE.search(before)))

    def _phones(self, text: str, school_account: bool = False) -> list[Finding]:
        found = []
        for candidate in _PHONE_CANDIDATE.finditer(text):
            if len(_digits(candidate.group())) < 9:
                continue
            if len(found) >= MAX_PHONES:
                break
            lo = max(0, candidate.start() - 1)
            for match in phonenumbers.PhoneNumberMatcher(text[lo:candidate.end() + 1], "GB",
                                                         leniency=phonenumbers.Leniency.POSSIBLE):
                national = str(match.number.national_number)
                raw = match.raw_string.strip()
                if not raw.startswith(("0", "+", "(0", "(+")):
                    continue  # a UK number in a post is written with its 0 or +44
                uk_shaped = match.number.country_code == 44 and raw.startswith(("0", "+44", "(0", "0044"))
                if not (phonenumbers.is_valid_number(match.number) or (uk_shaped and len(national) == 10)):
                    continue
                if match.number.country_code == 44 and national.startswith(_ORGANISATION_PREFIXES):
                    continue  # freephone, 03/084/087/09 and 116 numbers belong to organisations and helplines
                if national[-10:] in self._public_phones:
                    continue
                span = (lo + match.start, lo + match.end)
                if national.startswith(("1", "2")) and self._organisations(text, span[0], school_account):
                    continue  # a landline said as an organisation's (the school office, a club)
                found.append(self.finding(span, explanation={"kind": "phone", "pattern": "phonenumbers GB"},
                                          redact_as="[phone]"))
        return found

    def _postcodes(self, text: str) -> list[Finding]:
        found = []
        for m in _POSTCODE.finditer(text):
            code = m.group().upper().replace(" ", "")
            if code in self._public_postcodes:
                continue
            if not m.group().isupper() and " " not in m.group():
                continue  # "hg50ug" in lower case with no space is too often something else
            if self._organisations(text, m.start(), False):
                continue  # the address of an organisation named just before it
            before = text[max(0, m.start() - 150):m.start()]
            if _DIRECTIONS.search(text[max(0, m.start() - 100):m.start()]) or (
                    _EVENT_VENUE.search(before) and not _PERSONAL_HOME.search(before)
                    and not _HOUSE_NUMBER.search(text[max(0, m.start() - 60):m.start()])):
                continue  # "for sat navs, HG1 2RR gets you closest", "trip to Chester Zoo (CH2 1LH)": a venue's
            found.append(self.finding(m.span(), explanation={"kind": "postcode", "pattern": "uk postcode"},
                                      redact_as="[postcode]"))
        return found

    def _streets(self, text: str, postcode_spans: list[tuple[int, int]]) -> list[Finding]:
        found = []
        for m in _STREET.finditer(text):
            near_postcode = any(0 <= s - m.end() <= 40 for s, _ in postcode_spans)
            before = text[max(0, m.start() - 40): m.start()]
            home = _HOME_CONTEXT.search(before) or (
                _AT_BEFORE.search(before) and _TOWN_AFTER.match(text, m.end())
                and not _VENUE_BEFORE.search(text[max(0, m.start() - 60): m.start()]))
            if not (near_postcode or home) or self._is_school_address(text, m.span()):
                continue
            found.append(self.finding(m.span(), explanation={"kind": "address", "pattern": "street address"},
                                      redact_as="[address]"))
        return found
