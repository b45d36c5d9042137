"""Where a draft names the school: aliases, handles and hashtags, as whole words, any case."""
from __future__ import annotations

import re

from checks_common import Policy
from text_checks.textutil import APOSTROPHES, fast_regex, phrase_pattern


def _alias_pattern(alias: str) -> str:
    """Regex for one alias: any apostrophe, flexible spaces, optional possessive 's."""
    return phrase_pattern(alias) + f"(?:[{APOSTROPHES}]s)?"


class SchoolMentions:
    """Finds every mention of the school in a text; compiled once per policy."""

    def __init__(self, policy: Policy) -> None:
        aliases = sorted({a for a in policy.aliases}, key=len, reverse=True)
        handles = sorted({h.lstrip("@") for h in policy.handles}, key=len, reverse=True)
        prefixes = sorted({p.lstrip("#") for p in policy.hashtag_prefixes}, key=len, reverse=True)
        parts = []
        if handles:
            parts.append(r"@(?:" + "|".join(re.escape(h) for h in handles) + r")\b")
        if prefixes:
            parts.append(r"#(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*")
        if aliases:
            parts.append(r"(?<![\w@#])(?:" + "|".join(_alias_pattern(a) for a in aliases) + r")(?!\w)")
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def find(self, text: str) -> list[tuple[int, int]]:
        if self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(text)]


#: A school's proper name: capitalised words ending in a school word ("Thornbury Academy", "Redmire CE
#: Primary", "Harrogate Grammar School"), or a saint's name ("St Bede's"). Case matters: "primary
#: school" in lower case names no school.
_NAME_WORD = r"(?:[A-Z][\w'’&-]*|CE|C\s+of\s+E|RC|of|the|and|&)"
_SCHOOL_WORD = (r"(?:School|Academy|Primary|High|College|Grammar|Infants?|Juniors?|Prep|Sixth\s+Form|"
                r"Free\s+School|Community\s+College|Catholic\s+College|C(?:of)?E\s+Primary)")
#: Capitalised words that begin a phrase but not a school's name: "Forest School", "Summer School" are
#: activities; "The Academy", "Our Primary" are not names.
_NOT_A_NAME = (r"(?:The|A|An|Our|My|Your|This|That|Every|Any|Each|Local|Primary|Secondary|High|Forest|Summer|"
               r"Sunday|Holiday|Saturday|Evening|Night|Film|Drama|Dance|Music|Art|Law|Medical|Business|"
               r"Driving|Boarding|Special|Independent|Private|State|Grammar|Free|Faith|Catholic|Church|"
               r"Infant|Junior|Middle|Upper|Lower|Prep|Sixth|Year|Ofsted|Head|Deputy|New|Old|Big|Little)\b")
SCHOOL_NAME = fast_regex(
    rf"(?<![\w@#])(?:(?:St\.?|Saint)\s+[A-Z][\w-]*(?:['’]s)?(?:\s+{_SCHOOL_WORD})*"
    rf"|(?!{_NOT_A_NAME})[A-Z][\w'’-]+(?:\s+{_NAME_WORD}){{0,4}}?\s+{_SCHOOL_WORD})(?!\w)")
#: The writer working there: teaching, a post held, their classes, the duties and inspections of the job.
_STAFF = fast_regex(
    r"\b(?:I|I'?m|I'?ve|I\s+have|we|we'?re)\s+(?:(?:just\s+|now\s+|still\s+)?(?:teach|taught|work|worked|started|"
    r"joined|been\s+(?:teaching|working))|(?:a|the)\s+(?:teacher|head|TA|SENCo))\b"
    r"|\b(?:teaching|working|taught|work)\s+at\b|\bjoin(?:ed|ing)\s+(?:the\s+)?(?:staff|team)\b"
    r"|(?:^|[.!?]\s+|\b(?:I'?m|I\s+am|I\s+was|as|be|been|now)\s+(?:an?\s+|the\s+)?)"
    r"(?:head(?:\s?teacher)?|headteacher|deputy(?:\s+head)?|assistant\s+head|head\s+of\s+[\w-]+|teacher|"
    r"TA|teaching\s+assistant|SENCo|ECT|NQT|governor|caretaker|librarian|business\s+manager|principal|"
    r"lead|co-?ordinator|coach|tutor)\s+at\b"
    r"|\bmy\s+(?:Year|Yr|Y)\s?\d{1,2}s?\b|\bmy\s+(?:class|classes|pupils|students|kids|tutor\s+group|form|"
    r"tutees|set|colleagues|school|job|department|team)\b|\bour\s+(?:pupils|students|staff|head|SLT|department)\b"
    r"|\b(?:lunch|break|bus|gate|playground|corridor|exam)\s+duty\b|\bcover\s+lessons?\b|\bstaff\s?room\b"
    r"|\bOfsted\b|\bSLT\b|\bleadership\b|\bINSET\b|\bparents'?\s+evening\b|\bmarking\b|\bwe'?re\s+hiring\b"
    r"|#teacher\w*|#edutwitter", re.IGNORECASE)

#: Where the school is: "at Thornbury Academy", "here at St Bede's" (a school played "against", or
#: "visiting", is someone else's); or its people: "Greyfriars staff".
_WORKS_AT = fast_regex(r"\bat\s+(?:the\s+)?$")
#: Someone else's post there: "the PE teacher at St Aidan's", "their head at Muirfield Prep".
_THEIRS = fast_regex(r"\b(?:the|that|this|their|his|her|whose)\s+(?:[\w-]+\s+){0,2}?(?:teacher|head|"
                     r"headteacher|coach|staff|caretaker|TA|governor|pupils?|kids|parents?|students?|lads|girls)"
                     r"\s+at\s+(?:the\s+)?$", re.IGNORECASE)
_ITS_STAFF = fast_regex(r"(?:['’]s)?\s+(?:staff|staffroom|teachers|colleagues|family|team)\b", re.IGNORECASE)


def workplace_mentions(text: str) -> list[tuple[int, int]]:
    """Schools a personal post names as the writer's workplace: a school's proper name in a post
    that speaks of teaching or working there ("I teach at Redmire CE Primary", "lunch duty at St
    Bede's"). Staff who name their school any way associate their account with a school (clause
    2.9), whether or not the policy lists that name."""
    if not _STAFF.search(text):
        return []
    return [m.span() for m in SCHOOL_NAME.finditer(text)
            if (_WORKS_AT.search(text, 0, m.start()) and not _THEIRS.search(text, 0, m.start()))
            or _ITS_STAFF.match(text, m.end())]
