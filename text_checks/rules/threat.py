"""Threats of violence or harm against people."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding
from text_checks.model_findings import flagged_sentences, model_explanation
from text_checks.rule import TextContext, TextRule
from text_checks.textutil import fast_regex

#: "I'll batter him": a violent verb after "I'll", "someone should" …, aimed at a person (checked below).
_VERB_THREATS = fast_regex(
    r"\b(?:i(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|\s+swear\s+i'll|\s+could)|we(?:'ll|\s+will)|"
    r"someone\s+(?:should|needs\s+to|ought\s+to)|gonna)\s+"
    r"(?:kill|murder|stab|shoot|punch|hit|smash|batter|deck|strangle|hurt|beat\s+up|knock\s+out|burn|end|slap|kick)\b",
    re.IGNORECASE)
#: What follows the verb when it is aimed at people: a pronoun, a name, "the ref", "the lot of them".
_PERSON_OBJECT = fast_regex(
    r"\s+(?:you|u|ya|him|her|them|us|me|his|their|your|'?em|everyone|anyone|someone|somebody|"
    r"the\s+(?:lot|ref|referee|teacher|head|kid|boy|girl|man|woman|parent|mum|dad|bloke|guy)|"
    r"(?:mr|mrs|ms|miss|dr)\b|[A-Z][a-z]+\b(?!\s+(?:record|cup|final|exams?)))")
#: Threats that need no object: "watch your back", "I know where you live", "kys"; and the veiled
#: threats of British speech, which name the harm to come rather than the blow: "you'll be needing a
#: dentist", "leaving in an ambulance", "carrying their teeth home", "put you through that window",
#: "come near my pupils again", "best not show your face", "I'd watch yourself", "a dark alley".
_PHRASE_THREATS = fast_regex(
    r"\b(?:watch\s+(?:your|his|her|their)\s+backs?(?!\s+(?:when|while|as)\s+(?:lifting|carrying|bending))|i\s+know\s+where\s+(?:you|he|she|they)\s+(?:lives?|parks?|drinks?|works?)|"
    r"you(?:'ll|\s+will)\s+(?:regret|pay\s+for)\s+this|"
    r"(?:go\s+)?kill\s+yourself|kys|deserves?\s+(?:a\s+bullet|to\s+(?:die|be\s+shot|be\s+hanged|be\s+stabbed))|"
    r"should\s+be\s+(?:shot|hanged|strung\s+up|put\s+down|gassed)|"
    r"(?:be|been)\s+need(?:ing|s)?\s+(?:a\s+dentist|an\s+ambulance|a\s+body\s*bag|a\s+new\s+face)|"
    r"(?:leav(?:e|ing)|go(?:ing)?\s+home|carried\s+out)\s+in\s+(?:an\s+ambulance|a\s+body\s*bag)|"
    r"carry(?:ing)?\s+(?:your|their|his|her)\s+teeth\s+home|"
    r"put\s+(?:you|him|her|them|'?em)\s+through\s+(?:that|the|a)\s+(?:window|wall|door|table)|"
    r"(?:break|snap)\s+(?:your|his|her|their)\s+(?:legs?|neck|arms?|nose|jaw|fingers)|"
    r"(?:come|go)\s+near\s+(?:my|our)\s+(?:students|pupils|kids|children|class|family|daughter|son|team)\s+again|"
    r"(?:best|better)\s+not\s+show\s+(?:your|ya|their)\s+faces?|"
    r"i(?:'d|\s+would)\s+watch\s+(?:yourself|yourselves)|"
    r"(?:see|catch|meet)\s+(?:you|him|her|them)\s+(?:in|down)\s+a\s+dark\s+(?:alley|car\s+park)|"
    r"you(?:'re|\s+are)\s+(?:a\s+)?dead\s+(?:man|meat)|(?:you|he|she|they)(?:'ll|\s+will)\s+get\s+what'?s\s+coming|get(?:s|ting)?\s+what'?s\s+coming\s+to\s+(?:them|him|her|you|'?em))\b",
    re.IGNORECASE)
#: More veiled threats that say what is coming without the blow: "enjoy your last week alive", "you'd
#: better pray I never find out", "you'll wish you'd phoned in sick", "keep looking over your shoulder",
#: "needs a proper slap", "someone is going out of that window", "our lads know where your club plays".
_VEILED_THREATS = fast_regex(
    r"\b(?:(?:your|their|his|her)\s+last\s+(?:day|week|night|lesson|term)\s+alive(?!\s+as\b)|"
    r"better\s+(?:pray|hope)\s+(?:that\s+)?(?:i|we)\s+(?:never|don'?t|do\s+not|won'?t)\s+(?:find|bump|see|catch|meet|get)|"
    r"you(?:'ll|\s+will)\s+wish\s+you(?:(?:'d|\s+had)\s+(?:never|not|stayed\s+(?:at\s+home|away|quiet)|kept\s+(?:quiet|out|your)|"
    r"phoned\s+in|called\s+in)|\s+hadn'?t|\s+(?:were|had\s+been)\s+(?:dead|somewhere\s+else))|"
    r"(?:i'?d|i\s+would|you'?d\s+better|better|might\s+want\s+to|start|should)\s+(?:keep|be)\s+looking\s+over\s+"
    r"(?:your|his|her|their)\s+shoulders?|"
    r"needs?\s+a\s+(?:proper|good|real)\s+(?:slap|smack|kicking|hiding|beating|thump|clip\s+round\s+the\s+ear)|"
    r"(?:someone|somebody|he|she|you|they)(?:\s+is|\s+are|'s|'re)\s+going\s+(?:out\s+of|through)\s+(?:the|a|that)\s+"
    r"(?:\w+\s+){0,2}window|"
    r"(?:i|we|they|lads|boys|people|everyone)\s+(?:all\s+)?know\s+where\s+(?:your|his|her|their)\s+(?:\w+\s+){0,2}"
    r"(?:plays?|lives?|parks?|works?|trains?))\b", re.IGNORECASE)
#: Veiled threats that name the harm to the person, their family or their things without the blow:
#: "five minutes alone in a room with him", "he'll be needing a new set of teeth", "I know which car
#: is yours", "don't think I won't turn up at your house", "I'll make sure everyone knows what you
#: did", "the tyres are coming down".
_HARM_TO_COME = fast_regex(
    r"\b(?:(?:five|two|ten)\s+minutes\s+(?:alone\s+(?:in\s+a\s+room\s+)?|(?:in\s+a\s+room|round\s+the\s+back|outside)\s+(?:alone\s+)?)with\s+"
    r"(?:him|her|them|that|this|the|those|these|your|his|their)\b|"
    r"(?:he|she|they|you|someone)(?:'ll|\s+will|'d|\s+would)\s+(?:be\s+)?need(?:ing)?\s+(?:a\s+new\s+set\s+of\s+teeth|new\s+teeth|"
    r"stitches|a\s+new\s+nose|a\s+surgeon|a\s+plaster\s+cast|a\s+hospital\s+bed|(?:a\s+)?dental\s+work)|"
    r"(?:i|we)\s+know\s+(?:which|what)\s+(?:car|house|bike|door|van)\s+(?:is\s+(?:yours|his|hers|theirs)|(?:you|he|she|they)\s+(?:drive|drives|live\s+in|lives\s+in))|"
    r"(?:i|we)\s+know\s+where\s+(?:your|his|her|their)\s+(?:kids|children|son|daughter|sister|brother|wife|husband|mum|mother|family)\s+"
    r"(?:go|goes|live|lives|work|works|drink|drinks)|"
    r"(?:i(?:'ll|\s+will|\s+won'?t|\s+wouldn'?t)|we(?:'ll|\s+will|\s+won'?t))\s+(?:be\s+)?(?:turn(?:ing)?\s+up|com(?:e|ing)\s+round|call(?:ing)?\s+round)\s+"
    r"(?:at|to)\s+(?:your|his|her|their)\s+(?:house|door|doorstep|home|front\s+door|work)|"
    r"(?:i(?:'ll|\s+will)|we(?:'ll|\s+will))\s+make\s+sure\s+(?:everyone|everybody|people|the\s+whole\s+\w+|your\s+\w+)\s+"
    r"(?:knows|finds\s+out|hears|sees)\s+(?:what\s+(?:you|he|she|they)\s+(?:did|said|do)|about\s+(?:your|his|her|their)\s+(?:little\s+)?\w+)|"
    r"(?:tyres|windows|windscreen|car)\s+(?:are|is|will\s+be|'ll\s+be|gets?)\s+(?:coming\s+down|slashed|let\s+down|smashed|keyed|"
    r"going\s+in|going\s+through))\b", re.IGNORECASE)
#: Menace that is only a threat in company: two of these in one draft ("we know exactly who you are…
#: I'd be careful walking past the school"; "try it again and our sixth formers will be at the stop.
#: You've been warned").
_MENACE = fast_regex(
    r"\b(?:know\s+(?:exactly\s+)?who\s+(?:you\s+are|it\s+was|did\s+(?:it|this))|you(?:'ve|\s+have)\s+been\s+warned|"
    r"i(?:'d|\s+would)\s+be\s+careful\s+(?:walking|where|when|if|round|around|going)|(?:it'?s\s+)?a\s+small\s+town|"
    r"see\s+what\s+happens|(?:speak|talk)\s+to\s+(?:me|us)\s+like\s+that|"
    r"looking\s+over\s+my\s+shoulder|try\s+(?:it|that|anything)\s+(?:again|like\s+that\s+again)\s+and\s+(?:our|my|we|i|they|the)\b|"
    r"see\s+where\s+(?:it|that|this)\s+gets\s+(?:you|him|her|them)|(?:find|found)\s+out\s+the\s+hard\s+way|have\s+long\s+memories|"
    r"(?:last|final)\s+warning|(?:not|won'?t\s+be)\s+(?:going\s+to\s+be\s+)?(?:so\s+)?(?:nice|pleasant|polite|friendly)\s+about\s+it|"
    r"(?:about|going)\s+to\s+get\s+(?:very\s+|really\s+)?(?:uncomfortable|unpleasant|nasty|ugly|messy)\s+for\s+(?:you|him|her|them)|"
    r"(?:be\s+(?:very\s+)?careful|think\s+(?:very\s+)?carefully)\s+(?:what|before)\s+you\s+(?:write|say|post|put|do)|"
    r"won'?t\s+be\s+(?:held\s+)?responsible\s+(?:for\s+what|if)|(?:he|she|they|you)(?:'s|'re|\s+is|\s+are)\s+lucky\s+(?:i|we|there|that\s+i)\b|"
    r"(?:lot|lads|boys|he|she|they|him|them)\s+(?:want|wants|need|needs)\s+sorting\s+out|i(?:'?m|\s+am)\s+not\s+joking|"
    r"would(?:n'?t|\s+not)\s+want\s+anything\s+(?:\w+\s+)?(?:to\s+happen|happening)|would\s+we\s*[?.!])\b|[🔪🔫]", re.IGNORECASE)
_NOT_PEOPLE = fast_regex(r"\b(?:smash|kill|beat|hit|end|shoot|break|burn)\w*\s+(?:it|the\s+(?:exams?|test|record|target|"
                         r"ball|goal|deadline|high\s+notes?|targets?)|my\s+(?:record|target|goals?)|our\s+record|their\s+"
                         r"(?:exams?|mocks?|tests?|record|targets?|goals?))\b", re.IGNORECASE)


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
    title = "Threat"
    description = "threats of violence or harm against a person or a group"
    mask = "[threat]"
    message = "This reads as a threat of violence or harm against someone."
    suggestion = "Remove it. Threats are never acceptable; if you are angry, step away and talk to someone."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found = []
        for m in _VERB_THREATS.finditer(text):
            if _PERSON_OBJECT.match(text, m.end()) and not _NOT_PEOPLE.match(text, m.end() - len(m.group().split()[-1])):
                found.append(self.finding(m.span(), explanation={"pattern": "phrase", "kind": "threat"},
                                          redact_as="[threat]"))
        for m in (*_PHRASE_THREATS.finditer(text), *_VEILED_THREATS.finditer(text), *_HARM_TO_COME.finditer(text)):
            found.append(self.finding(m.span(), explanation={"pattern": "phrase", "kind": "threat"},
                                      redact_as="[threat]"))
        menace = list(_MENACE.finditer(text))
        if len({m.group().lower() for m in menace}) >= 2 and not found:
            found.append(self.finding((menace[0].start(), menace[-1].end()),
                                      explanation={"pattern": "menace", "kind": "veiled threat"}, redact_as="[threat]"))
        for span, p in flagged_sentences(ctx, text, "threat", self.policy.model_threshold("threat"),
                                         [f.span for f in found]):
            if _NOT_PEOPLE.search(text[span[0]:span[1]]):
                continue
            found.append(self.finding(span, explanation=model_explanation("threat", p), redact_as="[threat]"))
        return found
