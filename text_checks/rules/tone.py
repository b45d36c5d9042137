"""Tone: shouting in capitals and hostile sarcasm aimed at people."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding
from text_checks.model_findings import flagged_sentences, model_explanation
from text_checks.rule import TextContext, TextRule
from text_checks.textutil import fast_regex

_CAPS_RUN = fast_regex(r"\b[A-Z][A-Z'’]+(?:[\s,.!?\-]+[A-Z][A-Z'’]*){2,}\b")
_HOSTILE_CAPS = fast_regex(
    r"(?<!THANK )(?<!SEE )(?<!LOVE )(?<!MISS )(?<!BLESS )\b(?:YOU|YOUR|YOU'RE)\b|\b(?:STOP|NEVER|WHY|HOW\s+MANY\s+TIMES|AGAIN|"
    r"HOW\s+MANY\s+MORE\s+TIMES|IS\s+NOT|ARE\s+NOT|STILL|SERIOUSLY|SICK|FED\s+UP|RIDICULOUS|UNACCEPTABLE|DISGUSTING|DISGRACE|STUPID|IDIOTS?|LISTEN|PATHETIC|"
    r"SHAMEFUL|ENOUGH|EVERY\s+SINGLE|NOBODY|IGNORE|IGNORED|IGNORING|RUDE|WRONG|DO\s+NOT|CAN'T\s+YOU)\b")
_SARCASM = fast_regex(
    r"\b(?:oh\s+(?:great|wonderful|brilliant|fantastic|joy|fab|lovely|perfect),?\s+(?:another|just\s+what|thanks|more|yet)"
    r"|thanks\s+(?:a\s+lot\s+)?for\s+nothing|thanks\s+a\s+bunch"
    r"|(?:well\s+done|congratulations|congrats|thanks|thank\s+you|bravo|hats\s+off)\s+(?:to\s+)?(?:the\s+|those\s+|all\s+the\s+)?"
    r"(?:genius(?:es)?|parents?|people|person|drivers?|whoever|clowns?|bright\s+sparks?|einsteins?)\s+(?:who|that)\s+"
    r"(?:parked|park|decided|thought|think|left|can'?t|cannot|couldn'?t|didn'?t|don'?t|ignored|ignore|blocked|keep)"
    r"|(?:clearly|obviously|apparently)\s+(?:some|a\s+few|certain|many)\s+(?:parents|people|pupils|students|staff|drivers|of\s+you)\s+"
    r"(?:can'?t|cannot|don'?t|didn'?t|never|think|are\s+unable)"
    r"|some\s+(?:parents|people|of\s+you)\s+(?:clearly\s+|obviously\s+|just\s+|still\s+)?(?:can'?t|cannot|don'?t|never)\s+"
    r"(?:read|listen|follow|drive|park|understand|be\s+bothered)"
    r"|for\s+the\s+(?:hundredth|millionth|thousandth|100th|1000th|umpteenth|last|fifth|tenth)\s+time"
    r"|how\s+(?:hard|difficult)\s+(?:is\s+it|can\s+it\s+be)\s+to"
    r"|is\s+it\s+(?:really\s+)?too\s+much\s+to\s+ask|yeah\s+right|slow\s+clap"
    r"|what\s+part\s+of\s+.{1,40}?\s+do(?:n'?t|\s+you\s+not)\s+(?:you\s+|they\s+)?understand"
    r"|(?:i|we)\s+shouldn'?t\s+have\s+to\s+(?:say|tell|remind|keep)"
    r"|(?:as\s+)?(?:i'?ve|we'?ve|i\s+have|we\s+have)\s+(?:already\s+)?(?:said|told\s+you|asked|explained|mentioned|reminded\s+you)"
    r"(?:\s+(?:this|it|that))?\s+(?:many|several|countless|a\s+hundred|a\s+million|so\s+many|two|three|four|five|six|"
    r"multiple|\d+)\s+times"
    r"|if\s+you(?:'d|\s+had)\s+(?:actually\s+|bothered\s+to\s+)?(?:read|listened|checked|looked)"
    r"|(?:nice|great)\s+one,?\s+(?:genius|einstein|whoever)"
    r"|you\s+(?:lot|people)\s+(?:never|always|can'?t|don'?t)"
    r"|(?:shut\s+up|grow\s+up|get\s+a\s+life|get\s+over\s+it)"
    # the sneer of a reply: "go off, I guess", "we're not daft", "since some people clearly didn't…"
    r"|go\s+off,?\s+i\s+guess|we'?re\s+not\s+(?:daft|stupid|idiots|born\s+yesterday)"
    r"|since\s+some\s+(?:people|of\s+you|parents)\s+(?:clearly\s+|obviously\s+|still\s+)?(?:didn'?t|can'?t|don'?t|haven'?t|never|forgot)"
    r"|perhaps\s+if\s+(?:the|they|someone|some)\s+[^.!?]{0,40}\b(?:promised|bothered|actually|had\s+the)"
    r"|maybe\s+next\s+(?:year|time)\s+they'?(?:ll|\s+will)\s+(?:remember|manage|bother)"
    r"|you\s+clearly\s+(?:have\s+no\s+idea|don'?t\s+know|haven'?t\s+(?:read|got))"
    r"|how\s+many\s+more\s+times"
    # the reprimands of a reply: "should be ashamed of themselves", "we expected better of you", "read the
    # letter before commenting", "check your facts", "we've answered this three times now"
    r"|should\s+be\s+(?:utterly\s+|thoroughly\s+|truly\s+)?ashamed\s+of\s+(?:themselves|yourself|yourselves|himself|herself)"
    r"|shame\s+on\s+(?:you|them|him|her|those|the\s+people)"
    r"|(?:we|i)\s+(?:had\s+)?expected\s+(?:much\s+|far\s+|a\s+lot\s+)?better(?=\s*[,.!;—-]|\s+(?:of|from|and)\b)"
    r"|read(?:ing)?\s+(?:\w+\s+){0,4}?before\s+(?:posting|commenting|complaining|moaning|replying|ranting|tweeting|"
    r"mouthing\s+off|having\s+a\s+go)"
    r"|check\s+(?:your|their|his|her)\s+facts"
    r"|(?:i'?ve|we'?ve|i\s+have|we\s+have)\s+(?:already\s+)?(?:answered|replied\s+to|covered|addressed|responded\s+to|"
    r"dealt\s+with)\s+(?:this|it|that)\s+(?:twice|(?:two|three|four|five|several|many|multiple|countless|\d+)\s+times))\b",
    re.IGNORECASE)
#: "With respect, …" opening a reply or a sentence addressed to someone ("@dave With respect Dave, you've
#: moaned…"): the formula that announces a rebuke. "With respect to the timetable" (= about) and
#: "treat everyone with respect" are not it: only at the start of a sentence or after the handles.
_WITH_RESPECT = fast_regex(
    r"(?:^|[.!?]\s+|\n)(?:@\w+[\s,:]+)*(?:(?:hi|hello|dear|sorry)\s+)?(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?(?:(?-i:[A-Z][\w'-]+),?\s+)?"
    r"(?P<rebuke>with\s+(?:all\s+due\s+|the\s+greatest\s+|the\s+utmost\s+|great\s+)?respect)"
    r"(?=\s*,|\s+(?-i:[A-Z][\w'-]+),|\s+but\b)",
    re.IGNORECASE)
#: Praise and asides that the draft's irony turns into a sneer ("Amazing effort guys, truly inspirational
#: 🙃" after half the class forgot their kit; "Funny that 🙄"; "perhaps you'd like to make thirty of them
#: yourself 🙂"): counted only with a mark of irony (`_IRONY`), since "Funny how quickly the summer went!"
#: and "Love that for us!" are sincere.
_IRONIC_PRAISE = fast_regex(
    r"\b(?:truly\s+inspirational|amazing\s+effort|impressive\s+effort|(?:really\s+)?feeling\s+the\s+['‘]?\w+|"
    r"funny\s+(?:how|that)|(?:amazing|strange|interesting)\s+how\s+(?:many|often|some)|love\s+that\s+for\s+(?:us|me)|"
    r"good\s+luck\s+with\s+that(?!\s+\w)|perhaps\s+you'?d\s+like\s+to|"
    r"what\s+would\s+we\s+do\s+without|(?:what\s+a|no)\s+(?:surprise|shock)|bless\s+(?:him|her|them))\b", re.IGNORECASE)
#: Thanks or praise for one unnamed person "who…" ("well done to the dad on the touchline who felt the
#: need to referee", "shout-out to the colleague who 'borrowed' my room"), sarcastic when the draft
#: also carries a mark of irony (below); sincere thanks for an unnamed helper carry none.
_THANKS_TO_SOMEONE = fast_regex(
    r"\b(?:well\s+done|congratulations|congrats|thanks|thank\s+you|shout\s*-?\s*out|big\s+thanks|cheers|hats\s+off)"
    r"\s+(?:to\s+)?(?:the|that|a\s+certain)\s+(?:[\w'-]+\s+){0,5}?(?:mum|dad|parent|colleague|person|driver|man|woman|"
    r"lady|gentleman|bloke|member\s+of\s+staff|deputy|one|someone|year\s?\d{1,2}s)"
    r"(?:\s+(?:in|on|at|from|with|by)\s+(?:the|a|an|his|her)\s+[\w'-]+(?:\s+[\w'-]+)?)?\s+(?:who|that)\b", re.IGNORECASE)
_IRONY = fast_regex(
    r"\b(?:felt\s+the\s+need|saw\s+fit|kindly\s+(?:decided|informed|reminded|explained|told)|informed\s+me|"
    r"shall\s+we\?|all\s+(?:two|three|four|five)\s+of\s+you)|[🙃🙄😒😬]|(?<![\w'])'[a-z]{3,}'(?![\w'])", re.IGNORECASE)
_ACRONYMS = frozenset({"GCSE", "GCSES", "PE", "KJS", "SEN", "SEND", "PTA", "BBC", "PTFA", "DT", "RE", "ICT", "IT",
                       "UK", "STEM", "MFL", "PSHE", "RSE", "INSET", "SLT", "HOD", "NHS", "FA", "RFU", "ESFA", "TV",
                       "XI", "XV", "OK", "PM", "AM", "FAQ", "KS3", "KS4", "KS5", "DOE", "DofE", "UCAS", "EHCP"})


class Tone(TextRule):
    """What it does: advises when a post shouts at people in capitals ("PARENTS PLEASE STOP PARKING ON
    THE ZIGZAGS") or uses hostile sarcasm aimed at people ("well done to the genius who parked across
    the gates", "for the hundredth time", "some parents clearly can't read").

    Why (clause 2.7): "the tone of content published on social media should be appropriate to the
    audience, whilst retaining appropriate levels of professional standards".

    Example: "WHY DO YOU NEVER READ THE LETTERS"; "Oh great, another email from the trust".
    Passes: "HUGE CONGRATULATIONS TO OUR U14 NETBALL TEAM!"; "GCSE PE results day"; "Well done to
    everyone who took part".
    """

    id = "tone"
    severity = "advice"
    clause = "2.7"
    title = "Tone"
    description = "shouting, hostility, sarcasm aimed at people"
    mask = None  # the span is kept: shouting, sarcasm markers
    stands_alone = True  # rewording an insult or a threat need not take the sarcasm or shouting out
    message = "The tone may read as shouting or hostile."
    suggestion = "Rephrase calmly: engaging, conversational, informative, friendly (policy 2.7)."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found = []
        for m in _SARCASM.finditer(text):
            found.append(self.finding(m.span(), explanation={"pattern": "sarcasm", "kind": "hostile phrase"}))
        for m in _WITH_RESPECT.finditer(text):
            found.append(self.finding(m.span("rebuke"), explanation={"pattern": "sarcasm", "kind": "rebuke"}))
        if _IRONY.search(text):
            for m in _THANKS_TO_SOMEONE.finditer(text):
                found.append(self.finding(m.span(), explanation={"pattern": "sarcasm", "kind": "ironic thanks"}))
            for m in _IRONIC_PRAISE.finditer(text):
                found.append(self.finding(m.span(), explanation={"pattern": "sarcasm", "kind": "ironic praise"}))
        if sum(1 for ch in text if ch.isupper()) >= 12:
            for m in _CAPS_RUN.finditer(text):
                words = [w for w in re.findall(r"[A-Z'’]+", m.group()) if w not in _ACRONYMS]
                if len(words) < 3 or sum(len(w) for w in words) < 12:
                    continue
                if _HOSTILE_CAPS.search(m.group()):
                    found.append(self.finding(m.span(), explanation={"pattern": "capitals", "kind": "shouting"}))
        # hostility and passive-aggression the phrases above cannot list ("some parents clearly think
        # the rules are optional", "thanks SO much to whoever left the staffroom like that")
        for span, p in flagged_sentences(ctx, text, "hostility", self.policy.model_threshold("hostility"),
                                         [f.span for f in found]):
            found.append(self.finding(span, explanation=model_explanation("hostility", p)))
        return found
