"""The rule catalogue of DESIGN.md as data: what the review pages show for a rule id in the log.

The log stores rule ids only (never messages, which may quote the draft), so the pages describe a
rule from here; tests/test_redaction.py checks this table against DESIGN.md.
"""
from __future__ import annotations

from typing import NamedTuple


class RuleEntry(NamedTuple):
    id: str
    severity: str
    clause: str
    what: str


RULES: tuple[RuleEntry, ...] = (
    RuleEntry("no-publish-face", "block", "2.8", "a face in an image matches a pupil on the no-publish list"),
    RuleEntry("possible-no-publish-face", "warn", "2.8", "a face is close to a listed pupil but not certain"),
    RuleEntry("name-only-pupil-face", "warn", "2.8",
              "faces to check by eye: some listed pupils are kept by name only (no face data)"),
    RuleEntry("unverifiable-face", "warn", "2.8", "a face too small/blurred/turned to clear against the list"),
    RuleEntry("pupil-image-personal-account", "block", "2.8", "faces in an image posted from a personal account"),
    RuleEntry("image-location", "warn", "2.5 / Appendix", "EXIF GPS or location data"),
    RuleEntry("image-attribution", "advice", "2.5", "EXIF author/copyright that is not the school's"),
    RuleEntry("no-publish-name", "block", "2.8", "the name of a no-publish pupil in the text"),
    RuleEntry("pupil-identifier", "block", "2.5", "UPN, ULN, NHS number, NINO, date of birth next to a name"),
    RuleEntry("personal-contact", "warn", "2.5", "phone numbers, e-mail and home addresses, postcodes"),
    RuleEntry("sensitive-pupil-info", "block", "2.4 / 2.5",
              "safeguarding, SEN, medical, exclusion or behaviour details"),
    RuleEntry("confidential-marker", "block", "Don'ts", "\"confidential\", \"internal only\", \"not for circulation\""),
    RuleEntry("derogatory", "warn", "2.4", "offensive, insulting or abusive language"),
    RuleEntry("discriminatory", "block", "2.4", "slurs and discriminatory statements"),
    RuleEntry("defamation-risk", "warn", "2.4", "accusations about identifiable people"),
    RuleEntry("internal-grievance", "warn", "Don'ts", "airing workplace grievances"),
    RuleEntry("missing-disclaimer", "warn", "1, 2.9", "personal account names the school without \"views my own\""),
    RuleEntry("individual-pupil-contact", "warn", "1", "a school account addressing one pupil, or a direct message"),
    RuleEntry("personal-account-pupil-contact", "block", "2.9",
              "a personal account engaging current pupils or parents"),
    RuleEntry("controversial-topic", "advice", "Do's", "politics, religion, strikes: check with a senior leader"),
    RuleEntry("personal-gain", "warn", "2.4", "selling or promoting for personal gain on a school account"),
    RuleEntry("third-party-content", "advice", "2.5", "shared material without acknowledgement"),
    RuleEntry("tone", "advice", "2.7", "shouting, hostility, sarcasm aimed at people"),
    RuleEntry("journalist-contact", "advice", "2.4", "replying to press: direct them to the Director of IT"),
)

BY_ID = {r.id: r for r in RULES}
IMAGE_RULES = frozenset({"no-publish-face", "possible-no-publish-face", "name-only-pupil-face", "unverifiable-face",
                         "pupil-image-personal-account", "image-location", "image-attribution"})


def describe(rule_id: str) -> str:
    entry = BY_ID.get(rule_id)
    return entry.what if entry else "a rule not in this version's catalogue"


def clause_of(rule_id: str) -> str | None:
    entry = BY_ID.get(rule_id)
    return entry.clause if entry else None
