"""What a post is about: controversial topics, personal gain, and other people's material."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding
from text_checks.model_findings import flagged_sentences, model_explanation
from text_checks.rule import TextContext, TextRule
from text_checks.rules.account import NEWSPAPER_TITLES, is_school_post
from text_checks.textutil import fast_regex

_CONTROVERSIAL = fast_regex(
    r"\b(?:general\s+election|local\s+elections?|by-election|mayoral\s+election|"
    r"vote\s+(?:for\s+)?(?:labour|conservative|tory|tories|reform|lib\s+dems?|liberal\s+democrats?|green|snp|plaid)\b|"
    r"(?:labour|conservative|green|reform|brexit)\s+party|tory|tories|reform\s+uk|lib\s+dems?|liberal\s+democrats|"
    r"(?<!became\s)(?<!become\s)prime\s+minister(?!\s+in\s+\d{4})|keir\s+starmer|starmer|rishi\s+sunak|nigel\s+farage|farage|boris\s+johnson|kemi\s+badenoch|"
    r"donald\s+trump|brexit|remainers?|brexiteers?|woke\s+(?:agenda|nonsense|brigade|mob|ideology|lefties)|wokeness|"
    r"strike\s+action|on\s+strike|strike\s+days?|(?:teachers'?|neu|nasuwt|union|national)\s+strikes?|industrial\s+action|"
    r"picket(?:ing)?\s+lines?|picketing|walk-?outs?|strike\s+ballot|balloted?\s+for\s+(?:strike|industrial)|"
    r"abortion|assisted\s+dying|euthanasia|gender[\s-]critical|trans\s+rights|trans\s+debate|gender\s+ideology|"
    r"israel|israeli|palestine|palestinian|gaza|zionis[tm]|hamas|illegal\s+immigra(?:nts?|tion)|immigration\s+(?:debate|policy|crisis)|"
    r"small\s+boats|stop\s+the\s+boats|"
    r"just\s+stop\s+oil|extinction\s+rebellion|god\s+(?:doesn'?t|does\s+not)\s+exist|there\s+is\s+no\s+god|"
    r"religion\s+is\s+(?:a\s+)?(?:poison|nonsense|rubbish|a\s+lie|evil|the\s+root)|"
    r"(?:islam|christianity|judaism|hinduism|sikhism|atheism)\s+is(?!\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?(?:largest|oldest|"
    r"youngest|biggest|smallest|one\s+of|practised|practiced|followed|celebrated|monotheistic|abrahamic|based|founded|"
    r"major|world'?s)\b)|"
    # a nudge at the ballot box, a march against a decision, one faith as the only truth
    r"when\s+you(?:'re|\s+are)?\s+(?:vote|voting|at\s+the\s+ballot\s+box|in\s+the\s+polling\s+booth)|at\s+the\s+ballot\s+box|"
    r"(?:the|this)\s+government\s+(?:has|have|had)\s+(?:\w+\s+)?(?:gutted|slashed|starved|destroyed|failed|abandoned|cut)|"
    r"austerity|(?:march|protest|rally|demo(?:nstration)?|petition|campaign)\s+(?:\w+\s+){0,4}against\s+(?:the\s+)?"
    r"(?:academy|trust|takeover|government|council|closure|cuts|plans?|merger)|"
    r"(?:is|as)\s+the\s+(?:only|one\s+true)\s+(?:way|path|truth|god|religion|faith)|one\s+true\s+(?:god|faith|religion))\b",
    re.IGNORECASE)
#: A school's notice about what a strike or an election means for the school day ("closed to pupils on
#: Wednesday due to national industrial action; work will be set on Teams", "open as normal despite the
#: rail strike", "our Year 12s ran a mock general election", "the hall is a polling station on Thursday"):
#: news the families need, not a view. Counted only from a school account, and only when nothing in
#: the draft takes a side (`_STANCE`).
_STRIKE_OR_VOTE = fast_regex(
    r"\b(?:strike|strikes|industrial|walk-?outs?|picket\w*|election|elections|by-election|ballot|vot(?:e|es|ed|ing))\b",
    re.IGNORECASE)
_SCHOOL_DAY = fast_regex(
    r"\b(?:closed?|closure|(?:be\s+|remain\s+|stay\s+|partially\s+|fully\s+)open|open\s+(?:as\s+normal|to|for|only)|"
    r"arrangements|remote\s+learning|home\s+learning|work\s+(?:will\s+be\s+)?set|set\s+work|work\s+packs?|"
    r"packed\s+lunch\w*|free\s+school\s+meals?|breakfast\s+club|after-?school\s+club|allow\s+extra\s+time|"
    r"risk\s+assessment|staffing|year\s+groups|timetable|attendance|teams|google\s+classroom|seesaw|hwb|"
    r"polling\s+station|car\s+park|drop-?off|parent-teacher\s+meetings|reports\s+will|"
    r"mock\s+(?:general\s+|local\s+)?elections?|school\s+council|student\s+council|hustings|manifestos?)\b",
    re.IGNORECASE)
#: Taking a side on a strike or a vote: support or solidarity, a call to act, a grievance or a verdict
#: ("support staff" are a job; "the school does not support any party" is neutrality).
_STANCE = fast_regex(
    r"\b(?:(?<!not\s)(?<!n't\s)support(?:s|ed|ing|ive|ers?)?(?!\s+staff)|solidarity|stand(?:s|ing)?\s+(?:with|behind|together|by)|fight\w*|fair\s+(?:pay|funding|deal)|"
    r"pay\s+(?:rise|cuts?|offer|award|freeze)|deserve\w*|proud|join\s+(?:us|them|the)|vote\s+(?:yes|no|against|them|out)|vote\s+for\s+(?!(?:their|your|our|the)?\s*(?:school|student|form|class|house|year)\b)|"
    r"every\s+right|right\s+to\s+strike|government|ministers?|dfe|cuts?|underfund\w*|shame\w*|disgrac\w*|betray\w*|"
    r"enough\s+is\s+enough|blame\w*|fault|selfish|greedy|unacceptable|sadly\s+necessary|no\s+choice|"
    r"write\s+to\s+your\s+mp|honk)\b|[✊📣]|#\w+", re.IGNORECASE)


#: A lesson or a debate that sets out the sides ("explored different views on assisted dying", "arguments
#: for and against"): the topic is taught, not argued.
_BALANCED = fast_regex(
    r"\b(?:(?:different|both|many|several|a\s+range\s+of|all\s+the)\s+(?:views|perspectives|sides|opinions|viewpoints|"
    r"points\s+of\s+view)|(?:arguments\s+)?for\s+and\s+against|both\s+sides)\b", re.IGNORECASE)


def neutral_frame(draft: Draft, policy, text: str) -> tuple[bool, bool]:
    """(a school account's notice of what a strike or a vote means for the school day (`_SCHOOL_DAY`),
    a lesson that sets out the sides (`_BALANCED`)): either only in a draft that takes no side (`_STANCE`)."""
    if _STANCE.search(text):
        return False, False
    return (is_school_post(draft, policy) and _SCHOOL_DAY.search(text) is not None,
            _BALANCED.search(text) is not None)


_NAMES_CASED = fast_regex(r"\bTrump\b(?!\s+card)")
_LABOUR_PARTY = fast_regex(r"\bLabour\b(?!\s+(?i:day|ward|pains?|market|intensive|of\s+love))")

_GAIN = fast_regex(
    r"\b(?:(?:buy|order|grab|get)\s+(?:a\s+copy\s+of\s+)?my\s+(?:new\s+)?(?:book|novel|album|ebook|e-book|course|products?|prints?|cards?|art|merch)"
    r"|my\s+(?:new\s+)?(?:etsy|online\s+shop|shop|small\s+business|side\s+hustle|tutoring\s+business|tuition\s+business|"
    r"business|company|youtube\s+channel|podcast|onlyfans|website|book|novel|course|classes|tutoring|tuition)\s+"
    r"(?:is\s+)?(?:now\s+)?(?:open|live|launch(?:es|ed|ing)?|out\s+now|available|has\s+(?:a\s+)?(?:sale|discount|offer)|link|is\s+out)"
    r"|(?:discount|promo|voucher|referral|affiliate)\s+(?:code|link)|use\s+(?:my\s+)?code\s+[A-Za-z0-9]{3,}"
    r"|i(?:'m|\s+am)\s+(?:now\s+)?(?:selling|offering\s+(?:private\s+)?(?:tuition|tutoring|lessons)|available\s+for\s+(?:private\s+)?(?:tuition|tutoring|hire|bookings))"
    r"|(?:private\s+)?(?:tuition|tutoring)\s+(?:available|slots|spaces)\s+(?:with\s+me|from\s+me|now)"
    r"|dm\s+(?:me\s+)?for\s+(?:prices|rates|details|bookings)|\d+\s*(?:quid\s+)?ono|or\s+nearest\s+offer"
    r"|check\s+out\s+my\s+(?:etsy|shop|business|channel|page|website|book))\b",
    re.IGNORECASE)

#: A personal account selling to the school's own families or pupils (clause 2.4 still applies).
_SCHOOL_FAMILIES = fast_regex(r"\b(?:(?:our|school|kjs)\s+(?:families|parents|pupils|students|mums|dads)|"
                              r"parents\s+of\s+(?:our|kjs)|your\s+(?:child|children|son|daughter|kids?)|"
                              r"(?:parents|families|mums\s+and\s+dads),)", re.IGNORECASE)

_REPOST = fast_regex(
    r"(?:^\s*RT\b(?!\s*@)|\b(?:reposting|re-posting|reposted|sharing\s+this|shared\s+from|found\s+this\s+(?:online|on\s+\w+)|"
    r"saw\s+this\s+on\s+\w+|copied\s+(?:and|&)\s+pasted|copy\s+(?:and|&)\s+paste(?:d)?|c&p|stole\s+this|borrowed\s+this|"
    r"pinched\s+this|nicked\s+this|(?:pics?|images?|photos?|pictures?)\s+(?:from|off)\s+(?:google|the\s+internet|online|"
    r"pinterest|facebook|instagram|tiktok)|not\s+my\s+(?:photo|pic|picture|image|video|words|meme|poem)|"
    r"(?:via|from)\s+google\s+images|author\s+unknown|unknown\s+author|can'?t\s+remember\s+where\s+i\s+found)\b)",
    re.IGNORECASE)
#: Material said to come from somewhere nobody is named: "copied from a fitness account", "grabbed
#: these off the event website", "a source pack we found online", "no idea who drew it". A named source
#: ("from the BBC website", "off Mrs Hall's blog") is an acknowledgement: the word before the kind of
#: place must be lower case, so this one is case-sensitive.
_SOURCED_UNNAMED = fast_regex(
    r"\b(?i:copied|borrowed|grabbed|taken|pinched|nicked|lifted|saved|screenshotted|downloaded|got)"
    r"(?:\s+(?i:it|this|these|them|that))?\s+(?i:from|off)\s+(?:(?i:a|an|some|the|this|one\s+of\s+the)\s+)?"
    r"(?:[a-z][a-z-]*\s+){0,2}(?i:account|website|site|blog|page|group|feed|forum|app|insta|instagram|tiktok|"
    r"facebook|twitter|pinterest|internet|web|reddit)\b"
    r"|\b(?i:we|i|i'?ve|we'?ve)\s+(?i:found|saw|spotted)\s+(?:(?i:it|this|these|them)\s+)?(?i:online|on\s+the\s+(?:internet|web)|"
    r"on\s+(?:facebook|instagram|insta|twitter|tiktok|pinterest|google))\b"
    r"|\b(?i:found)\s+(?i:it|this|these)\s+(?i:online|on\s+(?:facebook|instagram|insta|twitter|tiktok|pinterest|google))\b"
    r"|\b(?i:not\s+sure|no\s+idea)\s+(?i:whose)\s+(?i:it|this|they)\b"
    r"|\b(?i:(?:aren'?t|isn'?t|am\s+not|are\s+not)\s+sure)\s+(?i:whose|who\s+(?:made|took|wrote|owns))\s+(?i:it|this|they)\b"
    r"|\b(?i:here'?s\s+the\s+full\s+(?:article|text|piece|story))\b"
    r"|\b(?i:no\s+idea|not\s+sure|(?:don'?t|do\s+not|dunno)\s+know)\s+who\s+(?i:drew|made|wrote|took|painted|"
    r"designed|created|filmed)\b"
    r"|\b(?i:full\s+text\s+(?:copied|pasted)|copied\s+(?:in\s+full\s+)?below|meme\s+of\s+the\s+(?:day|week))\b")
#: A quotation in double quotes, or in single ones as British writers use them (an apostrophe inside a
#: word, "doesn't", does not close it).
_QUOTE = fast_regex(r"[“\"]([^”\"\n]{0,400})[”\"]"
                    r"|(?<![\w'’‘])['‘]((?:[^'’‘\n]|(?<=\w)['’](?=\w)){20,400}?)['’](?![\w'’])")
#: The speaker named just before the quotation: "A Year 7 told her friend: '…'", "Top answer: '…'",
#: "Me: '…'", "our debaters argued '…'", "Y8 creative writing: '…'" (a pupil's words, a task, the writer's own;
#: "said" and "wrote" anywhere already acknowledge, `_ACKNOWLEDGED`).
_ATTRIBUTION_BEFORE = fast_regex(
    r"(?:\b(?:say|told|tells|asked|asks|answered|replied|shouted|yelled|whispered|announced|declared|argued|"
    r"informed\s+(?:me|us)|reminded\s+(?:me|us)|pointed\s+out|explained|added|called\s+out)\b[^.!?\n]{0,40}"
    r"|\b(?:me|answers?|pupils?|students?|child|kids?|class|task|question|prompt|motion|title|writing|homework|brief|"
    r"reply|response|verdict|feedback|year\s*\d{1,2}s?|y\d{1,2}s?)\s*:\s*|\bwith\s*)$", re.IGNORECASE)
#: A source named by its title: "in this week's Harrogate Advertiser", "a 1952 Yorkshire Post article",
#: "from UCAS", "on the BBC" (case-sensitive: a newspaper's or an organisation's name).
_NAMED_SOURCE = fast_regex(
    rf"\b(?:[A-Z][\w'’-]+\s+){{0,3}}(?:News|Press|{NEWSPAPER_TITLES})\b(?:\s+(?:article|piece|website|report|story))?"
    r"|\b(?:from|by|via|on|in)\s+(?:the\s+)?(?:BBC|ITV|NHS|UCAS|DfE|Ofsted|[A-Z]{3,})\b")
#: A post that presents a quotation as such: "poem of the week", "quote of the day", "lyrics", "words to
#: live by", an excerpt cut off with "…".
_QUOTE_CUE = fast_regex(
    r"\b(?:poem|quote|quotation|thought|lyrics?|verse|line|words?)\s+(?:of|for)\s+the\s+(?:day|week|month)\b|"
    r"\b(?:motivation(?:al)?\s+(?:monday|quote)|inspirational\s+quote|words\s+to\s+live\s+by|lyrics|full\s+article)\b|"
    r"(?:…|\.\.\.)['’]", re.IGNORECASE)
_ACKNOWLEDGED = fast_regex(
    r"\b(?:via|credit(?:s)?|credited\s+to|attributed\s+to|courtesy\s+of|source(?!\s+(?:packs?|materials?|analysis|work|questions?|booklets?|sheets?)\b)|h/t|hat\s+tip|thanks\s+to|quoted\s+from|words\s+by|written\s+by|"
    r"photo\s+by|image\s+by|reproduced\s+with\s+permission|with\s+(?:kind\s+)?permission|shared\s+with\s+permission|"
    r"said|says|wrote|writes|according\s+to|in\s+the\s+words\s+of|(?:by|from|shared\s+from|reposted\s+from)\s+@\w+)\b|"
    r"©|\(c\)\s*\w|(?:photo|pic|image|credit):",
    re.IGNORECASE)
_ATTRIBUTION_AFTER = fast_regex(
    r"[.,!?]?\s*[—–\-~―]+\s*[A-Za-z@]|\s*\(\s*[A-Z@][^)]*\)"
    r"|\s*,?\s*(?:as\s+)?(?:(?:Dr|Mr|Mrs|Ms|Sir|Dame|St)\.?\s+)?[A-Z][a-zA-Z'’.\-]+(?:\s+[A-Z][a-zA-Z'’.\-]+){0,2}\s*(?:[.!]|$)")


class ControversialTopic(TextRule):
    """What it does: advises on posts touching politics (parties, elections, politicians), strikes and
    industrial action, and other divisive topics (abortion, Israel/Gaza, immigration, gender debates,
    religion as argument), so a senior leader can look first.

    Why (the Do's): "Check with a senior leader before publishing content that may have controversial
    implications for the school."

    Example: "School closed Thursday for NEU strike action. We fully support our staff"; "Vote Labour
    on Thursday!".
    Passes: "School council elections this week"; "Great strike from Tom in the cup match"; a school
    account's notice of what a strike or a vote means for the school day that takes no side ("Closed
    Thursday due to strike action; work will be set on Teams"); a lesson that sets out the sides.
    """

    id = "controversial-topic"
    severity = "advice"
    clause = "Do's"
    title = "Controversial topic"
    description = "politics, religion, strikes: check with a senior leader"
    mask = None  # the span is kept: a topic word ("strike", "election")
    message = "This touches a topic that may be controversial for the school."
    suggestion = "Check with a senior leader before posting."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        terms = list(_CONTROVERSIAL.finditer(text))
        # the draft's frame is read only when something touches a topic (most drafts: nothing does)
        notice, taught = neutral_frame(draft, self.policy, text) if terms else (False, False)
        found = [self.finding(m.span(), explanation={"pattern": "topic", "kind": "controversial term", "term": m.group().lower()[:40]})
                 for m in terms if not taught and not (notice and _STRIKE_OR_VOTE.search(m.group()))]
        for pattern in (_LABOUR_PARTY, _NAMES_CASED):
            found += [self.finding(m.span(), explanation={"pattern": "topic", "kind": "party or politician"})
                      for m in pattern.finditer(text)
                      if not any(f.span[0] <= m.start() < f.span[1] for f in found)]
        # a sentence with a slur in it is discriminatory, not a debate topic (the slur rule reports it)
        slurs = [(h.start, h.end) for h in (ctx.cache.get("lexicon_hits") or ((), (), ()))[1]]
        flagged = flagged_sentences(ctx, text, "controversial", self.policy.model_threshold("controversial"),
                                    [f.span for f in found] + slurs)
        if flagged and not terms:
            notice, _ = neutral_frame(draft, self.policy, text)
        for span, p in flagged:
            if notice and _STRIKE_OR_VOTE.search(text, *span):
                continue  # the notice's own sentence about the strike or the vote
            found.append(self.finding(span, explanation=model_explanation("controversial", p)))
        return found


class PersonalGain(TextRule):
    """What it does: warns when a school account is used to sell or promote something for the member of
    staff: "buy my book", "my Etsy shop is open", discount and affiliate codes, private tutoring, "£20
    ono". School sales (PTA, uniform, tickets) are not personal and pass.

    Why (clause 2.4): "School social media accounts must not be used for personal gain."

    Example: "My new revision guide is out now, use code KJS10 for 10% off".
    Passes: "PTA Christmas fair tickets on sale now"; the same text from a personal account.
    """

    id = "personal-gain"
    severity = "warn"
    clause = "2.4"
    title = "Personal gain"
    description = "selling or promoting for personal gain on a school account"
    mask = None  # the span is kept: "buy", "discount code"
    message = "A school account must not be used for personal gain."
    suggestion = "Remove the promotion, or post it from your personal account (with a disclaimer)."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        if not is_school_post(draft, self.policy) and not _SCHOOL_FAMILIES.search(text):
            return []  # a personal account may promote itself, unless it sells to the school's families
        found = [self.finding(m.span(), explanation={"pattern": "promotion", "kind": "personal promotion",
                                                     "phrase": m.group().lower()[:40]})
                 for m in _GAIN.finditer(text)]
        for span, p in flagged_sentences(ctx, text, "gain", self.policy.model_threshold("gain"),
                                         [f.span for f in found]):
            found.append(self.finding(span, explanation=model_explanation("gain", p)))
        return found


class ThirdPartyContent(TextRule):
    """What it does: advises when a post shares someone else's material without acknowledging the
    author: repost markers ("RT", "found this online", "pic from Google", "not my photo") or a long
    quotation, with no credit, "via", @author, "— Name" or "said" nearby.

    Why (clause 2.5 and the Do's): "consider the copyright of the content they are sharing … seek
    permission"; "ensure you have permission to 'share' other peoples' materials and acknowledge the
    author".

    Example: "Found this online, love it! 'The best teachers teach from the heart, not from the book.'"
    Passes: the same with "— via @teachwell"; "'Best trip ever!' said one Year 7 pupil"; a speaker
    named before the quotation ("Top answer: '…'", "A Year 7 told her friend: '…'", "Me: '…'").
    """

    id = "third-party-content"
    severity = "advice"
    clause = "2.5"
    title = "Someone else's content"
    description = "shared material without acknowledgement"
    mask = None  # the span is kept: "via", "credit:", a quoted source
    message = "This seems to share someone else's material without saying whose it is."
    suggestion = "Credit the author or source (e.g. \"via @author\"), and check you may share it."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found = []
        acknowledged = _ACKNOWLEDGED.search(text) is not None or _NAMED_SOURCE.search(text) is not None
        if acknowledged:
            return []
        for m in _REPOST.finditer(text):
            found.append(self.finding(m.span(), explanation={"pattern": "repost marker", "kind": "repost"}))
        for m in _SOURCED_UNNAMED.finditer(text):
            if not any(f.span[0] <= m.start() < f.span[1] for f in found):
                found.append(self.finding(m.span(), explanation={"pattern": "unnamed source", "kind": "repost"}))
        for m in _QUOTE.finditer(text):
            quoted = m.group(1) if m.group(1) is not None else m.group(2)
            words = len(quoted.split())
            if len(quoted) < 20 or _ATTRIBUTION_BEFORE.search(text, max(0, m.start() - 60), m.start()):
                continue  # a short quotation (a word, a title) pairs its quotes all the same; a named speaker
            if words < 8 or (m.group(2) and words < 15 and not _QUOTE_CUE.search(text)):
                continue  # single quotes also mark titles, motions and what the writer said: a cue is needed
            if _ATTRIBUTION_AFTER.match(text, m.end()) or re.search(r"@\w+", text[m.end():m.end() + 40]):
                continue
            found.append(self.finding(m.span(), explanation={"pattern": "quotation", "kind": "unattributed quote"}))
        # sharing said in other words ("here's the video going round", "copied this from a group")
        for span, p in flagged_sentences(ctx, text, "uncredited", self.policy.model_threshold("uncredited"),
                                         [f.span for f in found]):
            found.append(self.finding(span, explanation=model_explanation("uncredited", p)))
        return found
