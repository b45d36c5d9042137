"""Where a draft points at a person or a small group: names, titles, "a Year 8 boy", "Jack in 9B".

Several rules only matter when their words are about someone identifiable: "excluded" is a breach
next to "Jack in 9B", not in "no pupil was excluded from the trip"; "is a liar" is defamation when it
follows "Mr Smith". This module finds those references once per draft (rules share the result
through the context cache).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from text_checks.lexicon import first_names
from text_checks.textutil import fast_regex

_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Coach|Rev|Father)\.?"
_CAPWORD = r"[A-Z][a-zA-Z'’\-]+"
_YEAR = r"(?:Year|Yr|Y)\s?(?:[1-9]|1[0-3])\b"
_CLASS = r"\b(?:[1-9]|1[0-3])[A-Z]{1,2}[0-9]?\b"
_CHILD_NOUN = r"(?:boy|girl|lad|lass|pupil|student|child|kid|learner|son|daughter|sibling|brother|sister|twins?|tutee|mentee)"
_ONE = r"(?:a|an|one|this|that|the|our|my|his|her|their|your|another)"
_FEW = r"(?:two|three|four|both|these\s+two|those\s+two|these\s+three|those\s+three)"
#: What a pupil is in a team, a part or a post: with a year group before it ("our Year 9 goalie",
#: "my Year 11 artist", "our Year 7 relay anchor") it points at one child.
_ROLE = (r"(?:goalie|goalkeeper|keeper|captain|vice-captain|striker|defender|winger|anchor|rep|representative|"
         r"prefect|artist|musician|singer|drummer|pianist|guitarist|violinist|player|runner|swimmer|sprinter|"
         r"star|debater|actor|actress|dancer|chef|baker|scientist|reader|leader|lead|soloist|mascot)")
#: "the student council", "pupil of the week": the noun names a body or an award, not a child.
_NOT_A_CHILD = (r"(?!\s+(?:council|body|voice|leaders?|leadership|union|services|support|parliament|ambassadors?|"
                r"newspaper|magazine|leadership|of\s+the\s+(?:week|month|term|year)|premium|planners?|"
                r"guide|handbook|portal|app|area|entrance|toilets|lockers)\b)")

_PATTERNS = {
    # "Mr Smith", "Mrs O'Neill"
    "title": re.compile(rf"\b{_TITLE}\s+{_CAPWORD}"),
    # "a Year 8 boy", "two Year 10 girls", "one pupil", "this student", "my daughter"
    "small-group": re.compile(
        rf"\b{_ONE}\s+(?:(?:{_YEAR}|year\s?(?:[1-9]|1[0-3])|[A-Za-z]+)\s+)?{_CHILD_NOUN}\b{_NOT_A_CHILD}"
        rf"|\b{_FEW}\s+(?:(?:{_YEAR}|year\s?(?:[1-9]|1[0-3])|[A-Za-z]+)\s+)?{_CHILD_NOUN}s?\b{_NOT_A_CHILD}"
        rf"|\b(?:a|one|two|three)\s+of\s+(?:our|my|the)\s+(?:{_YEAR}s?\s+)?(?:pupils|students|children|kids|boys|girls|learners)\b"
        rf"|\b(?:a|one|two|three)\s+of\s+(?:our|my|the)\s+(?:Year|Yr|Y)\s?(?:[1-9]|1[0-3])s\b"
        # staff shorthand opening a sentence: "Kid with ADHD in my period 4…", "Boy in my form…"
        rf"|(?:^|(?<=[.!?]\s)|(?<=\n))(?:kid|boy|girl|lad|lass|pupil|student|child)\s+(?:with|in|from)\s+(?=\w)",
        re.IGNORECASE),
    # "our Year 9 goalie", "the head girl", "our little no. 7", "M.T. from Year 8": one child by
    # their place in a team or a year, or by initials
    "role": re.compile(
        rf"\b{_ONE}\s+(?:little\s+|new\s+|star\s+)?{_YEAR}\s+(?:[A-Za-z]+\s+)?{_ROLE}\b"
        rf"|\b(?:our|the|my)\s+(?:deputy\s+)?head\s+(?:boy|girl)\b"
        rf"|\b(?:our|my)\s+(?:little\s+)?(?:no\.|number)\s?\d{{1,2}}\b"
        rf"|\b[A-Z]\.\s?[A-Z]\.?\s+(?:from|in)\s+(?:{_YEAR}|{_CLASS})", re.IGNORECASE),
    # "Jack in 9B", "a boy in 10X": a class code after a reference is an identifier on its own
    "class": re.compile(rf"\b(?:in|from|of)\s+{_CLASS}"),
    # "@jack_h"
    "handle": re.compile(r"(?<![\w@])@\w{2,}"),
}
_WORD = fast_regex(r"\b[A-Z][a-z'’]+")
_SURNAME = fast_regex(r"\s+[A-Z][a-zA-Z'’\-]+")

#: Capitalised words that are names in the first-name list but in a school post are usually not.
_NOT_NAMES = frozenset({"will", "may", "grace", "faith", "summer", "rose", "ruby", "bill", "mark", "max",
                        "joy", "hope", "holly", "ivy", "amber", "violet", "willow", "phoenix", "harper",
                        "taylor", "jordan", "morgan", "casey", "dean", "paige", "florence", "chelsea",
                        "georgia", "victoria", "elizabeth", "india", "august", "sky", "autumn", "lewis",
                        "grant", "dawn", "hazel", "ray", "rob", "jean", "glen", "lee", "frank", "jo", "ken", "kim",
                        "rod", "gill", "doug", "sally", "robin", "pete", "mike", "nick", "tim", "jim", "sandra"})


#: Handles of organisations and of staff ("@NHSEngland", "@YorkMind", "@MrsSmith_PE"): not pupils.
#: Titles that open a member of staff's handle ("@MrsSmith_PE", "@DrPatelScience").
STAFF_HANDLE_TITLES = r"mrs?|ms|miss|dr|mx|sir|prof"
_ORG_HANDLE = fast_regex(
    rf"@(?:{STAFF_HANDLE_TITLES}|coach|the)(?=[A-Z_\d])"
    r"|@\w*(?:nhs|trust|school|academy|council|charity|official|team|club|foundation|service|camhs|mind|society|"
    r"college|news|info|group|project|cent(?:re|er)|hub|library|network|police|fire|health|care|support|learning|"
    r"sport|dept|music|history|science|maths|english|radio|press|media|magazine|clinic|hospital|nurse|association|"
    r"alliance|appeal|week|campaign|partnership|borough|county|city)\w*"
    r"|@\w+?(?:uk|fc|hq|tv|pe|inc|ltd|org|gov|edu|ed|cic)_?\d*", re.IGNORECASE)


def organisation_handle(handle: str) -> bool:
    """True for an @handle that names an organisation or a titled member of staff, not a pupil."""
    return _ORG_HANDLE.fullmatch(handle) is not None


#: A capitalised body after a first name: "the Christian Union", "Grace Church", "Florence Nightingale Hospital"
#: (words that are seldom surnames; "Jack Hall" and "Emma Park" stay people).
_ORGANISATION_AFTER = fast_regex(
    r"(?:\s+[A-Z][\w'’-]+){0,2}?\s+(?:Union|Society|Aid|Church|Chapel|Cathedral|Mosque|Synagogue|Temple|Gurdwara|"
    r"School|Academy|College|University|Club|Centre|Center|Trust|Foundation|Hospital|Hospice|Theatre|Festival|Fund|Appeal|"
    r"Project|Choir|Council|Cup|Award|Prize|Association|Alliance|Charity|Federation|Nursery)\b")


@dataclass(frozen=True)
class PersonRef:
    start: int
    end: int
    kind: str  # "title", "first-name", "small-group", "role", "class", "handle", "no-publish"


def find_people(text: str, names=None) -> list[PersonRef]:
    """Every reference to an identifiable person or small group of pupils in `text`."""
    refs: list[PersonRef] = []
    for kind, pattern in _PATTERNS.items():
        for m in pattern.finditer(text):
            refs.append(PersonRef(m.start(), m.end(), kind))
    known = first_names()
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if word in known:
            surname = _SURNAME.match(text, m.end())
            # "Will", "Grace", "Florence" alone are too often ordinary words or places
            if word in _NOT_NAMES and not surname:
                continue
            if _ORGANISATION_AFTER.match(text, m.end()):
                continue  # "Christian Union", "Grace Church", "Florence Nightingale Hospital": a body, not a person
            refs.append(PersonRef(m.start(), surname.end() if surname else m.end(), "first-name"))
    if names is not None:
        for start, end, _pupil in names.find(text):
            refs.append(PersonRef(start, end, "no-publish"))
    refs.sort(key=lambda r: (r.start, -r.end))
    return refs


def people_in(refs: list[PersonRef], start: int, end: int) -> list[PersonRef]:
    return [r for r in refs if start <= r.start and r.end <= end]


_school_mentions: dict[int, tuple[object, object]] = {}


def _school_spans(policy, text: str) -> list[tuple[int, int]]:
    from text_checks.school import SchoolMentions

    entry = _school_mentions.get(id(policy))
    if entry is None or entry[0] is not policy:
        entry = _school_mentions[id(policy)] = (policy, SchoolMentions(policy))
    return entry[1].find(text)


def prepare(policy) -> None:
    """Compile what `cached_people` needs for `policy` now, at start-up, not on the first draft."""
    first_names()
    _school_spans(policy, "")


def cached_people(ctx, text: str) -> list[PersonRef]:
    """`find_people` once per draft, shared by every rule through the context cache. Words inside a
    mention of the school ("King James's") are not people."""
    refs = ctx.cache.get("people")
    if refs is None:
        school = _school_spans(ctx.policy, text)
        refs = [r for r in find_people(text, ctx.names)
                if not any(s < r.end and r.start < e for s, e in school)]
        ctx.cache["people"] = refs
    return refs
