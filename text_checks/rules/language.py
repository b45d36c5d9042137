"""Offensive and discriminatory language: lexicons (obfuscation-aware), statements and a model."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding, Policy
from text_checks.lexicon import (LexiconHit, inside_any, ordinary_senses, safe_spans, safe_spans_pattern, surname_spans,
                                  word_lists)
from text_checks.language_model import sentence_scores
from text_checks.model_findings import flagged_sentences, model_explanation
from text_checks.rule import TextContext, TextRule
from text_checks.textutil import cached_sentences, fast_regex, fold
from text_checks.toxicity import toxicity_model

_PEOPLE_NOUNS = (r"people|parents|mums|dads|kids|children|pupils|students|staff|teachers|colleagues|management|"
                 r"leadership|slt|governors|referees?|refs?|officials|idiots|morons|bunch|lot|man|woman|men|women|"
                 r"bloke|blokes|guy|guys|person|boy|boys|girl|girls|lads|head|headteacher|boss|manager|cow|git|"
                 r"sod|twat|family|families|neighbours|fans|supporters|coach|team|teams|opposition")
_SUBJECTS = (r"you|u|ya|they|he|she|them|him|her|" + _PEOPLE_NOUNS +
             r"|mr\s+\w+|mrs\s+\w+|ms\s+\w+|miss\s+\w+|dr\s+\w+|this\s+(?:lot|man|woman|bloke|guy|person)|@\w+"
             r"|year\s*\d{1,2}s?|y\d{1,2}s?|\d{1,2}[a-z]\d")
_MODIFIERS = (r"(?:a|an|so|such|really|very|completely|totally|utterly|absolutely|just|bloody|complete|total|"
              r"ugly|fat|sad|old|dirty|silly|little|lying|nasty|smug|arrogant|"
              r"utter|absolute|bunch\s+of|load\s+of|lot\s+of|of|the|most|more|being|too|proper|right|little|big|"
              r"beyond|plain|clearly|all|literally|actually|incredibly|unbelievably|entirely|genuinely|"
              r"every\s+bit\s+as|as)")
_AIMED_BEFORE = fast_regex(
    rf"(?:\b(?:{_SUBJECTS})(?:\s+(?:in|at|from|of|on|my|our|your|the|this|that|these|those|class|form|team|group|year|\d+)){{0,4}}"
    rf"\s+(?:are|is|was|were|be|being|seem|seems|look|looks|sound|sounds|acting|act|such)"
    rf"|\b(?:you're|youre|they're|theyre|he's|she's|ur|you|what\s+(?:a|an)|such\s+(?:a|an)|bunch\s+of|load\s+of)"
    rf"|\b(?:{_PEOPLE_NOUNS}),?\s+(?:are|is)\s+(?:just|all)?)"
    rf"(?:\s+{_MODIFIERS})*\s+$")
_AIMED_AFTER = fast_regex(rf"\s+(?:{_PEOPLE_NOUNS}|@\w+)\b")

#: Contempt for people in ordinary words, the way staff vent: a superlative of stupidity ("the dimmest
#: bunch of kids I've ever taught"), a belittling comparison ("the attention span of a goldfish", "played
#: like a bunch of spoilt toddlers", "looked like he'd never seen a ball before"), the incompetence idiom
#: ("couldn't organise a … if …"), and sneers ("jumped-up", "peaked in Year 9").
_PEOPLE_AFTER = (r"(?:\w+\s+){0,2}(?:bunch|lot|people|person|kids|children|pupils|students|parents|class|set|group|"
                 r"staff|team|man|woman|bloke|men|women|adults|dads|mums|teachers?|managers?|leaders?|humans?|"
                 r"individuals?|specimens?)\b")
_BELITTLING = fast_regex(
    rf"\b(?:(?:the\s+)?(?:thickest|dimmest|stupidest|dumbest|laziest|dozziest|dopiest|rudest|most\s+(?:useless|clueless|idiotic|"
    rf"gormless|brainless|pathetic|incompetent|entitled|ignorant))\s+{_PEOPLE_AFTER}"
    rf"|(?:attention\s+span|memory|brains?|iq|intelligence)\s+of\s+(?:a|an)\s+(?:goldfish|gnat|fruit\s+fly|toddler|"
    rf"potato|plank|brick|sheep|amoeba|peanut)"
    rf"|(?:played|behaved|acted|acting|behaving|carrying\s+on|moaning|whining|stamping\s+(?:up\s+and\s+down|about|around))\s+"
    rf"(?:\w+\s+){{0,3}}like\s+(?:a\s+)?(?:bunch\s+of\s+|load\s+of\s+|pack\s+of\s+)?(?:spoilt\s+|spoiled\s+|whiny\s+|"
    rf"stroppy\s+|overgrown\s+)?(?:toddlers?|babies|baby|children|kids|animals|clowns|headless\s+chickens|sheep|amateurs)"
    rf"|(?:looked|look|looks)\s+like\s+(?:he'?d|she'?d|they'?d|he\s+had|she\s+had|they\s+had)\s+never\s+(?:seen|kicked|held|"
    rf"touched|caught)\s+(?:a|an)\s+\w+"
    rf"|(?:couldn'?t|could\s+not|can'?t|cannot)\s+(?:organise|organize|spot|find|run|manage|referee|teach|lead)\s+(?:a|an)\s+"
    rf"[\w-]+(?:\s+[\w-]+){{0,3}}\s+(?:in\s+a\s+brewery|if\s+(?:it|he|she|they|you|his|her|their)\b)"
    rf"|jumped[\s-]up|(?:clearly\s+|who\s+)?peaked\s+(?:in|at)\s+(?:year\s*\d+|primary|school|sixth\s+form|\d{{2}})"
    rf"|miserable\s+old\s+(?:so-and-sos?|gits?|sods?|men|man|woman|women|codgers?|goats?))", re.IGNORECASE)

#: Discriminatory statements that use no slur (the lexicon covers slurs).
_GROUPS = (r"muslims?|jews?|jewish\s+people|christians?|hindus?|sikhs?|immigrants?|migrants?|refugees?|"
           r"asylum\s+seekers?|foreigners?|blacks?|black\s+people|asians?|gypsies|travellers|poles|polish\s+people|"
           r"romanians?|gays?|gay\s+people|lesbians?|trans\s+people|transgender\s+people|women|girls|disabled\s+people|"
           r"the\s+disabled|autistic\s+people|fat\s+people|old\s+people|chinese\s+people|africans?|pakistanis?|"
           r"arabs?|mexicans?|eastern\s+europeans?")
_STATEMENTS = fast_regex(
    rf"\b(?:go\s+back\s+to\s+(?:your|their|his|her)\s+(?:own\s+)?country"
    rf"|(?:bloody|typical|filthy|dirty|ban\s+all|ban\s+the|deport\s+(?:all\s+)?(?:the\s+)?)\s+(?:{_GROUPS})\b"
    rf"|(?:send|ship|kick)\s+(?:them|the\s+(?:{_GROUPS}))\s+(?:all\s+)?(?:back|home|out\s+of\s+the\s+country)"
    rf"|(?:{_GROUPS})\s+(?:are\s+(?:all\s+)?(?:just\s+)?(?:animals|vermin|parasites|scroungers|terrorists|criminals|inferior|"
    rf"lazy|dirty|thieves|rapists|a\s+disease|a\s+plague|subhuman|disgusting|taking\s+over|ruining)"
    rf"|(?:should|shouldn'?t|can'?t|cannot)\s+(?:be\s+allowed|have\s+rights|vote|teach|drive|lead)|belong\s+in\s+the\s+kitchen"
    rf"|don'?t\s+belong\s+(?:here|in\s+this\s+country))"
    rf"|that'?s\s+so\s+gay|(?:runs?|throws?|throwing|running|kicks?|kicking)\s+like\s+a\s+girl"
    rf"|not\s+a\s+(?:real|proper)\s+(?:man|woman)"
    rf")", re.IGNORECASE)

#: A stereotype without a slur, as staff write one: a group named by a protected characteristic (sex,
#: faith, nationality or ethnicity, disability, sexuality, age) in the same sentence as a claim that
#: the group as such is less able, unwelcome or to blame ("girls just aren't wired for physics",
#: "you know what they're like", "they never integrate", "don't expect much from her during Ramadan").
#: Sexes are named in every other school post ("Year 7 boys, lock up your bikes"), so they count only
#: with a claim about what the sex can do or is for.
_SEXES = r"girls|boys|lads|ladies|women|woman|men|male|female|mums|dads"
_OTHER_GROUPS = (
    r"two\s+dads|two\s+mums|same[\s-]sex|"
    r"muslims?|islam|ramadan|fasting|jews?|jewish|hindus?|sikhs?|christians?|catholics?|religion|religious|"
    r"travell?ers?|gypsy|gypsies|roma|immigrants?|migrants?|refugees?|asylum|foreign(?:ers?)?|eastern\s+europeans?|"
    r"polish|poles|romanians?|nigerians?|africans?|asians?|pakistanis?|indians?|chinese|arabs?|"
    r"eal|doesn'?t\s+speak\s+(?:a\s+word\s+of\s+)?english|"
    r"wheelchairs?|disabled|disability|disabilities|autis[mt]\w*|adhd|dyslexi\w+|deaf|"
    r"gay|lesbians?|trans|transgender|non[\s-]binary|"
    r"millennials?|boomers?|(?:in\s+(?:his|her|their)\s+)?(?:fifties|sixties|50s|60s)|at\s+(?:5\d|6\d)|"
    r"pregnant|maternity|young\s+children|single\s+(?:mums?|parents?)")
#: What the group can do or is for: said of any protected group, sexes included.
_UNFIT = (r"(?:just\s+)?(?:aren'?t|are\s+not|isn'?t|is\s+not|never\s+be|will\s+never\s+be)\s+(?:really\s+)?"
          r"(?:wired|cut\s+out|built|suited|made|meant|capable|good\s+enough)\s+(?:for|to)\b")
_ABILITY_CLAIMS = (
    _UNFIT + r"|brains?\s+(?:are\s+|is\s+)?(?:just\s+)?"
    r"(?:wired|aren'?t\s+wired)|how\s+(?:the|their)\s+brain(?:'s|s\s+(?:is|are)|\s+is)\s+wired|"
    r"(?:we|we\s+all|everyone)\s+knows?\s+(?:it'?s\s+)?(?:[\w']+\s+){0,2}not\s+(?:really\s+)?(?:their|your)\s+thing|"
    r"(?:treats?|treating|treated)\s+women\s+like|"
    r"think\s+twice\s+before\s+(?:hiring|appointing|putting|employing|taking\s+on|shortlisting)|"
    r"worrying\s+about\s+their\s+(?:nails|hair|make-?up)|covering\s+their\s+maternity")
#: Said of groups other than the sexes only: "male primary teachers are a bit suspect" is about men as
#: a role, but "the boys found the wall a bit suspect" is not.
_GROUP_ONLY_CLAIMS = (
    r"(?:are|is)\s+(?:all\s+)?(?:a\s+bit\s+)?suspect\b|(?:roles?|jobs?)\s+(?:just\s+)?(?:aren'?t|isn'?t|are\s+not|is\s+not)\s+"
    r"for\s+everyone|(?:isn'?t|is\s+not|aren'?t)\s+what\s+(?:a\s+child|children|kids)\s+needs?")
#: What the group is blamed for or kept out of: said of groups other than the sexes.
_OTHERING_CLAIMS = (
    r"(?:never|don'?t|do\s+not|won'?t|can'?t)\s+(?:\w+\s+)?(?:integrate|value\s+education|mix\s+in)|"
    r"(?:you\s+)?know\s+what\s+(?:they'?re|they\s+are)\s+like|set\s+your\s+watch\s+by|"
    r"lock\s+(?:up\s+)?(?:your|the)\s+(?:bikes?|valuables|cars?|things)|gone\s+walkabout|"
    r"slow(?:ing|s)?\s+(?:everyone|us|the\s+(?:rest|others|group|class))\s+down|ruins?\s+(?:it|the\s+\w+)\s+for\s+(?:the|everyone)|"
    r"don'?t\s+expect\s+much\s+(?:from|of)|speak\s+english\s+properly|"
    r"pander(?:s|ing)?\s+to|(?:are|is|were)\s+(?:\w+\s+)?(?:useless|hopeless|a\s+liability)|"
    r"(?:new|latest)\s+['‘]?dog\s+ate\s+my\s+homework|firmer\s+hand|attention[\s-]seeking|"
    r"(?:never|no)\s+(?:once\s+)?(?:met|known|seen)\s+(?:a|one)\s+\w+\s+(?:family|parent|kid|pupil)\s+who|"
    r"says\s+a\s+lot\s+about\s+how\s+much\s+they|before\s+(?:they|their\s+kids)\s+can\s+cope")


#: What a sex is said to be unfit for: a subject, a role or a sport ("girls aren't wired for physics").
_FIELDS = (r"(?:\w+\s+){0,2}(?:physics|chemistry|science|maths|math|stem|engineering|computing|coding|tech|"
           r"leadership|lead(?:ing)?|management|manag(?:e|ing)|senior\s+roles?|headship|teaching|primary|nursery|"
           r"sports?|football|rugby|cricket|pe|(?:that|this|the)\s+(?:job|role|post)|it)\b")
_SEX_CLAIMS = rf"{_UNFIT}\s+{_FIELDS}|{_ABILITY_CLAIMS.removeprefix(_UNFIT + '|')}"
#: Claims that carry the group inside them: "never met a Traveller family who…", "ideally someone
#: without young children".
_WHOLE_CLAIMS = (
    rf"\b(?:never|no)\s+(?:once\s+)?(?:met|known|seen|had)\s+(?:a|one)\s+(?:{_OTHER_GROUPS})\s+"
    rf"(?:family|parent|kid|pupil|child|student)\s+who"
    rf"|\b(?:ideally|preferably|prefer|rather\s+have)\s+(?:someone|somebody|a\s+candidate|candidates|people|a\s+teacher)\s+"
    rf"(?:without|with\s+no)\s+(?:young\s+)?(?:children|kids|family|families)"
    rf"|\b(?:ideally|preferably)\s+(?:a\s+)?(?:man|male|woman|female|younger\s+(?:man|woman|person|teacher))\b"
    rf"|\b(?:trans|transgender|gay|non[\s-]binary)\b[^.!?\n]{{0,80}}?\b(?:it'?s|just)\s+a\s+phase")
_SEX_RE = fast_regex(rf"\b(?:{_SEXES})\b", re.IGNORECASE)
_OTHER_RE = fast_regex(rf"\b(?:{_OTHER_GROUPS})\b", re.IGNORECASE)
#: Every claim in one pass: most drafts hold none, and then no group is looked for.
_CLAIM_RE = fast_regex(rf"\b(?:(?P<whole>{_WHOLE_CLAIMS})|(?P<sex>{_SEX_CLAIMS})|(?P<ability>{_ABILITY_CLAIMS})"
                       rf"|(?P<othering>{_OTHERING_CLAIMS}|{_GROUP_ONLY_CLAIMS}))", re.IGNORECASE)
_SENTENCE_END = fast_regex(r"[.!?\n]")


def stereotypes(text: str) -> list[tuple[int, int]]:
    """Spans of a protected group and a claim about it: the group, then the claim within 150
    characters (in that sentence or the next: "…a wheelchair user. Some roles just aren't for
    everyone."), or the claim, then the group within 80 in the same sentence. A sex counts only with
    a claim about a subject, role or sport (`_SEX_CLAIMS`); other groups with any claim."""
    claims = list(_CLAIM_RE.finditer(text))
    if not claims:
        return []
    groups = [(m, False) for m in _OTHER_RE.finditer(text)] + [(m, True) for m in _SEX_RE.finditer(text)]
    spans = []
    for c in claims:
        if c.group("whole"):
            spans.append(c.span())
            continue
        for g, sex in groups:
            if sex and not c.group("sex"):
                continue
            if g.end() <= c.start() and c.start() - g.end() <= 150 and "\n" not in text[g.end():c.start()]:
                spans.append((g.start(), c.end()))
                break
            if c.end() <= g.start() and g.start() - c.end() <= 80 and not _SENTENCE_END.search(text, c.end(), g.start()):
                spans.append((c.start(), g.end()))
                break
    return spans


#: A listed word used as a verb ("fear should not cripple you", "to cripple the economy").
_VERB_BEFORE = fast_regex(r"\b(?:to|will|would|could|can|may|might|should|shall|must|not|n't|does|did|do|"
                          r"could|won't|can't|cannot|often|could|and)\s+$", re.IGNORECASE)
_OBJECT_AFTER = fast_regex(r"\s+(?:you|him|her|them|us|me|it|the|our|your|their|his|its|this|that|every|any|"
                           r"a|an|many|people|children|pupils|businesses|growth|progress)\b", re.IGNORECASE)
_NOUN_BEFORE = fast_regex(r"\b(?:a|an|the|you|ya|u|that|this|those|these|such|some|little|fucking|bloody|stupid|"
                          r"dirty|fat|ugly|filthy|like|bunch\s+of|load\s+of|lot\s+of|all|are|is|was|were|being|"
                          r"bein|ur|your|his|her|their|my)\s+$", re.IGNORECASE)
_CAPITALISED = fast_regex(r"[A-Z][a-z'’]+")


def wrong_sense(text: str, start: int, end: int) -> str | None:
    """Why a listed slur at [start, end) is probably not used as one, or None.

    - part of a proper name: written capitalised next to another capitalised word that is not
      the start of a sentence ("Mong Kok", "Spaz Street", "Coon Rapids"), in a draft not shouting
      in capitals;
    - a verb: after "to", a modal or "not", or straight before an object with no article or
      pronoun in front ("should not cripple you", "cuts that cripple schools").
    Anything disguised ("c0on", "f*g") is never excused: disguise shows the writer meant it.
    """
    word = text[start:end]
    if not text.isupper() and _CAPITALISED.fullmatch(word):
        after = re.match(r"\s+([A-Z][a-z'’]+)", text[end:])
        before = re.search(r"([A-Za-z'’]+)\s+$", text[max(0, start - 30):start])
        before_cap = before and _CAPITALISED.fullmatch(before.group(1)) and before.group(1) not in {"I", "A", "The"} \
            and not re.search(r"[.!?]\s+\S+\s+$|^\S+\s+$", text[max(0, start - 30):start])
        if (after and after.group(1) not in {"I"}) or before_cap:
            return "proper name"
    before = text[max(0, start - 30):start]
    if _VERB_BEFORE.search(before) and not _NOUN_BEFORE.search(before):
        return "verb"
    if _OBJECT_AFTER.match(text, end) and not _NOUN_BEFORE.search(before) and start > 0:
        return "verb"
    return None


MODEL_THRESHOLD = 0.93
#: Words the model over-weights that are mild, or ordinary in a school ("sex education", "Gay-Straight
#: Alliance", "bloody hell"): the model alone never fires on them; the lexicons still do.
MODEL_EXEMPT = frozenset({"hell", "bloody", "damn", "god", "blimey", "crikey", "balls", "ball", "sex", "sexual",
                          "kill", "killed", "killing", "dead", "die", "died", "drugs", "drug", "gay", "lesbian",
                          "bisexual", "trans", "naked", "nude", "beer", "wine", "drunk", "suck", "sucks", "pee",
                          "poo", "bum", "boobs", "breast", "penis", "vagina", "period", "periods", "condom",
                          "nuts", "nut"})  # "no nuts in packed lunches": an allergy notice


def _lexicon_hits(ctx: TextContext, text: str) -> tuple[list[LexiconHit], list[LexiconHit]]:
    """Offensive-word and slur hits, safelisted phrases removed; computed once per draft."""
    cached = ctx.cache.get("lexicon_hits")
    if cached is None:
        folded = ctx.cache.get("folded") or ctx.cache.setdefault("folded", fold(text))
        safe = safe_spans(text, ctx.policy.safe_phrases)
        hits = [h for h in word_lists(ctx.policy.extra_offensive_words).scan(folded)
                if not inside_any(h.start, h.end, safe)]
        if hits:  # a listed word that is someone's surname: safe too (only then, so the text the models read is unchanged)
            surnames = [s for s in surname_spans(text) if any(inside_any(h.start, h.end, [s]) for h in hits)]
            hits = [h for h in hits if not inside_any(h.start, h.end, surnames)]
            safe = safe + surnames
        offensive = [h for h in hits if h.lexicon == "offensive"]
        slur_hits = [h for h in hits if h.lexicon == "slurs"]
        cached = ctx.cache["lexicon_hits"] = (offensive, slur_hits, safe)
    return cached[0], cached[1]


#: Listed insults that are nouns for people: "the clowns at county hall", "those muppets from St Wilfrid's"
#: name people by the insult itself (animals, "the pigs at the farm", are not among them).
_PERSON_INSULTS = frozenset({"clown", "clowns", "muppet", "muppets", "loser", "losers", "prick", "pricks", "freak", "freaks",
                             "weirdo", "weirdos", "numpty", "numpties"})
_DETERMINER_BEFORE = fast_regex(r"\b(?:the|those|these|that|this|some|their|your)\s+(?:\w+\s+)?$")
_WHO_AFTER = fast_regex(
    r"\s+(?:from|at|in|on|who|that|running|behind|upstairs|downstairs)\b"
    r"(?!\s+(?:the\s+|a\s+)?(?:circus|party|panto|pantomime|show|theatre|cinema|festival|fair|parade|film|movie|muppet\s+show))")


def aimed_at_people(folded: str, start: int, end: int) -> bool:
    """True when the word at [start, end) is said of a person ("they are clueless", "useless parents",
    "the clowns at county hall")."""
    if _AIMED_BEFORE.search(folded[max(0, start - 60):start]):
        return True
    if folded[start:end] in _PERSON_INSULTS and _DETERMINER_BEFORE.search(folded[max(0, start - 30):start]) \
            and _WHO_AFTER.match(folded, end, min(len(folded), end + 40)):
        return True
    return _AIMED_AFTER.match(folded, end, min(len(folded), end + 30)) is not None


class Derogatory(TextRule):
    """What it does: warns about offensive, insulting or abusive language: profanity and insults from a
    curated lexicon (also when disguised: "1d10t", "s.t.u.p.i.d", "stuuupid", "f**k"), words like
    "useless", "clueless", "pathetic" when aimed at people ("the parents are clueless"), and sentences the
    offline model from alt-profanity-check scores ≥ 0.93. Real names and words containing such letters
    (Scunthorpe, Dick Whittington, Sussex, assess, cocktail, blue tits) pass.

    Why (clause 2.4): "Digital communications by staff must be professional and respectful at all
    times"; offensive content "will be considered extremely serious".

    Example: "Some of these parents are absolute idiots"; "what a load of sh1t".
    Passes: "Dick Whittington panto tonight!"; "The printer is useless today"; "Trip to Sussex".
    """

    id = "derogatory"
    severity = "warn"
    clause = "2.4"
    title = "Offensive language"
    description = "offensive, insulting or abusive language"
    mask = "[offensive word]"
    message = "This contains offensive or insulting language."
    suggestion = "Rephrase without the insulting words; keep it professional and respectful."

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        self._model = toxicity_model()
        self._lexicon = word_lists(policy.extra_offensive_words)  # compiled now, not on the first draft
        safe_spans_pattern(policy.safe_phrases)

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        offensive, _ = _lexicon_hits(ctx, text)
        folded = ctx.cache["folded"]
        found: list[Finding] = []
        self_said: list[tuple[int, int]] = []
        for hit in offensive:
            if hit.section == "targeted" and not aimed_at_people(folded, hit.start, hit.end):
                continue
            if hit.entry in _MILD_INSULTS and _SELF_BEFORE.search(text[max(0, hit.start - 30):hit.start]):
                self_said.append((hit.start, hit.end))  # "I'm such a muppet, left my lanyard at home"
                continue
            found.append(self.finding((hit.start, hit.end), explanation={
                "pattern": "lexicon", "lexicon": hit.section, "kind": "disguised" if hit.disguised else "plain",
                "entry": hit.entry}, redact_as="[offensive word]"))
        for m in _BELITTLING.finditer(text):
            found.append(self.finding(m.span(), explanation={"pattern": "phrase", "kind": "belittling"},
                                      redact_as="[insult]"))
        covered = [f.span for f in found] + self_said  # neither model judges a sentence again for those words
        safe = ctx.cache["lexicon_hits"][2]
        masked = _mask(text, safe)
        for s, e in cached_sentences(ctx, text):
            if any(s <= a < e for a, _ in covered):
                continue
            score = self._model.reaches(masked[s:e], MODEL_THRESHOLD)
            if score is not None and score.top_span and score.top_word not in MODEL_EXEMPT \
                    and self._lexicon.words.get(score.top_word) != "targeted":
                # a "targeted" word ("stupid printer") was already judged by whether it is aimed at people
                span = (s + score.top_span[0], s + score.top_span[1])
                found.append(self.finding(span, explanation={
                    "pattern": "model", "score": round(score.probability, 3), "kind": "alt-profanity-check"},
                    redact_as="[offensive word]"))
        # insults and abuse without a listed word ("she is a waste of space"): the language model
        # (two heads: `insult` learnt from public posts, `contempt` from staff's own voice); a sentence
        # with a slur is the discriminatory rule's, which blocks it, and is not warned about twice
        excused = excused_slurs(ctx, text)
        slurs = [(h.start, h.end) for h in _lexicon_hits(ctx, text)[1] if (h.start, h.end) not in excused]
        for head in ("insult", "contempt"):
            for span, p in flagged_sentences(ctx, masked, head, self.policy.model_threshold(head),
                                             [f.span for f in found] + self_said + slurs, excused=excused):
                found.append(self.finding(span, explanation=model_explanation(head, p), redact_as="[insult]"))
        return found


#: Mild insults a writer may call themselves; profanity fires whoever it is aimed at.
_MILD_INSULTS = frozenset({"idiot", "moron", "muppet", "plonker", "prat", "pillock", "dimwit", "halfwit", "clown",
                           "saddo", "loser", "stupid", "useless", "hopeless", "thick", "dumb", "clueless", "gormless",
                           "dozy", "numbnuts", "imbecile", "cretin", "numpty"})
#: An insult the writer says of themselves ("I'm such a muppet", "I am the idiot who booked the wrong
#: day", "what an idiot I am" is left to the lists): self-deprecation, common in staff posts, not abuse.
_SELF_BEFORE = fast_regex(r"\b(?:i'?m|i\s+am|i\s+was|i\s+felt\s+like|call\s+me)\s+(?:such\s+|a\s+total\s+|a\s+complete\s+|"
                          r"an\s+absolute\s+|a\s+right\s+|the\s+biggest\s+|the\s+)?(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out safelisted phrases (same length) so the model does not score "Dick Whittington"."""
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


#: Below this score for both insult and identity, the sentence around a slur that is also an ordinary
#: word reads as harmless to the model ("the tranny on the minibus needs replacing").
SLUR_CONTEXT = 0.35


#: "such a …", "you …", "what a …", "some …": the word is said of a person, whatever the rest of the sentence.
_SAID_OF_SOMEONE = fast_regex(r"\b(?:a|an|you|ya|u|ur|you're|youre|like|is|are|was|were|being|he's|she's|they're|"
                              r"some|total|complete|absolute|utter|proper|bloody|stupid|"
                              r"bunch\s+of|load\s+of|lot\s+of)\s+(?:\w+\s+)?$", re.IGNORECASE)


#: A sentence that speaks of a group as a whole: a plural noun for people ("women", "Muslims", "the
#: Poles", "old people", "these foreigners"), or a generalising word ("all", "typical", "always",
#: "that lot", "their kind", "people like"). The identity head alone (no slur, no listed statement)
#: fires only on such sentences: it learnt "girl", "pregnant" or "refugee" as signs of the sexism and
#: hate it was trained on, and read a pupil's disclosure or a Sanctuary School notice as an attack.
_GROUP_TALK = fast_regex(
    r"\b(?:women|woman|girls|men|boys|ladies|females|males|blokes|lads|mums|dads|wives|husbands|"
    r"jews|muslims|hindus|sikhs|catholics|protestants|christians|atheists|gays|lesbians|queers|trans|transgender|"
    r"blacks|whites|asians|immigrants|migrants|refugees|asylum\s+seekers|foreigners|travellers|gypsies|pikeys|"
    r"poles|romanians|bulgarians|albanians|pakistanis|indians|chinese|africans|nigerians|somalis|arabs|"
    r"americans|europeans|russians|ukrainians|jamaicans|scots|welsh|irish|english|brits|northerners|southerners|"
    r"pensioners|boomers|millennials|teenagers|"
    r"disabled|autistic|old\s+people|young\s+people|people|folk|kids\s+these\s+days|"
    r"all|every|typical|typically|always|never|their\s+kind|your\s+kind|that\s+lot|this\s+lot|those\s+people|"
    r"these\s+people|them|they|they're|their)\b", re.IGNORECASE)


#: The school's own people and places: a draft naming them is about the school's world, where a
#: generalisation about a group is about the pupils, families or colleagues in front of the writer.
_SCHOOL_PEOPLE = fast_regex(
    r"\b(?:pupils?|students?|kids|child(?:ren)?|parents?|famil(?:y|ies)|mums?|dads?|carers?|staff(?:room)?|"
    r"teach(?:er|ers|ing)|colleagues?|tas|tutors?|form\s+groups?|candidates?|applicants?|shortlist(?:ed)?|trainees?|ects?|nqts?|"
    r"head\s*teachers?|heads?\s+of\s+\w+|deputy|slt|governors?|department|dept|classes|classroom|lessons?|timetable|"
    r"register|year\s*\d{1,2}s?|y\d{1,2}s?|ks[1-5]|gcses?|a[\s-]levels?|sixth[\s-]form(?:ers?)?|schools?|"
    r"parents'?\s+evening|interview(?:ed|ing|s)?|(?:my|our|the|this)\s+(?:class|form|set|team))\b", re.IGNORECASE)


def about_school_people(text: str) -> bool:
    """Whether a draft speaks of the school's own people or life (`_SCHOOL_PEOPLE`)."""
    return _SCHOOL_PEOPLE.search(text) is not None


def speaks_of_a_group(sentence: str) -> bool:
    """Whether a sentence speaks of a group of people as a whole (`_GROUP_TALK`)."""
    return _GROUP_TALK.search(sentence) is not None


#: "You are a …": the model must score a word said of a person at least this high before its reading
#: of a sentence holding the word counts as evidence that the word is used in another sense there.
KNOWS_SLUR = 0.5
_known_slurs: dict[tuple[int, str], bool] = {}


def _model_knows(model, entry: str) -> bool:
    """Whether the model reads `entry` said of a person as an insult or an attack on a group. A word
    it never learnt as a slur scores low in every sentence, so its low score there says nothing
    about the sense ("Some spastic parked across the gate" would pass): then the slur list decides."""
    key = (id(model), entry)
    known = _known_slurs.get(key)
    if known is None:
        scores = model.scores([f"you are a {entry}", f"they are all {entry}s"])
        known = _known_slurs[key] = float(scores[:, [model.head("insult"), model.head("identity")]].max()) >= KNOWS_SLUR
    return known


def _harmless_context(ctx: TextContext, text: str, hit: LexiconHit) -> bool:
    if hit.entry not in ordinary_senses() or ctx.policy.model_threshold("identity") >= 1.0:
        return False
    if _SAID_OF_SOMEONE.search(text[max(0, hit.start - 30):hit.start]):
        return False
    spans = cached_sentences(ctx, text)
    k = next((i for i, (s, e) in enumerate(spans) if s <= hit.start < e), None)
    if k is None or len(text[spans[k][0]:spans[k][1]].split()) < 5:
        return False
    scores = sentence_scores(ctx, _mask(text, ctx.cache["lexicon_hits"][2]), spans)[k]
    model = ctx.cache["language_model"]
    return (max(scores[model.head("insult")], scores[model.head("identity")]) < SLUR_CONTEXT
            and _model_knows(model, hit.entry))


def excused_slurs(ctx: TextContext, text: str) -> list[tuple[int, int]]:
    """Slur-list words used in another sense here (see `wrong_sense`, `SLUR_CONTEXT`); once per draft.
    Neither the slur list nor the model (scoring the sentence without them) may fire on them."""
    cached = ctx.cache.get("excused_slurs")
    if cached is None:
        _, slur_hits = _lexicon_hits(ctx, text)
        cached = ctx.cache["excused_slurs"] = [
            (h.start, h.end) for h in slur_hits
            if not h.disguised and h.section != "phrases"
            and (wrong_sense(text, h.start, h.end) or _harmless_context(ctx, text, h))]
    return cached


class Discriminatory(TextRule):
    """What it does: blocks slurs (racist, homophobic, transphobic, disability and religious; also
    disguised) and discriminatory statements without slurs ("go back to your own country", "all
    immigrants are criminals", "that's so gay", "throws like a girl").

    Why (clause 2.4): discriminatory content is named as unacceptable conduct, "considered extremely
    serious by the school".

    Example: "that's so gay lol"; "typical immigrants, should be sent back".
    Passes: "Offa's Dyke walk with Year 8"; "Well done to our girls' football team"; "Homo sapiens
    lesson".
    """

    id = "discriminatory"
    severity = "block"

    clause = "2.4"
    title = "Discriminatory language"
    description = "slurs and discriminatory statements"
    mask = "[slur]"
    message = "This contains a slur or a discriminatory statement."
    suggestion = "Remove it. Discriminatory content is never acceptable."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        text = draft.text
        _, slur_hits = _lexicon_hits(ctx, text)
        found = []
        excused = excused_slurs(ctx, text)
        for h in slur_hits:
            if (h.start, h.end) in excused:
                continue  # "Mong Kok", "fear should not cripple you", a minibus's tranny: not a slur here
            found.append(self.finding((h.start, h.end), explanation={
                "pattern": "lexicon", "lexicon": "slurs", "kind": "disguised" if h.disguised else "plain",
                "entry": h.entry}, redact_as="[slur]"))
        for span in [m.span() for m in _STATEMENTS.finditer(text)] + stereotypes(text):
            found.append(self.finding(span, explanation={"pattern": "statement", "kind": "discriminatory statement"},
                                      redact_as="[discriminatory statement]"))
        # generalisations about a group with no slur ("women are too emotional to lead"): the model
        # (lower in a draft about the school's own people: the public posts about groups in general, for
        # whose sake the threshold is high, are not what staff write about their pupils and colleagues)
        masked = _mask(text, ctx.cache["lexicon_hits"][2])
        threshold = self.policy.school_context_threshold("identity") if about_school_people(text) \
            else self.policy.model_threshold("identity")
        for span, p in flagged_sentences(ctx, masked, "identity", threshold, [f.span for f in found], excused=excused):
            if not speaks_of_a_group(text[span[0]:span[1]]):
                continue  # about one person ("a Year 10 girl told me she's pregnant"), not a group
            found.append(self.finding(span, explanation=model_explanation("identity", p),
                                      redact_as="[discriminatory statement]"))
        return found
