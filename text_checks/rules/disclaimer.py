"""Personal posts that name the school need a "views my own" style disclaimer."""
from __future__ import annotations

import re
from typing import Iterable

from checks_common import Draft, Finding, Policy
from text_checks.rule import TextContext, TextRule
from text_checks.school import SchoolMentions, workplace_mentions


def _phrase_pattern(phrase: str) -> str:
    """A disclaimer phrase with flexible spacing, punctuation and the usual small variations."""
    words = re.findall(r"[\w≠!=]+|[^\w\s]", phrase.lower())
    out = []
    for word in words:
        if word in {"≠", "!="}:
            out.append(r"(?:≠|!=|=/=|is\s+not|are\s+not|aren'?t|isn'?t|not|don'?t\s+equal|≠)")
        elif word in {"rt", "rts"}:
            out.append(r"(?:rt'?s?|retweets?|reposts?|shares?|likes?)")
        elif word in {"endorsement", "endorsements"}:
            out.append(r"endorse(?:ment)?s?")
        elif word in {"views", "opinions", "thoughts"}:
            out.append(r"(?:views?|opinions?|thoughts?|tweets?|posts?)")
        elif word in {"are", "is"}:
            out.append(r"(?:are|is)")
        else:
            out.append(re.escape(word))
    return r"[\s\-–—:,.]*".join(out)


_EXTRA_VARIANTS = (
    r"(?:views?|opinions?|thoughts?|tweets?|posts?)\s+(?:expressed\s+)?(?:here\s+)?(?:(?:on|in)\s+(?:this|my)\s+(?:profile|account|page|feed|blog)\s+)?"
    r"(?:are\s+)?(?:all\s+)?(?:my\s+own|mine|personal|my\s+own\s+and\s+not)",
    r"(?:views?|opinions?)\s+(?:are\s+)?(?:entirely\s+|solely\s+)?(?:my\s+own|mine)",
    r"(?:own|personal)\s+(?:views?|opinions?)",
    r"\bnot\s+(?:speaking\s+)?(?:on\s+behalf\s+of|for)\s+(?:the\s+|my\s+)?(?:school|employer)",
    r"\bv\.?m\.?o\b",
)


class MissingDisclaimer(TextRule):
    """What it does: flags a post from a personal account that names the school (an alias, one of
    its handles or a school hashtag), or names a school as the writer's workplace ("I teach at
    Redmire CE Primary", "lunch duty at St Bede's"), and has no disclaimer such as "Views my own".

    Why (clauses 1 and 2.9): "where a personal account is used which associates itself with the
    school … it must be made clear that the member of staff is not communicating on behalf of the
    school with an appropriate disclaimer."

    Example: "Proud of our Year 9s at King James's today!" from a personal account.
    Passes: the same with "Views my own."; any post from a school account; a post that does not
    name the school.
    """

    id = "missing-disclaimer"
    severity = "warn"
    clause = "1, 2.9"
    title = 'Missing "views my own" disclaimer'
    description = 'personal account names the school without "views my own"'
    mask = None  # the span is kept: the school's own name or hashtag
    stands_alone = True  # a block on the same words does not add the disclaimer
    message = "This personal post names the school but does not say the views are your own."
    suggestion = "Add a disclaimer, e.g. \"Views my own.\""

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy)
        self.suggestion = f"Add a disclaimer, e.g. \"{policy.disclaimer_suggestion}\""
        self._mentions = SchoolMentions(policy)
        alternatives = [_phrase_pattern(p) for p in policy.disclaimer_phrases] + list(_EXTRA_VARIANTS)
        self._disclaimer = re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)

    def has_disclaimer(self, text: str) -> bool:
        normalised = text.replace("’", "'").replace("‘", "'")
        return self._disclaimer.search(normalised) is not None

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        if draft.is_school_account or self.policy.is_school_handle(draft.account_handle):
            return []
        mentions = ctx.cache.setdefault("school_mentions", self._mentions.find(draft.text))
        pattern = "school mention"
        if not mentions:
            mentions, pattern = workplace_mentions(draft.text), "workplace named"
        if not mentions or self.has_disclaimer(draft.text):
            return []
        start, end = mentions[0]
        fix = {"kind": "append", "text": self._fix_text(draft.text)}
        return [self.finding((start, end), explanation={"pattern": pattern, "kind": "no disclaimer",
                                                        "mention": draft.text[start:end], "mentions": len(mentions)},
                             fix=fix)]

    def _fix_text(self, text: str) -> str:
        """What to append: the policy's disclaimer, on a new sentence after whatever the draft ends with."""
        stripped = text.rstrip()
        if not stripped or stripped[-1] in ".!?…" or not stripped[-1].isalnum():
            return " " + self.policy.disclaimer_suggestion
        return ". " + self.policy.disclaimer_suggestion
