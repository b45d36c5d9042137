"""Accusations about identifiable people, and workplace grievances aired in public."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding, Policy
from text_checks.people import cached_people
from text_checks.people import prepare as prepare_people
from text_checks.rule import TextContext, TextRule
from text_checks.model_findings import flagged_sentences, model_explanation
from text_checks.textutil import cached_sentences, fast_regex

_ROLES = fast_regex(
    r"\b(?:the|our|my|their|his|her|your|that|this)\s+(?:(?:new|old|former|previous|last|current|ex-?|acting|interim|"
    r"[A-Z]{2,4})\s*)?(?:head(?:teacher|master|mistress)?|deputy(?:\s+head)?|"
    r"bursar|caretaker|chair\s+of\s+governors|principal|ceo|line\s+manager|head\s+of\s+(?:department|year|\w+)|"
    r"hod|senco|ref(?:eree)?|coach|manager|teacher|tutor|form\s+tutor|business\s+manager|site\s+manager|"
    r"councillor|mp|governor|chair|treasurer|consultant|librarian|inspector|contractor|supplier|landlord|"
    r"exams\s+officer|receptionist|guide|director|trustee|pta\s+chair|(?:\w+\s+)?(?:firm|company|agency|garage|"
    r"provider|builders?|caterers?))\b"
    r"|\b(?:Councillor|Cllr\.?|Councillor\s+Dr)\s+[A-Z][a-zA-Z'’\-]+",
    re.IGNORECASE)
_ACCUSATIONS = fast_regex(
    r"\b(?:(?:is|was|are|were|'s|’s)\s+(?:a\s+|an\s+|such\s+a\s+|such\s+an\s+|total\s+|complete\s+|known\s+|serial\s+|proper\s+|compulsive\s+|pathological\s+)*"
    r"(?:liars?|thie(?:f|ves)|frauds?|crooks?|cheats?|bull(?:y|ies)|racists?|paedo(?:phile)?s?|pervs?|perverts?|drunks?|"
    r"alcoholics?|abusers?|predators?|criminals?|con\s+artists?|druggies?|junkies?|sexists?|homophobes?|nonces?|"
    r"corrupt|bent|on\s+the\s+take|a\s+danger\s+to\s+children)"
    r"|lied|lies\s+to|lying\s+to|(?<!['‘])stole(?!\s+the\s+(?:show|limelight|headlines))|steals(?!\s+the\s+show)|stealing(?!\s+the\s+show)|embezzl\w+|"
    r"fiddl(?:ed|es|ing)\s+(?:the|his|her|their)\s+(?:books|expenses|figures|results|data|grades)|"
    r"cheated|fixed\s+the\s+(?:results|match|grades|exams?)|falsif(?:ied|ies|ying)|bribed|took\s+(?:a\s+)?bribes?|"
    r"assaulted|harass(?:ed|es|ing)|grop(?:ed|es|ing)|bullies|bullying\s+(?:staff|pupils|students|colleagues|me|us|kids|people)|"
    r"(?:turned\s+up\s+)?drunk\s+(?:at|in|on)\s+(?:work|school|class|duty|the\s+trip)|on\s+drugs|having\s+an\s+affair|"
    r"sleeping\s+with|covered\s+up|covering\s+up|backhanders?|kickbacks?|(?:was|got|getting)\s+sacked\s+for|"
    r"under\s+(?:police\s+)?investigation\s+for|fiddling|fiddled|"
    r"pocket(?:ed|ing)|skim(?:med|ming)|siphon(?:ed|ing)|fak(?:ed|es|ing)\s+(?:the|his|her|their|injur\w+|data|results|"
    r"figures|grades)|forg(?:ed|ing)|rigg(?:ed|ing)|doctor(?:ed|ing)\s+(?:the|his|her|their)|cook(?:ed|ing)\s+the\s+books|"
    r"binned\s+the\s+(?:\w+\s+)?(?:responses|complaints|evidence|reports?|forms)|"
    r"(?:absolute|total|complete|utter|bunch\s+of|pack\s+of|load\s+of)\s+(?:crooks|liars|cheats|thieves|frauds|con\s+artists)|"
    r"(?:shoved|pushed|slapped|kicked|punched|grabbed)\s+(?:one\s+of\s+)?(?:our|my|a|the)\s+(?:\w+\s+)?"
    r"(?:pupils?|students?|kids?|boys?|girls?|players?|year\s?\d{1,2}s?)|"
    r"(?:police|social\s+services)\s+(?:have|had)\s+been\s+round|"
    r"spread(?:s|ing)?\s+lies|pockets\s+(?:the|our|their|his|her)|half[\s-]cut|under\s+the\s+influence|"
    r"(?:driv(?:ing|es|en)|drove|behind\s+the\s+wheel)\s+(?:\w+\s+){0,4}after\s+(?:a|a\s+few|several|too\s+many)\s+drinks?|"
    r"(?:was|is|been|caught|arrested\s+for|done\s+for|banned\s+for)\s+drink[\s-]driv(?:ing|er)|bill(?:ing|ed|s)\s+(?:\w+\s+){0,2}for\s+(?:\w+\s+){0,3}(?:who|that)\s+never|"
    r"(?:sell(?:ing|s)?|sold|pass(?:ing|ed|es)\s+off)\s+(?:\S+\s+){0,5}as\s+(?:its|his|her|their)\s+own\s+['‘]?"
    r"(?:work|resources?|materials?|ideas?|papers?|schemes?|lessons?|content|exclusive|product)|"
    r"put\s+(?:his|her|their)\s+(?:own\s+)?name\s+on\s+(?:it|them|my|our|(?:the|this|that)\s+(?:\w+\s+)?(?:work|scheme|"
    r"report|resources?|plans?|lessons?|project|idea|book|research|paper|bid))\b|"
    r"(?:contracts?|work|jobs?|business)\s+(?:\w+\s+){0,3}(?:to|for)\s+(?:his|her|their)\s+(?:brother|sister|brother-in-law|"
    r"sister-in-law|mate|mates|wife|husband|partner|son|daughter|cousin|friend|pal)'?s?\s+(?:firm|company|business)|"
    r"(?:doesn'?t|does\s+not|never)\s+pay\s+(?:her|his|their)\s+(?:staff|workers|teachers|bills)|bent\s+as\s+a)\b",
    re.IGNORECASE)
#: A verb in scare quotes insinuates what it does not say: "the previous librarian 'archived' the
#: collection (into her loft)", "the float was 'lost'".
_INSINUATION = fast_regex(r"['‘](?:lost|misplaced|mislaid|borrowed|archived|tidied\s+up|accidentally|forgot|"
                          r"moved\s+on|restructured)['’]", re.IGNORECASE)
_NAMED_KINDS = {"title", "first-name", "no-publish", "handle"}

_TARGETS = (r"slt|senior\s+leadership(?:\s+team)?|leadership\s+team|(?:the\s+)?management|(?:the|our|my)\s+head(?:teacher)?|"
            r"head\s+of\s+department|hod|line\s+manager|governors|the\s+trust|the\s+mat|academy\s+trust|"
            r"(?:this|my|our|the)\s+(?:school|place|job)|colleagues?|(?:my|our)\s+department|hr|the\s+bursar|"
            r"the\s+office|the\s+powers\s+that\s+be|those\s+in\s+charge|whoever\s+(?:made|decided)|the\s+dfe|ofsted|"
            r"leadership|pastoral|finance(?:\s+office)?|payroll|(?:trust\s+)?ceo|(?:the|our|new)\s+deputy(?:\s+head)?|"
            r"head\s+of\s+year|middle\s+leaders|the\s+timetabler")
_COMPLAINTS = (r"useless|clueless|incompetent|a\s+(?:complete\s+|total\s+|bloody\s+)?joke|(?:a\s+)?shambles|a\s+disgrace|disgraceful|"
               r"terrible|awful|(?:don'?t|doesn'?t|do\s+not|does\s+not)\s+(?:care|listen|have\s+a\s+clue)|never\s+listens?|"
               r"treated\s+like|undervalued|ignored|unfair|toxic|hate|sick\s+(?:and\s+tired\s+)?of|fed\s+up|fuming|furious|"
               r"pathetic|ridiculous|out\s+of\s+touch|no\s+idea|micromanag\w+|shafted|screwed\s+(?:us\s+)?over|"
               r"let\s+(?:us|me|staff)\s+down|thrown?\s+(?:us\s+|me\s+)?under\s+the\s+bus|nightmare|"
               r"a\s+mess|can'?t\s+organise|couldn'?t\s+organise|waste\s+of\s+time|pointless|insulting|an\s+insult|"
               r"(?:nobody|no\s+one)\s+(?:\w+\s+){0,3}(?:listens|cares|bothers|can\s+tell\s+us|has\s+(?:even\s+)?(?:picked|bothered|noticed))|"
               r"sort\s+it\s+out|dumped\s+(?:straight\s+)?on|excuse\s+for\s+a")
_GRIEVANCE_TOPIC = fast_regex(rf"\b(?:{_TARGETS})\b", re.IGNORECASE)
_GRIEVANCE_COMPLAINT = fast_regex(rf"\b(?:{_COMPLAINTS})\b", re.IGNORECASE)
_GRIEVANCE_PHRASES = fast_regex(
    r"\b(?:(?:pay\s+(?:rise|offer|award|deal)|payrise|salary|salaries|wages|our\s+pay)\s+(?:is|are|was)?\s*(?:a\s+|an\s+)?"
    r"(?:joke|insult|insulting|pathetic|disgrace|rubbish|derisory|measly|peanuts|slap\s+in\s+the\s+face|not\s+enough|unfair|a\s+cut)"
    r"|workload\s+(?:is|has\s+been)\s+(?:\w+\s+)?(?:insane|ridiculous|killing|unmanageable|a\s+joke|unbearable|crazy|beyond)"
    r"|another\s+pointless\s+(?:meeting|inset|initiative|training|learning\s+walk|book\s+scrutiny|data\s+drop|observation)"
    r"|(?:so\s+|totally\s+|completely\s+)?(?:underpaid|overworked)"
    r"|can'?t\s+wait\s+to\s+leave\s+(?:this|that)\s+(?:place|school|job|dump)"
    r"|worst\s+(?:school|place|job|management|slt|head)\s+(?:i'?ve|i\s+have)\s+(?:ever\s+)?(?:worked|had)"
    r"|thinking\s+(?:of|about)\s+(?:quitting|leaving\s+teaching|handing\s+in\s+my\s+notice)|handing\s+in\s+my\s+notice"
    r"|no\s+wonder\s+(?:staff|teachers|everyone|people)\s+(?:leave|are\s+leaving|keep\s+leaving|quit)"
    r"|(?:covering|on\s+cover)\s+(?:again|for\s+the\s+\w+\s+time)"
    r"|(?:staff|teacher)\s+morale\s+(?:is|has)\s+(?:at\s+)?(?:rock\s+bottom|never\s+been\s+lower|gone|on\s+the\s+floor)"
    # pay that has not come, promotion passed over, lessons covered for nothing, a fault nobody fixes
    r"|(?:still\s+)?(?:waiting\s+(?:on|for)|no\s+sign\s+of)\s+(?:my|our|the)\s+(?:\w+\s+)?(?:overtime|pay|pay\s+award|back\s+pay|"
    r"expenses|salary|wages|payslips?|bonus|tlr)"
    r"|(?:not|never)\s+(?:been\s+)?paid\s+(?:for|yet)|(?:covering|cover)\s+(?:\w+\s+){0,2}for\s+(?:nothing|free)|unpaid\s+(?:cover|overtime)"
    r"|(?:passed\s+over|overlooked)\s+for\s+(?:promotion|head\s+of|deputy|assistant\s+head|(?:the|a|another)\s+(?:\w+\s+)?"
    r"(?:post|job|role|promotion|tlr))|loyalty\s+(?:counts|means)\s+(?:for\s+)?nothing"
    r"|staffing\s+(?:situation\s+)?(?:is\s+)?(?:dire|a\s+joke|a\s+crisis|a\s+disgrace|shocking)"
    r"|reported\s+(?:it\s+)?(?:in|back\s+in|since)\s+\w+,?\s+(?:and\s+)?still\s+waiting"
    r"|(?:don'?t|do\s+not)\s+need\s+(?:a|another)\s+(?:[\w-]+\s+){0,2}(?:inset|training|cpd|meeting|session)\s+on)\b",
    re.IGNORECASE)


#: Praise, thanks and good news ("SLT have been brilliant through all the building work", "Congratulations
#: to Mr Harris, who has been appointed Deputy Headteacher"), which the grievance and defamation heads
#: sometimes read as their topic because it names leaders or staff.
_PRAISE = fast_regex(
    r"\b(?:thank(?:s|ed|ing)?|grateful|congratulat\w*|brilliant|fantastic|amazing|wonderful|delighted|pleased|proud|"
    r"lovely|supportive|welcom\w*|celebrat\w*|well\s+done|best\s+wishes|all\s+the\s+best|shout[\s-]?out|excellent|"
    r"valued?|appreciat\w*|retir\w*|joins?\s+us|joining\s+us|appointed|elected|raised|enjoy\w*|lov(?:e|ed|ely))\b",
    re.IGNORECASE)
#: What turns praise into a complaint or an accusation: a negation, "again", a cut, an eye-roll, scare quotes.
_NOT_ONLY_PRAISE = fast_regex(
    r"\b(?:not|no|never|nobody|nothing|none|again|another|still|cut\w*|pointless|useless|joke|insult\w*|shambles|"
    r"ridiculous|unpaid|overwork\w*|exhaust\w*|morale|waiting|ignored?|blam\w*|fail\w*|lie[sd]?|lying|stole|stolen|"
    r"fraud|cheat\w*|sack\w*|unfair|disgrac\w*|shame\w*|apparently|allegedly|so-called|supposedly|but|however|"
    r"although|though|except|sadly|unfortunately|only|just|finally|at\s+last|eventually|actually|bless|obviously|"
    r"clearly|of\s+course|for\s+once|mind)\b|n't\b|[🙄🙃😒😤😡]|['‘\"][^'’\"]{1,30}['’\"]|\?|!!",
    re.IGNORECASE)


def praise_only(sentence: str) -> bool:
    """Whether a sentence only praises, thanks or announces good news (`_PRAISE` and none of
    `_NOT_ONLY_PRAISE`): a model reading of a grievance or an accusation there is the model's error."""
    return _PRAISE.search(sentence) is not None and _NOT_ONLY_PRAISE.search(sentence) is None


