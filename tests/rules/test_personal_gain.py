"""personal-gain: selling or promoting for oneself on a school account."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("My new guide is out now, use code KJS10 for 10% off", ["use code KJS10"]),
    ("I'm offering private tuition this summer", ["I'm offering private tuition"]),
    ("Check out my Etsy shop", ["Check out my Etsy"]),
    ("Selling my car, £1500 ono", ["1500 ono"]),
    ("Get a copy of my new novel", ["Get a copy of my new novel"]),
]
PASSES = [
    "PTA Christmas fair tickets on sale now",
    "Second-hand uniform sale on Friday",
    "Tickets £5 for the school show",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("personal-gain", text, account="school") == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("personal-gain", text, account="school") == []


def test_personal_account_may_promote():
    assert fired("personal-gain", "Check out my Etsy shop", account="personal") == []
