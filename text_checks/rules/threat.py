"""Threats of violence or harm against people."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding
from text_checks.model_findings import flagged_sentences, model_explanation
from text_checks.rule import TextContext, TextRule

_THREATS = re.compile(
    r"\b(?:i(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|\s+swear\s+i'll|\s+could)|we(?:'ll|\s+will)|"
    r"someone\s+(?:should|needs\s+to|ought\s+to)|gonna)\s+"
    r"(?:kill|murder|stab|shoot|punch|hit|smash|batter|deck|strangle|hurt|beat\s+(?:up|the)|knock\s+\w+\s+out|"
    r"break\s+(?:your|his|her|their)\s+\w+|burn\s+(?:down|your|his|her|their)|end)\b"
    r"|\b(?:watch\s+your\s+back|i\s+know\s+where\s+(?:you|he|she|they)\s+lives?|you(?:'ll|\s+will)\s+(?:regret|pay\s+for)\s+this|"
    r"(?:go\s+)?kill\s+yourself|kys|deserves?\s+(?:a\s+bullet|to\s+(?:die|be\s+shot|be\s+hanged|be\s+stabbed))|"
    r"should\s+be\s+(?:shot|hanged|strung\s+up|put\s+down|gassed))\b",
    re.IGNORECASE)
_NOT_PEOPLE = re.compile(r"\b(?:kill|smash|hit|beat|end|shoot|break|burn)\s+(?:it|the\s+(?:exams?|test|record|target|"
                         r"ball|goal|deadline|high\s+notes?|targets?)|my\s+(?:record|target|goals?)|our\s+record)\b",
                         re.IGNORECASE)


class Threat(TextRule):
    """What it does: blocks threats of violence or harm against a person or a group: "I'll smash his
    face in", "watch your back", "someone should shoot them", "I know where she lives", and, through
    the language model, threats worded without these phrases ("they will end up in hospital if they
    keep talking"). Everyday sport and exam talk ("smash the exams", "kill it on stage") passes.

    Why (clause 2.4): harassing content is named as unacceptable conduct, "considered extremely
    serious by the school"; communications must be "professional and respectful at all times".

    Example: "If that ref does that again I'll batter him"; "Watch your back, Mr Jones".
    Passes: "Year 11 are going to smash their exams!"; "Our choir will kill it at the festival".
    """

    id = "threat"
    severity = "block"
    clause = "2.4"
    message = "This reads as a threat of violence or harm against someone."
    suggestion = "Remove it. Threats are never acceptable; if you are angry, step away and talk to someone."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found = []
        for m in _THREATS.finditer(text):
            if _NOT_PEOPLE.match(text, m.end() - len(m.group().split()[-1])) or _NOT_PEOPLE.search(m.group()):
                continue
            found.append(self.finding(m.span(), explanation={"pattern": "phrase", "kind": "threat"},
                                      redact_as="[threat]"))
        for span, p in flagged_sentences(ctx, text, "threat", self.policy.model_threshold("threat"),
                                         [f.span for f in found]):
            if _NOT_PEOPLE.search(text[span[0]:span[1]]):
                continue
            found.append(self.finding(span, explanation=model_explanation("threat", p), redact_as="[threat]"))
        return found