class DefamationRisk(TextRule):
    """What it does: warns when a sentence accuses an identifiable person (a name, "Mr Smith", an
    @handle, "the head", "our bursar") of lying, theft, fraud, abuse, being drunk at work and the like.

    Why (clause 2.4): defamatory content is named as unacceptable conduct; staff must not "make
    ill-considered comments or judgments about staff".

    Example: "Mr Smith is a liar and everyone knows it"; "the bursar has been fiddling the books".
    Passes: "Jack stole the show in the school play!"; "a liar, a thief: our Year 9 drama on
    Macbeth" (no person named).
    """

    id = "defamation-risk"
    severity = "warn"
    clause = "2.4"
    title = "Risk of defamation"
    description = "accusations about identifiable people"
    mask = "[accusation]"
    message = "This makes an accusation about an identifiable person."
    suggestion = "Do not post accusations about people; raise concerns through the proper channels."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        prepare_people(policy)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        accusations = sorted([*_ACCUSATIONS.finditer(text), *_INSINUATION.finditer(text)], key=lambda m: m.start())
        found = self._by_patterns(text, ctx, accusations) if accusations else []
        for span, p in flagged_sentences(ctx, text, "defamation", self.policy.model_threshold("defamation"),
                                         [f.span for f in found]):
            if praise_only(text[span[0]:span[1]]):
                continue
            found.append(self.finding(span, explanation=model_explanation("defamation", p), redact_as="[accusation]"))
        return found

    def _by_patterns(self, text: str, ctx: TextContext, accusations: list) -> list[Finding]:
        people = [(r.start, r.end) for r in cached_people(ctx, text) if r.kind in _NAMED_KINDS]
        people += [m.span() for m in _ROLES.finditer(text)]
        found = []
        for s, e in cached_sentences(ctx, text):
            for acc in accusations:
                if not s <= acc.start() < e:
                    continue
                before = [p for p in people if s <= p[0] and p[1] <= acc.start() and acc.start() - p[1] <= 80]
                if not before:
                    continue
                start = max(before, key=lambda p: p[0])[0]
                found.append(self.finding((start, acc.end()), explanation={"pattern": "person + accusation",
                                                                          "kind": "accusation"},
                                          redact_as="[accusation]"))
                break
        return found


