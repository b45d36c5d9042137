"""Who a post is to: one pupil from a school account, pupils or parents from a personal account, the press."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding, Policy
from text_checks.model_findings import flagged_sentences, model_explanation
from text_checks.people import STAFF_HANDLE_TITLES, organisation_handle
from text_checks.lexicon import first_names
from text_checks.rule import TextContext, TextRule
from text_checks.textutil import cached_sentences, fast_regex

_HANDLE = fast_regex(r"(?<![\w@])@\w{1,30}")
#: The handle a reply opens with (Instagram's may hold dots: "@tilly.rose.2010").
_REPLY_HANDLE = fast_regex(r"(?<![\w@])@\w[\w.]{0,29}(?<!\.)")
_PUPIL_WORDS = r"(?:students|pupils|year\s?(?:[7-9]|1[0-3])s?|y(?:[7-9]|1[0-3])s?|kids|class|tutor\s+group|form\s+group|mentees|sixth\s+formers|year\s+groups?)"
_INVITE = fast_regex(
    r"\b(?:follow|add|dm|pm|message|inbox|snap|snapchat|text|whatsapp|friend|facetime|ring|call)\s+(?:me|us)\b"
    r"|\bfriend\s+requests?\b|\bmy\s+(?:snap(?:chat)?|insta(?:gram)?|tiktok|whatsapp|"
    r"personal\s+(?:number|account|page|email|e-mail|mobile|phone))\b"
    r"|\b(?:accept(?:ed|ing)?|approv(?:ed|ing))\s+(?:\w+\s+){0,3}?(?:friend|follow(?:er)?)\s+requests?\b",
    re.IGNORECASE)
_PUPIL_AUDIENCE = fast_regex(rf"\b(?:my|our|any|all|the|dear)?\s*{_PUPIL_WORDS}\b|\byou\s+guys\b", re.IGNORECASE)
_PUPIL_OR_PARENT_AUDIENCE = fast_regex(rf"{_PUPIL_AUDIENCE.pattern}|\b(?:parents|mums|dads|carers)\b",
                                       re.IGNORECASE)
#: A direct message from a personal account that is to a pupil or a parent: the member of staff says
#: who they are at school, or talks to "you" about your own school life ("see you in form tomorrow").
_DM_TO_PUPIL_OR_PARENT = fast_regex(
    r"\b(?:it'?s|this\s+is)\s+(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][\w'’-]+\s+(?:from|at)\s+(?:school|KJS|King\s+James|"
    r"the\s+school|the\s+\w+\s+(?:page|department|dept))"
    r"|\bsee\s+you\s+(?:in|at)\s+(?:form|class|lessons?|registration|tutor\s+time)\b"
    r"|\byour\s+(?:homework|coursework|revision|mocks?|detention|predicted\s+grades?|report\s+card)\b", re.IGNORECASE)
#: A reply that talks to one pupil about their own school work or conduct.
_ONE_PUPIL_CUES = fast_regex(
    r"\b(?:homework|coursework|detention|revision|revise|mocks?|see\s+me|come\s+(?:and|to)\s+see\s+me|"
    r"tutor\s+group|form\s+room|period\s+\d|well\s+done\s+(?:on|for)\s+your|in\s+(?:class|lessons?|form)|"
    r"(?:year|yr|y)\s?(?:[7-9]|1[0-3])\b|gcses?|a[\s-]levels?|btecs?|ucas|sixth\s+form|apprenticeship|"
    r"see\s+you\s+(?:in|at)\s+(?:form|class|lessons?|school|training|rehearsals?|practice)|"
    r"your\s+(?:[\w-]+\s+){0,2}(?:work|project|book|test|results?|target|behaviour|attendance|essay|homework|"
    r"coursework|grade|exam|match|game|solo|performance|kit|bag|certificate|reference|statement|planner|"
    r"locker|coat|jumper|blazer|lunchbox|timetable))\b",
    re.IGNORECASE)
#: A handle ending in a school-age birth year ("@maxw_2009", "@tilly.rose.2010", "@jayden_runs_09"): a
#: young person's.
_YOUNG_HANDLE = fast_regex(r"@[\w.]*?(?:20(?:0[6-9]|1[0-7])|(?<=[._])(?:0[6-9]|1[0-7])"
                           # "ellie_w09", "jack.h10": an initial then a birth year (adults' handles carry
                           # any number: "jennyjump11", "MattJohnson10"; "_u12", "_y10" are age bands)
                           r"|(?<=[._][a-tv-xz])(?:0[6-9]|1[0-7]))\b", re.IGNORECASE)
#: One pupil named and spoken to ("Hi Lewis, did you…", "Freya (9M) you were amazing…") and asked to
#: get in touch privately: the school account is starting a one-to-one conversation.
_NAMED_OPENING = fast_regex(r"^\s*(?i:(?:hi|hey|hello|dear|well\s+done|congrats|congratulations)\s+)?"
                            r"(?P<name>[A-Z][a-z]+)(?P<form>\s*\(\s*\d{1,2}[A-Z]{1,2}\d?\s*\)|\s+(?:in|from)\s+\d{1,2}[A-Z]{1,2}\d?\b)?"
                            r"(?!\s*(?:and|&)\s)\s*[,!:–—-]?\s")
#: What the account asks the one pupil it names to do: "collect it from reception", "pop to the
#: office", "see Mrs Shah" (a notice to one child, in public).
_ACTION_FOR_ONE = fast_regex(
    r"\b(?:collect|pick\s+up)\s+(?:it|them|your)\b|\bpop\s+(?:it\s+)?(?:in|into|to|by|along|over|up)\b|"
    r"\bcome\s+(?:to|and\s+(?:see|find))\b|\bsee\s+(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s|\breport\s+to\b|"
    r"\bdrop\s+(?:in|by|into)\b|\bplease\s+(?:check|bring|sign)\b", re.IGNORECASE)
_PRIVATE_INVITE = fast_regex(r"\b(?:(?:dm|pm|message|inbox|email|e-mail)\s+(?:us|me)|send\s+us\s+a\s+(?:private\s+|direct\s+)?"
                             r"message|tag\s+us|reply\s+here|drop\s+us\s+a\s+(?:line|message))\b", re.IGNORECASE)
#: A direct message that is plainly to an adult or a business: it talks about the pupils in the third
#: person ("our 52 students", "your child") or is about a booking, a delivery or a donation.
_TO_AN_ADULT = fast_regex(
    r"\b(?:our\s+(?:\d+\s+)?(?:students|pupils|children|year\s?\d{1,2}s?)|your\s+(?:child|son|daughter)|"
    r"confirm\s+(?:the\s+)?(?:booking|pick-?up|time|order|date|numbers)|booking|invoice|order\s+number|delivery|"
    r"donat(?:e|ing|ion)|quote\s+for|many\s+thanks,\s+(?:Mr|Mrs|Ms|Miss|Dr)|trips\s+office|school\s+office|"
    r"\d+\s+(?:pupils|students|children|adults|staff)|availability|following\s+up|(?:is|are)\s+(?:the\s+)?\w+\s+(?:hall|room|venue)\s+free|"
    r"this\s+is\s+(?:the\s+)?(?:pta|office|trips|school|head)|work\s+for\s+you|"
    # an adult greeted by title ("Hi Mrs Begum"), a parent to be phoned, a colleague with a class of their own
    r"(?:hi|hello|dear|morning|afternoon|good\s+(?:morning|afternoon|evening))\s+(?:mr|mrs|ms|miss|mx|dr|coach)\.?\s+[A-Z][\w'-]+|"
    r"(?:will|'ll|can|could)\s+(?:call|ring|phone)\s+you|your\s+(?:class|form|tutor\s+group|year\s?\d{1,2}s?)(?!\s+(?:teacher|tutor))|"
    r"class\s+page|the\s+parent\s+you|give\s+(?:her|him|them)\s+a\s+(?:ring|call))\b",
    re.IGNORECASE)
#: "You" spoken to about your own school life: a pupil, whatever else the message mentions.
_YOUR_SCHOOL_WORK = fast_regex(
    r"\byour\s+(?:[\w-]+\s+){0,2}(?:homework|coursework|work|test|results?|grades?|exams?|detention|behaviour|"
    r"attendance|kit|bag|revision|mocks?)\b|\bsee\s+you\s+in\s+(?:form|class|lessons?|registration)\b", re.IGNORECASE)


def to_an_adult(text: str) -> bool:
    """Whether a message speaks to an adult (a parent, a colleague, a supplier: `_TO_AN_ADULT`) and
    not to a pupil about their own school life (`_YOUR_SCHOOL_WORK`)."""
    return _TO_AN_ADULT.search(text) is not None and _YOUR_SCHOOL_WORK.search(text) is None


_SECOND_PERSON = fast_regex(r"\b(?:you|your|you're|u|ur)\b", re.IGNORECASE)
_PRESS_WORDS = fast_regex(
    r"\b(?:(?:a|the)\s+(?:journalist|reporter|newspaper|paper|press|media)\s+(?:from|at|has|have|had|rang|called|emailed|messaged|contacted|asked|got\s+in\s+touch|wants?|wanted)"
    r"|(?:journalists?|reporters?|press)\s+(?:enquir(?:y|ies)|asking|contacted\s+me|contacted\s+us)"
    r"|(?:happy|glad|willing)\s+to\s+(?:speak|talk|comment|chat)\s+to\s+(?:the\s+|any\s+)?(?:press|journalists?|reporters?|media|newspapers?)"
    r"|(?:speaking|spoke|talking|talked)\s+to\s+(?:the\s+|a\s+)?(?:press|journalists?|reporters?|media)"
    r"|off\s+the\s+record|on\s+the\s+record|for\s+your\s+(?:article|story|piece|report|paper)|(?:journalists?|reporters?),?\s+(?:dm|message|email)\s+me)\b",
    re.IGNORECASE)
#: A reply that sends the journalist where the policy says ("contact the Director of IT", "media
#: enquiries are handled by…") is the policy followed, not a reply to advise against.
_REDIRECTS_PRESS = fast_regex(
    r"\b(?:director\s+of\s+it|press\s+office|(?:media|press)\s+(?:enquiries|inquiries|requests|team)|"
    r"communications\s+(?:team|office|lead|manager))\b", re.IGNORECASE)
_REPLY_CUES = fast_regex(
    r"\b(?:comment|statement|interview|your\s+(?:question|article|story|enquiry|request|piece)|you\s+asked|"
    r"get\s+back\s+to\s+you|happy\s+to\s+(?:talk|speak|chat|help|comment)|dm|quote|on\s+the\s+record|off\s+the\s+record|"
    r"in\s+response|to\s+answer|yes,|no,)\b", re.IGNORECASE)


def is_school_post(draft: Draft, policy: Policy) -> bool:
    """A post from a school account (by the declared type or a handle the policy lists)."""
    return draft.is_school_account or policy.is_school_handle(draft.account_handle)


def reply_to_one_pupil(text: str, policy: Policy) -> tuple[int, int] | None:
    """The span of the handle a draft opens with when it answers one young person about their own
    school life: "@jack_h2011 see me about your homework", "@jayden_runs_09 see you at training". The
    school's, the press's, parents' and organisations' handles are not pupils."""
    if not text.lstrip().startswith("@"):
        return None
    m = _REPLY_HANDLE.match(text, len(text) - len(text.lstrip()))
    if not m:
        return None
    known = {h.lower() for h in policy.handles} | set(policy.press_handles) | set(policy.parent_handles)
    if m.group().lower() in known or organisation_handle(m.group()) or not _SECOND_PERSON.search(text) \
            or to_an_adult(text):
        return None
    return m.span() if _ONE_PUPIL_CUES.search(text) or _YOUNG_HANDLE.fullmatch(m.group()) else None


_STAFF_HANDLE = fast_regex(rf"@(?:{STAFF_HANDLE_TITLES})(?=[A-Z_\d])", re.IGNORECASE)
_ENQUIRIES = fast_regex(r"enquir|inquir", re.IGNORECASE)
#: Something in the draft that points at the press: a word for journalists, outlets or what they make
#: ("your piece", "on air", "not for attribution"), or a handle shaped like an outlet's
#: ("@Daily_Record", "@WalesOnline", "@ChrisMalone_Star"). The press head alone also reads offers of
#: help to parents ("happy to chat at the next meeting", "drop us a message") as talking to the press;
#: its finding counts only beside such a sign.
#: Words that end a newspaper's title ("Harrogate Advertiser", "Yorkshire Post"); "News" and "Press" too.
NEWSPAPER_TITLES = (r"Advertiser|Post|Herald|Times|Guardian|Telegraph|Gazette|Echo|Mail|Standard|Observer|Independent|"
                    r"Chronicle|Courier|Mirror")
_OUTLETS = (rf"news(?!letters?)\w*|press|{NEWSPAPER_TITLES}|media|radio|tv|fm|bbc|itv|sky|lbc|channel\s*\d|journal|"
            r"express|record|star|sun|online|daily|reports?|reporter|journo|ft|tes|live|edu")
_PRESS_CUE = fast_regex(
    r"\b(?:journalis\w*|reporter\w*|(?:news)?papers?|articles?|piece|features?|interview\w*|producer|researcher|"
    r"stor(?:y|ies)(?!\s+(?:of|behind|time|book|sack|teller))|quot(?:e|es|ed|ing)|for\s+comment|comment\s+on|editor\w*|"
    r"columns?|columnist|coverage|outlets?|publication|on\s+air|broadcast\w*|podcast|documentary|film\w*|"
    r"camera\w*|photographer|schools\s+week|on\s+(?:the\s+)?record|off\s+(?:the\s+)?record|attribution|"
    r"anonymous\s+source|spokes\w+|statement|headlines?|exclusive|scoop|leak\w*|"
    rf"{_OUTLETS})\b|@\w*(?:{_OUTLETS})\w*|\b\w+(?:online|news|post|times|echo|herald|courier)\b", re.IGNORECASE)


def _reply_to_staff(text: str) -> bool:
    """A reply that opens with a titled adult's handle ("@MrsT_teachesEng loved your thread, DM me"): a
    colleague, so "Year 9 resources" in it are not an invitation to pupils."""
    m = _REPLY_HANDLE.match(text, len(text) - len(text.lstrip())) if text.lstrip().startswith("@") else None
    return bool(m and _STAFF_HANDLE.match(m.group()))


def handles_in(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in _HANDLE.finditer(text)] if "@" in text else []


class IndividualPupilContact(TextRule):
    """What it does: warns when a school account addresses one pupil: a direct message (audience
    "direct"), an @handle the policy lists as a pupil's, or an invitation to pupils to DM or message
    the account one by one.

    Why (clause 1): "If communication takes place it must be to a group of students and not to
    individuals."

    Example: a direct message from @KJS_History; "@jbloggs09 well done, see me tomorrow"; a handle
    ending in a school-age birth year answered in the second person; "Hi Lewis, did you leave your PE
    bag after your Year 8 match? Send us a private message".
    Passes: "Well done Year 9 on your history projects!" from a school account; "Hi Karen, the trip
    letter is attached, message us with any questions" (no sign of a pupil).
    """

    id = "individual-pupil-contact"
    severity = "warn"
    clause = "1"
    title = "Contact with one pupil"
    description = "a school account addressing one pupil, or a direct message"
    mask = "[pupil contact]"
    message = "A school account should talk to groups of pupils, not to one pupil."
    suggestion = "Post to the whole group instead, or talk to the pupil in school."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        self._pupils = set(policy.pupil_handles)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        if not is_school_post(draft, self.policy):
            return []
        text = draft.text
        found = []
        for start, end, handle in handles_in(text):
            if handle in self._pupils:
                found.append(self.finding((start, end), explanation={"pattern": "pupil handle", "kind": "mention"},
                                          redact_as="[pupil handle]"))
        reply = reply_to_one_pupil(text, self.policy) if not found else None
        if reply:
            found.append(self.finding(reply, explanation={"pattern": "reply to one person", "kind": "mention"},
                                      redact_as="[handle]"))
        named = _NAMED_OPENING.match(text)
        if not found and named and (named.group("form") or named.group("name").lower() in first_names()) \
                and _SECOND_PERSON.search(text) and (named.group("form") or _ONE_PUPIL_CUES.search(text)):
            asked = ("one pupil asked to message" if _PRIVATE_INVITE.search(text)
                     else "one pupil told what to do" if _ACTION_FOR_ONE.search(text) else None)
            if asked:
                found.append(self.finding(named.span("name"), explanation={"pattern": asked, "kind": "mention"},
                                          redact_as="[pupil]"))
        if draft.audience == "direct" and not found and not to_an_adult(text):
            found.append(self.finding(None, message="A school account should not send a direct message to a pupil.",
                                      explanation={"pattern": "audience", "kind": "direct message"}))
        for m in _INVITE.finditer(text):
            s, e = _sentence_around(ctx, text, m.start())
            if _PUPIL_AUDIENCE.search(text[s:e]):
                found.append(self.finding(m.span(), explanation={"pattern": "invitation", "kind": "dm invitation"}))
        return found


class PersonalAccountPupilContact(TextRule):
    """What it does: blocks a post from a personal account that engages current pupils or parents: it
    mentions or replies to an @handle the policy marks as a pupil's or a parent's, or invites pupils or
    parents to follow, add or message the member of staff.

    Why (clause 2.9): "Staff are not permitted to follow or engage with current pupils/students …
    [or] parents of current pupils/students of the school on any personal social media network
    account."

    Example: "@jbloggs09 haha see you in period 3"; "Year 11s, add me on snap if you need help".
    Passes: the same from a school account (other rules apply); "Good luck to all our Year 11s!"
    """

    id = "personal-account-pupil-contact"
    severity = "block"
    clause = "2.9"
    title = "Pupil or parent contact from a personal account"
    description = "a personal account engaging current pupils or parents"
    mask = "[pupil or parent contact]"
    message = "Staff must not engage with current pupils or their parents from a personal account."
    #: why an invitation ("ring me", "message me", "follow me") is engaging, said plainly
    invitation_message = ("Asking pupils or parents to ring, message or follow you from a personal account "
                          "is engaging with them one to one, which the policy does not allow: keep contact "
                          "with pupils and parents to school channels.")
    suggestion = "Do not post this from a personal account; use an approved school account for groups."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        self._pupils = set(policy.pupil_handles)
        self._parents = set(policy.parent_handles)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        if is_school_post(draft, self.policy):
            return []
        text = draft.text
        found = []
        for start, end, handle in handles_in(text):
            kind = "pupil" if handle in self._pupils else "parent" if handle in self._parents else None
            if kind:
                found.append(self.finding((start, end), explanation={"pattern": f"{kind} handle", "kind": kind},
                                          redact_as=f"[{kind} handle]"))
        to_colleague = _reply_to_staff(text)
        for m in _INVITE.finditer(text):
            s, e = _sentence_around(ctx, text, m.start())
            if _PUPIL_OR_PARENT_AUDIENCE.search(text[s:e]) and not to_colleague:
                found.append(self.finding(m.span(), message=self.invitation_message,
                                          explanation={"pattern": "invitation", "kind": "contact invitation"}))
        if found:
            return found
        reply = reply_to_one_pupil(text, self.policy)
        if reply and _YOUNG_HANDLE.fullmatch(text[reply[0]:reply[1]]):
            found.append(self.finding(reply, explanation={"pattern": "reply to a young person", "kind": "pupil"},
                                      redact_as="[pupil handle]"))
        elif draft.audience == "direct" and (m := _DM_TO_PUPIL_OR_PARENT.search(text)):
            found.append(self.finding(m.span(), explanation={"pattern": "direct message", "kind": "pupil or parent"}))
        return found


class JournalistContact(TextRule):
    """What it does: advises when a draft replies to the press: it starts with (or answers) a press
    handle from the policy, or talks about speaking to a journalist ("happy to speak to the press",
    "off the record", "for your article").

    Why (clause 2.4): "If a journalist makes contact about posts made using social media, staff must
    direct them to the Director of IT."

    Example: "@harrogateadvert happy to comment, DM me"; "A reporter from the paper rang me about it".
    Passes: "Lovely write-up of our concert in the local paper this week"; a reply that sends the
    journalist to the Director of IT or the press office (the policy followed); an offer of help to a
    parent ("happy to chat at the gate"), which the model alone counts only beside a sign of the press
    (`_PRESS_CUE`).
    """

    id = "journalist-contact"
    severity = "advice"
    clause = "2.4"
    title = "Reply to the press"
    description = "replying to press: direct them to the Director of IT"
    mask = None  # the span is kept: a press outlet's public handle
    message = "This looks like a reply to the press."
    suggestion = "Direct journalists to the Director of IT rather than replying yourself."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        self._press = set(policy.press_handles)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found = []
        press = [(s, e) for s, e, h in handles_in(text) if h in self._press]
        redirected = bool(_REDIRECTS_PRESS.search(text))
        if press and not redirected:
            first = press[0]
            if not text[:first[0]].strip() or _REPLY_CUES.search(text) or draft.audience == "direct":
                found.append(self.finding(first, explanation={"pattern": "press handle", "kind": "reply"}))
        for m in _PRESS_WORDS.finditer(text):
            if redirected and _ENQUIRIES.search(m.group()):
                continue  # "press enquiries are handled by our Director of IT": the redirect itself
            found.append(self.finding(m.span(), explanation={"pattern": "press words", "kind": "press contact"}))
        if redirected or not (press or _PRESS_CUE.search(text)):
            return found  # explicit press talk ("off the record") still counts
        for span, p in flagged_sentences(ctx, text, "press", self.policy.model_threshold("press"),
                                         [f.span for f in found]):
            found.append(self.finding(span, explanation=model_explanation("press", p)))
        return found


def _sentence_around(ctx: TextContext, text: str, index: int) -> tuple[int, int]:
    for s, e in cached_sentences(ctx, text):
        if s <= index < e:
            return s, e
    return 0, len(text)
