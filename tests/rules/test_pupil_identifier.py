"""pupil-identifier: UPN, ULN, NHS and NI numbers with check digits; dates of birth."""
import pytest

from tests.rules.table import fired
from text_checks.rules.identifiers import nino_is_valid, uln_is_valid

FIRES = [
    ("UPN B801200005001 has the wrong tutor group", ["B801200005001"]),
    ("Jack's ULN is 1234567899, exam board needs it", ["1234567899"]),
    ("NHS number 943 476 5919 for the form", ["943 476 5919"]),
    ("Her NHS no. is 9434765919", ["9434765919"]),
    ("his number is 943 476 5919", ["943 476 5919"]),
    ("NI number AB123456C", ["AB123456C"]),
    ("national insurance ab 12 34 56 c", ["ab 12 34 56 c"]),
    ("Ella Brown (12/03/2013) joined", ["12/03/2013"]),
    ("DOB 04/05/2012", ["04/05/2012"]),
    ("born on 14 March 2011", ["14 March 2011"]),
    ("date of birth is 03/09/2012", ["03/09/2012"]),
    # labelled: the label says what it is, a failing check digit (a typo) does not let it through
    ("UPN A801200005001 (bad check letter)", ["A801200005001"]),
    ("Niamh Carr (ULN 5839201746) won the bursary", ["5839201746"]),
    ("NHS no. for the physio: 472 381 9920", ["472 381 9920"]),
    ("her unique learner number is 7730-118-452", ["7730-118-452"]),
    # the label a little way off, the number failing its check: still what the writer says it is
    ("Can you check the UPN for Chloe in 8H? I've got H801234567890 on SIMS", ["H801234567890"]),
    ("Always double-check ULNs. Maya's (5012345678) had two digits swapped", ["5012345678"]),
]
PASSES = [
    "Order reference 1234567890",
    "Ticket 9434765918 (wrong check digit)",
    "UPN upload deadline is 12 March, 1500 forms so far",
    "NHS 111 or 999 in an emergency; 0300 123 4567 for the helpline",
    "ULN checks for all 2025 entries are done",
    "Sports day is on 12/07/2026",
    "We won 12-3, 1,234 fans",
    "Founded on 4 May 1616",
    "ref 9434765919",
    "NI number BG123456C",
    "at 12 34 56 a",
    "Welcome baby Ava, born 12 June 2025!",
    "Charles Dickens was born on 7 February 1812",
    "ULN checks done; call 0123456788 with questions",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("pupil-identifier", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("pupil-identifier", text) == []


@pytest.mark.parametrize("number, ok", [("1234567899", True), ("1234567890", False), ("0234567899", False),
                                        ("123456789", False)])
def test_uln_mod_11(number, ok):
    assert uln_is_valid(number) is ok


def test_nino_prefixes():
    assert nino_is_valid("AB", "C") and not nino_is_valid("GB", "A") and not nino_is_valid("DA", "A")
