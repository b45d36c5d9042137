"""personal-account-pupil-contact: personal accounts engaging pupils or parents."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("@jbloggs09 haha see you in period 3", ["@jbloggs09"]),
    ("@SarahBMum thanks for the card", ["@SarahBMum"]),
    ("Year 11s, add me on snap for help", ["add me"]),
    ("My students can follow me here", ["follow me"]),
    ("Parents, feel free to message me here about homework", ["message me"]),
]
PASSES = [
    "Good luck to all our Year 11s tomorrow!",
    "@bestfriend happy birthday!",
    "Follow me on my running journey",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("personal-account-pupil-contact", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("personal-account-pupil-contact", text) == []


def test_school_account_is_not_this_rule():
    assert fired("personal-account-pupil-contact", "@jbloggs09 hi", account="school") == []
