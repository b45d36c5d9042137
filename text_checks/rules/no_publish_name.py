"""The name of a pupil on the no-publish list, anywhere in the text."""
from __future__ import annotations

from typing import Iterable

from checks_common import Draft, Finding
from text_checks.rule import TextContext, TextRule


class NoPublishName(TextRule):
    """What it does: blocks a draft that names a pupil on the school's no-publish list (first name and
    surname, possessive, or a short form with the surname, e.g. "Sam Jones" for Samantha Jones), in
    any case, with or without accents ("Zoe" for "Zoë"), as whole words. The message never repeats the name; the span shows where it is.

    Why (clauses 2.5 and 2.8): pupils "must not be on any school list of children whose images must
    not be published", and "if anyone, for any reason, asks not to be [photographed] their wishes
    should be respected"; a name is as identifying as a photo, and naming the pupil can breach
    "relevant data protection laws, or … confidentiality" (2.5).

    Example: "Well done to Samantha Jones for her county call-up!" when she is on the list.
    Passes: "Well done to Sam for her county call-up!" (a first name alone); "Jonestown trip".
    """

    id = "no-publish-name"
    severity = "block"
    clause = "2.5, 2.8"
    title = "No-publish pupil's name"
    description = "the name of a no-publish pupil in the text"
    mask = "[no-publish name]"
    message = "This names a pupil who is on the school's no-publish list."
    suggestion = "Remove the name. Do not post anything that identifies this pupil."

    def find(self, draft: Draft, ctx: TextContext) -> Iterable[Finding]:
        if ctx.names is None:
            return []
        return [
            # explanation["pupil"] stays on the server: never answered, never logged (not one of the
            # log's explanation keys), only counted as keyed hashes against enumeration
            # (server/enumeration.py).
            self.finding((start, end), explanation={"kind": "name", "pattern": "no-publish list", "pupil": pupil},
                         redact_as="[no-publish name]")
            for start, end, pupil in ctx.names.find(draft.text)
        ]
