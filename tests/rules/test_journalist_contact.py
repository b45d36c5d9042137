"""journalist-contact: replies to the press."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("@harrogateadvert happy to comment, DM me", ["@harrogateadvert"]),
    ("A reporter from the Yorkshire Post rang me", ["A reporter from"]),
    ("Happy to speak to the press about it", ["Happy to speak to the press"]),
    ("off the record, it was a mess", ["off the record"]),
    ("@harrogateadvert off the record, ask the Director of IT what really happened", ["off the record"]),
]
PASSES = [
    "Lovely write-up of our concert in the local paper",
    "Thank you to @harrogateadvert for covering our charity week",
    "Year 9 journalism club visited the BBC",
    # the policy followed: the journalist is sent to the Director of IT
    "@yorkshirepost Thanks for asking. I can't comment, please contact our Director of IT via the school office",
    "@bbcyorkshire Thanks for getting in touch, media enquiries go to our press office",
    "@harrogatenews Thanks for getting in touch. Press enquiries are handled by our Director of IT",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("journalist-contact", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("journalist-contact", text) == []
