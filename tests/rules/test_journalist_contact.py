"""journalist-contact: replies to the press."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("@harrogateadvert happy to comment, DM me", ["@harrogateadvert"]),
    ("A reporter from the Yorkshire Post rang me", ["A reporter from"]),
    ("Happy to speak to the press about it", ["Happy to speak to the press"]),
    ("off the record, it was a mess", ["off the record"]),
    ("@harrogateadvert off the record, ask the Director of IT what really happened", ["off the record"]),
    # the model, beside a sign of the press: an outlet's handle or name not in the policy's list
    ("@WestfieldGazette I can tell you what really happened at the meeting, DM me.",
     ["@WestfieldGazette I can tell you what really happened at the meeting, DM me."]),
    ("Just spoke to someone from WalesOnline about the strike.", ["Just spoke to someone from WalesOnline about the strike."]),
]
PASSES = [
    "Lovely write-up of our concert in the local paper",
    "Thank you to @harrogateadvert for covering our charity week",
    "Year 9 journalism club visited the BBC",
    # the policy followed: the journalist is sent to the Director of IT
    "@yorkshirepost Thanks for asking. I can't comment, please contact our Director of IT via the school office",
    "@bbcyorkshire Thanks for getting in touch, media enquiries go to our press office",
    "@harrogatenews Thanks for getting in touch. Press enquiries are handled by our Director of IT",
    # offers of help to parents and colleagues, which the press head alone reads as talking to the press
    # (each scores above its threshold; nothing in them points at the press)
    "Hi Rhys, I've passed your message to Ms Lloyd who'll ring you tomorrow about the transition plan.",
    "Happy to talk about the new reading scheme with any parent who has questions, just ask at the gate.",
    "Message me if you'd like a copy of our phonics timetable, happy to share.",
]

PRESS_CUES = [
    ("our side of the story for your paper", True),
    ("@KettlebeckCourier thanks", True),
    ("a Channel 4 producer rang", True),
    ("not for attribution, but", True),
    ("@ChrisMalone_Star send me your questions", True),
    ("the story of Smartie the Penguin", False),
    ("this week's newsletter is out", False),
    ("happy to chat at the next meeting", False),
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("journalist-contact", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("journalist-contact", text) == []


@pytest.mark.parametrize("text", PASSES[-3:])
def test_model_reads_offers_of_help_as_press(text):
    """The passes above are the guard's work, not the model's: the press head alone fires on them."""
    from checks_common import default_policy
    from text_checks.language_model import language_model, policy_scores

    model = language_model()
    score = policy_scores(model, default_policy(), [model.tokeniser.ids(text)])[0, model.head("press")]
    assert score >= default_policy().model_threshold("press")


@pytest.mark.parametrize("text, expected", PRESS_CUES)
def test_press_cue(text, expected):
    from text_checks.rules.account import _PRESS_CUE

    assert bool(_PRESS_CUE.search(text)) is expected
