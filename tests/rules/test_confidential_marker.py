"""confidential-marker: confidentiality markers, not confidential services."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("Confidential - we can't share this yet: Mr Smith is leaving", ["Confidential"]),
    ("Strictly confidential, can't share with parents yet: redundancies in English", ["Strictly confidential"]),
    ("Restructure details attached, please don't share details with parents yet", ["please don't share"]),
    ("Please do not share anything from this email", ["do not share"]),
    ("CONFIDENTIAL - draft staffing", ["CONFIDENTIAL"]),
    ("Strictly confidential: notes", ["Strictly confidential"]),
    ("Not for circulation: grades", ["Not for circulation"]),
    ("Internal only, but the head leaves", ["Internal only"]),
    ("please do not share this", ["do not share"]),
    ("the leaked memo about cuts", ["leaked memo"]),
    ("results under embargo until Thursday", ["under embargo"]),
    # stamped on the material, even where a promise-like word is near
    ("This document is confidential, please do not share it", ["confidential", "do not share"]),
    ("Sharing this in confidence: the restructure list", ["in confidence"]),
    ("do not share the attached minutes", ["do not share"]),
]
PASSES = [
    # confidentiality given as the reason the school says no more
    "We can't comment on individual cases as they are confidential, but please message us",
    "We're unable to discuss individual pupils publicly; these matters are confidential.",
    "Staffing matters are confidential so we can't say more here, but we'll update parents when we can",
    # advice on what readers should not pass round, not a label on material
    "Please don't share screenshots of the group chat here, email the school instead",
    "Please don't share details publicly for your child's sake, message us privately",
    "Please don't share rumours about the incident, we will update you",
    "Secret Santa in the staffroom!",
    "Secret plans for the summer fair",
    "Childline offers free, confidential advice",
    "a confidential listening service on Wednesdays",
    "We respect confidentiality",
    # a promise to the reader, or advice on what not to post
    "If you are struggling, please speak to us in confidence - we would rather help than chase.",
    "All applications are treated in confidence; please see Mrs Reid in the office.",
    "Everything you discuss with our family support worker is confidential.",
    "Free school meal applications are confidential - please speak to Mrs Ward.",
    "Please do NOT share any images on social media that include other children.",
    "Report the fake page and do not share any personal information with it.",
    "Our counselling drop-in is confidential and open to any pupil at lunch",
    "Reference copies are not for circulation, but you are welcome to read them in the library",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("confidential-marker", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("confidential-marker", text) == []
