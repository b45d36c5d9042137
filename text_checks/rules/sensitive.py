"""Sensitive details about an identifiable pupil, and documents marked confidential."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding, Policy
from text_checks.people import cached_people, organisation_handle
from text_checks.people import prepare as prepare_people
from text_checks.rule import TextContext, TextRule
from text_checks.textutil import cached_sentences, fast_regex, sentence_of

_TOPICS = {
    "safeguarding": r"safeguarding\s+(?:concerns?|issues?|referrals?|disclosures?|report)|child\s+protection|"
                    r"cp\s+(?:plan|concern|register)|child\s+in\s+need|cin\s+plan|looked[\s-]after|"
                    r"(?:taken\s+)?in(?:to)?\s+care|foster(?:ed|\s+care|\s+carers?|\s+placement)|care\s+order|"
                    r"social\s+(?:services|worker)|domestic\s+(?:abuse|violence)|neglect(?:ed)?|"
                    r"abused|disclosed|disclosure|lac|supported\s+(?:lodgings|accommodation)|"
                    r"emergency\s+accommodation|(?:women'?s\s+)?refuge|homeless(?:ness)?|kinship\s+care|"
                    r"special\s+guardianship|adopted|adoption",
    "SEN": r"sen|send|ehcp|ehc\s+plan|statement(?:ed)?\s+of\s+sen|iep|special\s+(?:educational\s+)?needs|"
           r"adhd|autism|autistic|asd|asperger'?s?|dyslexi[ac]|dyspraxi[ac]|learning\s+(?:difficult(?:y|ies)|disabilit(?:y|ies))|"
           r"semh|speech\s+and\s+language",
    "medical": r"diabet(?:es|ic)|epilep(?:sy|tic)|seizures?|asthma(?:tic)?|anaphyla(?:xis|ctic)|(?:nut\s+)?allerg(?:y|ies|ic)|"
               r"cancer|leukaemia|eating\s+disorder|anorexi[ac]|bulimi[ac]|self[\s-]?harm(?:ing)?|suicid(?:e|al)|"
               r"depress(?:ion|ed)|anxiety|mental\s+health|ocd|(?:on\s+)?medication|insulin|epipen|hospitali[sz]ed|"
               r"in\s+hospital|pregnan(?:t|cy)|hiv|camhs|counsell?ing|therapy|diagnos(?:ed|is)|chemo(?:therapy)?|"
               r"chickenpox|measles|mumps|scarlet\s+fever|head\s+lice|norovirus|glandular\s+fever|meningitis|tuberculosis|"
               r"hypo(?:glycaemi[ac])?|hypoglycaemia|eczema|psoriasis|cystic\s+fibrosis|crohn'?s|coeliac|"
               r"sickle\s+cell|cerebral\s+palsy|tourette'?s|arthritis|heart\s+condition|concussion|"
               r"panic\s+attacks?|(?:too\s+)?anxious\s+to\s+(?:come|attend|go)|school\s+refus(?:al|er)|ebsa|"
               # an operation or treatment someone had, not "Operation Christmas Child" or "the GP surgery"
               r"(?:(?:had|having|has|have|need|needs|needed|after|before|from|undergoing|awaiting|for)\s+|"
               r"(?:his|her|their|your)\s+)(?:(?:an?|his|her|their|your|emergency|major|minor|another|knee|hip|"
               r"back|heart|eye|ear|brain|spinal|leg|arm)\s+){0,2}(?:surgery|operation|op)|"
               r"hospital\s+treatment|(?:having|receiving|undergoing|starting|started|finished|needs?)\s+"
               r"(?:(?:more|some|his|her|their|your|hospital|cancer|medical)\s+)?treatment|treatment\s+for|"
               r"(?:broken|fractured|broke\s+(?:his|her|their|your|a)|fractured\s+(?:his|her|their|your|a))\s+"
               r"(?:arm|leg|wrist|ankle|collarbone|foot|hand|nose|finger|elbow|hip)|a\s*&\s*e|on\s+crutches|in\s+plaster",
    "behaviour": r"(?:permanently\s+|internally\s+)?excluded|exclusion(?!s)|expelled|suspended|suspension|fixed[\s-]term|"
                 r"isolation|detentions?|behaviour\s+(?:incident|points?|log)|on\s+report|internal\s+exclusion|"
                 r"managed\s+move|pru|pupil\s+referral\s+unit|reported\s+to\s+the\s+police|arrested|"
                 r"caught\s+(?:vaping|smoking|stealing)|theft|bullied|bullying|bully",
    "welfare": r"free\s+school\s+meals|fsm|pupil\s+premium|young\s+carer|food\s+bank",
}
_TOPIC_RE = fast_regex(
    r"(?<![\w-])(?:" + "|".join(f"(?P<{k.replace(' ', '_')}>{v})" for k, v in _TOPICS.items()) + r")(?![\w-])",
    re.IGNORECASE)
#: What follows a topic word when it names a service, event or team rather than a child's situation.
_INSTITUTIONAL_AFTER = fast_regex(
    r"\s*(?:'s\s+)?(?:department|dept|team|coordinator|co-ordinator|senco|lead|leads|officer|training|"
    r"awareness|week|month|day|policy|policies|provision|open\s+evening|evening|staff|conference|course|hub|"
    r"base|unit|services?|support\s+group|charity|charities|fundraiser|fundraising|information|info|"
    r"workshop|session|talk|assembly|club|champions?|ambassadors?|room|suite|research|resources?|homes?|"
    r"dogs?|walk|run|appeal|network|friendly|inclusive|parents\s+forum|coffee\s+morning|drop[\s-]in|"
    r"uk|action|society|trust|foundation|association|alliance|matters|speaks|nurse|nurses|ward|clinic)\b",
    re.IGNORECASE)
_INSTITUTIONAL_BEFORE = fast_regex(
    r"(?:anti[\s-]|our\s+|the\s+school'?s?\s+|national\s+|world\s+|(?:money|funds|awareness|support|ran|run|walk(?:ed)?|cycled|swam|donations?)\s+for\s+(?:an?\s+)?|about\s+|raising\s+|raised\s+|"
    r"(?:work|project|talk|presentation|essay|research|lesson|assembly|speech|poster|article|book|poem)\s+on\s+)$",
    re.IGNORECASE)
#: One child the topic word describes, which "our" does not make a service ("our autistic superstar",
#: unlike "our SEN team"; "our autistic learners" are a group, as before).
_A_CHILD_AFTER = fast_regex(r"\s+(?:little\s+|young\s+)?(?:superstar|star|boy|girl|lad|lass|pupil|student|learner|"
                            r"son|daughter|child|kid|hero|champion|legend|man|woman|person|one)\b", re.IGNORECASE)
_PRONOUN_START = fast_regex(r"\s*(?:(?:and|but|so|now|today|apparently|sadly|poor\s+thing,?)\s+)?(?:he|she|they|his|her|their)\b",
                            re.IGNORECASE)
#: "he", "she", "his", "her" anywhere in a sentence that follows one about a pupil: the same child
#: ("One of my Year 8s told us… Social services are involved now and he's staying with his nan").
_SINGULAR_PRONOUN = fast_regex(r"\b(?:he|she|him|his|her|he's|she's|he'd|she'd)\b", re.IGNORECASE)
#: "you", "your" in a sentence that follows one naming a pupil: the same child, spoken to ("Welcome back
#: Amelia! Lovely to see you after your operation"); "your child" is every parent.
_ADDRESSED = fast_regex(r"\b(?:you|your|you're|you've)\b(?!\s+(?:child|son|daughter|children|kids?))", re.IGNORECASE)
#: A greeting just before a name: the pupil is being spoken to ("Welcome back Amelia! …").
_GREETED = fast_regex(r"\b(?:welcome\s+back|well\s+done|congratulations|congrats|get\s+well\s+soon|happy\s+birthday|"
                      r"good\s+luck|hi|hey|hello|dear|to)\s*,?\s*$", re.IGNORECASE)
#: The kinds of reference that name one pupil, to whom a next sentence can speak.
_NAMED_KINDS = {"first-name", "no-publish", "handle"}
#: A titled adult ("ask Mrs McAskill about medication") is a member of staff, not a pupil.
_PERSON_KINDS = {"first-name", "no-publish", "small-group", "role", "class", "handle"}
#: Handles credited, thanked or listed rather than talked about: "RT @…", "via @…", "thanks @…", "@a @b".
_CREDITED_BEFORE = fast_regex(r"(?:\bRT|\bvia|\bby|\bfrom|\bthanks?(?:\s+to)?|\bthank\s+you|\bw/?|\bwith|\band|&|,|@\w+)\s*:?\s*$",
                              re.IGNORECASE)
_HANDLE_AFTER = fast_regex(r"\s*,?\s*(?:and\s+|&\s+)?@\w")
#: "your child", "your son": a letter to every parent, not one identified pupil.
_GENERIC_CHILD = fast_regex(r"your\s", re.IGNORECASE)
_MARKERS = fast_regex(
    r"(?<![\w-])(?:(?:strictly\s+|private\s+and\s+)?confidential(?!\s+(?:service|helpline|line|advice|support|"
    r"counsell?ing|reporting|space|listening|chat|help))|internal\s+(?:use\s+)?only|for\s+internal\s+use|"
    r"not\s+for\s+(?:circulation|publication|distribution|sharing|wider\s+circulation|public\s+release)|"
    r"do\s+not\s+(?:share|forward|circulate|distribute)|please\s+don'?t\s+share|staff\s+eyes\s+only|"
    r"for\s+staff\s+eyes\s+only|under\s+embargo|embargoed|commercially\s+sensitive|in\s+confidence|"
    r"restricted\s+document|(?:leaked|leak)\s+(?:email|memo|document|minutes|letter))(?![\w-])",
    re.IGNORECASE)
_MARKER_SAFE_BEFORE = fast_regex(r"(?:free,?\s+|is\s+a\s+|a\s+|completely\s+|totally\s+|offers?\s+)$", re.IGNORECASE)
#: A marker word offered as a promise to the reader, not stamped on the material: "speak to Mrs Reid in
#: confidence", "all information is treated in confidence", "everything you discuss with her is
#: confidential", "please do not share any images that include other children" (advice on what the
#: reader should not post).
_IN_CONFIDENCE_OFFERED = fast_regex(
    r"\b(?:speak|speaking|talk|talking|chat|contact|call|ring|email|e-mail|message|discuss|tell|raise|treated|"
    r"handled|dealt\s+with|held|kept)\b[^.!?]{0,40}$", re.IGNORECASE)
_CONFIDENTIAL_PROMISED = fast_regex(
    r"\b(?:everything|anything|all\s+information|any\s+information|information\s+you|what\s+you|whatever\s+you|"
    r"conversations?|calls?|discussions?|referrals?|applications?|enquiries|requests?|appointments?|"
    r"service|drop-?in|clinic|helpline|line|counsell?ing|support|sessions?|chats?|advice|surgery|"
    r"your\s+(?:details|information|call|conversation|answers|responses|application))\b"
    r"[^.!?]{0,60}\b(?:is|are|will\s+be|remains?|stays?|kept|treated(?:\s+as)?)\s+"
    r"(?:completely\s+|totally\s+|strictly\s+|always\s+|entirely\s+)?$", re.IGNORECASE)
_ADVICE_AFTER_DO_NOT_SHARE = fast_regex(
    r"\s+(?:(?:any|your|their|other\s+people'?s|others'?|personal|private|these|such)\s+)*"
    r"(?:images?|photos?|photographs?|pictures?|videos?|clips?|personal\s+(?:information|details|data)|"
    r"passwords?|log-?ins?|login\s+details|locations?|addresses|phone\s+numbers|"
    # what readers pass round themselves: "please don't share screenshots of the group chat here"
    r"screenshots?|screen\s*grabs?|rumours?|gossip|speculation|names|posts|messages|comments|links|"
    # anything, said where it must not go: "please don't share details publicly"
    r"(?:details|information|anything|names)\s+(?:\w+\s+){0,3}?(?:publicly|online|here|on\s+social\s+media|"
    r"in\s+(?:the\s+)?comments|on\s+(?:facebook|this\s+page|the\s+(?:page|group)))\b)", re.IGNORECASE)


_LIBRARY_BEFORE = fast_regex(r"\b(?:reference|library|books?|copies|journals|periodicals|dictionaries)\b[^.!?]*$",
                             re.IGNORECASE)


#: The school declining to say more, with confidentiality as the reason: "we can't comment on individual
#: cases as they are confidential", "staffing matters are confidential so we're unable to say more".
_DECLINING = fast_regex(
    r"\b(?:can'?t|cannot|can\s+not|unable\s+to|not\s+able\s+to|won'?t|will\s+not|not\s+in\s+a\s+position\s+to)\s+"
    r"(?:\w+\s+){0,2}?(?:comment|discuss|share|say|go\s+into|give|disclose|talk\s+about|release|publish)\b", re.IGNORECASE)
_LABEL_AFTER = re.compile(r"\s*[:\-–—]")


def _reason_for_not_saying(text: str, m: re.Match, spans: list[tuple[int, int]]) -> bool:
    """Whether "confidential" at `m` is given as the reason for not saying more, in a sentence that
    declines to (`_DECLINING`), not stamped on material ("CONFIDENTIAL: staffing changes")."""
    if m.group().isupper() or _LABEL_AFTER.match(text, m.end()):
        return False
    start, end = sentence_of(spans, m.start())
    return _DECLINING.search(text, start, end) is not None


def _offered_not_stamped(text: str, m: re.Match, spans: list[tuple[int, int]]) -> bool:
    """Whether a marker at `m` is a promise or advice to the reader (see `_IN_CONFIDENCE_OFFERED`)."""
    word = re.sub(r"\s+", " ", m.group().lower())
    before = text[max(0, m.start() - 100):m.start()]
    if word == "in confidence":
        return _IN_CONFIDENCE_OFFERED.search(before) is not None
    if word.startswith("confidential"):
        return (_MARKER_SAFE_BEFORE.search(before[-20:]) is not None
                or _CONFIDENTIAL_PROMISED.search(before) is not None
                or _reason_for_not_saying(text, m, spans))
    if word.startswith("not for circulation") and _LIBRARY_BEFORE.search(before[-50:]):
        return True  # reference books that are not lent out
    if word.startswith(("do not share", "please don")):
        return _ADVICE_AFTER_DO_NOT_SHARE.match(text, m.end()) is not None
    return False


class SensitivePupilInfo(TextRule):
    """What it does: blocks safeguarding, SEN, medical, exclusion or behaviour details when the same
    sentence points at an identifiable pupil or a small group: a name, "a Year 8 boy", "Jack in 9B",
    "two of our Year 10s", an @handle, "his daughter" (or the sentence before does, and this one goes
    on with "He …", "She …"). Words naming a service or event ("our SEN
    department's open evening", "anti-bullying week", "raising money for a diabetes charity") pass.

    Why (clauses 2.4 and 2.5): staff "will not use social media to infringe on the rights and
    privacy of others"; special-category data about a child is the most serious data breach.

    Example: "Jack in 9B was excluded again today"; "a Year 8 boy with ADHD kicked off in my lesson".
    Passes: "Our SEN department's open evening is on Thursday"; "No detentions this week, well done
    Year 9!"; "Mental Health Awareness Week starts Monday".
    """

    id = "sensitive-pupil-info"
    severity = "block"
    clause = "2.4, 2.5"
    title = "Sensitive pupil information"
    description = "safeguarding, SEN, medical, exclusion or behaviour details"
    mask = "[sensitive detail]"
    message = "This shares sensitive details (safeguarding, SEN, medical, behaviour) about an identifiable pupil."
    suggestion = "Remove the detail or anything that identifies the pupil; such matters stay in school systems."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        prepare_people(policy)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        topics = []
        for m in _TOPIC_RE.finditer(text):
            if _INSTITUTIONAL_AFTER.match(text, m.end()) or (
                    _INSTITUTIONAL_BEFORE.search(text[max(0, m.start() - 25):m.start()])
                    and not _A_CHILD_AFTER.match(text, m.end())):
                continue
            word = m.group()
            if word.lower() in {"sen", "send", "lac", "pru", "asd", "ocd", "fsm", "iep", "hiv"} and not word.isupper():
                continue  # "send", "lac" … in lower case are ordinary words
            topics.append(m)
        if not topics:
            return []
        institutional = {h.lower() for h in self.policy.handles} | set(self.policy.press_handles)
        pupils = set(self.policy.pupil_handles)
        refs = [r for r in cached_people(ctx, text) if r.kind in _PERSON_KINDS
                and not (r.kind == "handle" and self._not_a_pupil(text, r.start, r.end, institutional, pupils))
                and not (r.kind == "small-group" and _GENERIC_CHILD.match(text, r.start))]
        # a pupil identifier (UPN, ULN, NHS number, date of birth) identifies the pupil on its own
        refs += ctx.cache.get("pupil_identifiers", [])
        if not refs:
            return []
        found = []
        previous: list = []
        for s, e in cached_sentences(ctx, text):
            in_sentence = [m for m in topics if s <= m.start() < e]
            people = [r for r in refs if s <= r.start < e]
            pattern = "topic next to person"
            if in_sentence and not people and previous and (
                    _PRONOUN_START.match(text, s) or _SINGULAR_PRONOUN.search(text, s, e)
                    or (any(r.kind in _NAMED_KINDS and _GREETED.search(text, max(0, r.start - 30), r.start)
                            for r in previous) and _ADDRESSED.search(text, s, e))):
                people, pattern = previous, "topic after a sentence about a person"  # "Jack in 9B. He was excluded."
            previous = people
            if not in_sentence or not people:
                continue
            start = min(min(m.start() for m in in_sentence), min(r.start for r in people))
            end = max(max(m.end() for m in in_sentence), max(r.end for r in people))
            kinds = sorted({m.lastgroup for m in in_sentence})
            found.append(self.finding((start, end), explanation={
                "kind": ",".join(kinds), "pattern": pattern,
                "person": sorted({r.kind for r in people})}, redact_as="[sensitive detail]"))
        return found


    @staticmethod
    def _not_a_pupil(text: str, start: int, end: int, institutional: set[str], pupils: set[str]) -> bool:
        """A handle the roster does not list is a pupil only when the sentence is about its owner:
        not an account credited or thanked ("RT @…", "via @…", "thanks @…", a list of handles), not an
        organisation's or a titled adult's handle."""
        handle = text[start:end]
        low = handle.lower()
        if low in pupils:
            return False
        if low in institutional or organisation_handle(handle):
            return True
        return bool(_CREDITED_BEFORE.search(text[max(0, start - 25):start]) or _HANDLE_AFTER.match(text, end))


class ConfidentialMarker(TextRule):
    """What it does: blocks a draft carrying a confidentiality marker: "confidential", "internal
    only", "not for circulation", "do not share", "under embargo", "leaked memo" …; a confidential
    *service* ("Childline is a free, confidential service"), a promise to the reader ("speak to Mrs
    Reid in confidence", "everything you tell her is confidential") and advice on what not to post
    ("please do not share any images that include other children") pass.

    Why (the Don'ts): "Don't publish confidential or commercially sensitive material."

    Example: "CONFIDENTIAL - draft staffing structure attached"; "Not for circulation: Y11 results".
    Passes: "Secret Santa in the staffroom!"; "Childline offers free, confidential advice".
    """

    id = "confidential-marker"
    severity = "block"
    clause = "Don'ts"
    title = "Marked confidential"
    description = '"confidential", "internal only", "not for circulation"'
    mask = "[confidential]"
    message = "This looks like material marked confidential or not for circulation."
    suggestion = "Do not post confidential or internal material; check with the Director of IT."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found = []
        for m in _MARKERS.finditer(text):
            if _offered_not_stamped(text, m, cached_sentences(ctx, text)):
                continue
            found.append(self.finding(m.span(), explanation={"pattern": "marker", "kind": "confidentiality marker",
                                                    "marker": re.sub(r"\s+", " ", m.group().lower())},
                                      redact_as=None))
        return found