class InternalGrievance(TextRule):
    """What it does: warns about complaints aired in public about management, pay, workload or
    colleagues: "SLT are clueless", "another pointless INSET", "pay offer is an insult",
    "can't wait to leave this place".

    Why (the Don'ts): "Don't use social media to air internal grievances"; clause 2.4 asks for
    professional, respectful communication.

    Example: "Our head doesn't listen to staff, morale is rock bottom".
    Passes: "Thank you to our head for the lovely staff breakfast"; "Busy week of Y11 mocks!".
    """

    id = "internal-grievance"
    severity = "warn"
    clause = "Don'ts"
    title = "Workplace grievance"
    description = "airing workplace grievances"
    mask = "[grievance]"
    message = "This airs a workplace grievance in public."
    suggestion = "Raise workplace concerns through your line manager or union, not on social media."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        found = []
        claimed: list[tuple[int, int]] = []
        for m in _GRIEVANCE_PHRASES.finditer(text):
            claimed.append(m.span())
        complaints = list(_GRIEVANCE_COMPLAINT.finditer(text))
        if complaints:
            targets = list(_GRIEVANCE_TOPIC.finditer(text))
            for s, e in cached_sentences(ctx, text):
                t = [m.span() for m in targets if s <= m.start() < e]
                c = [m.span() for m in complaints if s <= m.start() < e]
                if t and c:
                    claimed.append((min(t[0][0], c[0][0]), max(t[-1][1], c[-1][1])))
        claimed.sort()
        merged: list[list[int]] = []
        for s, e in claimed:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        for s, e in merged:
            found.append(self.finding((s, e), explanation={"pattern": "grievance", "kind": "workplace complaint"}))
        for span, p in flagged_sentences(ctx, text, "grievance", self.policy.model_threshold("grievance"),
                                         [f.span for f in found]):
            if praise_only(text[span[0]:span[1]]):
                continue
            found.append(self.finding(span, explanation=model_explanation("grievance", p)))
        return found
