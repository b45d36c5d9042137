"""internal-grievance: workplace complaints aired in public."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("SLT are clueless", ["SLT are clueless"]),
    ("The pay offer is an insult", ["pay offer is an insult"]),
    ("Another pointless INSET day", ["Another pointless INSET"]),
    ("Can't wait to leave this place", ["Can't wait to leave this place"]),
    ("Our head doesn't listen to staff", ["Our head doesn't listen"]),
    ("Workload is absolutely insane this term", ["Workload is absolutely insane"]),
    # pay that has not come, promotion passed over, lessons covered for nothing, leaders who do not listen
    ("Still waiting on my overtime from the spring residential", ["Still waiting on my overtime"]),
    ("Passed over for head of year again, loyalty counts for nothing here", ["Passed over for head of", "loyalty counts for nothing"]),
    ("Support staff are covering lessons for nothing and nobody in leadership listens", ["covering lessons for nothing", "nobody in leadership listens"]),
    ("The staffing situation is dire and has been for months", ["staffing situation is dire"]),
    ("We do NOT need another 45-minute INSET on learning objectives", ["do NOT need another 45-minute INSET on"]),
]
PASSES = [
    # praise and good news about leaders, which the model alone once read as a grievance
    "SLT have been brilliant through all the building work this term.",
    "Honestly, our SLT have been so supportive with my return to work.",
    "Thank you to our head for the lovely staff breakfast",
    "Busy week of Y11 mocks!",
    "The pay and conditions document is on the shared drive",
    "Management accounting revision for Year 13",
    "Still waiting for the coach back from Whitby, ETA 6pm, we will text",
    "Nobody in Year 7 has missed a day this term, brilliant attendance!",
    "Our office is closed on Friday for staff training",
    "Passed over for the netball final? No chance, our girls won!",
    "Still waiting for the results of the bake-off, the judges are deliberating!",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("internal-grievance", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("internal-grievance", text) == []


PRAISE_ONLY = [
    ("SLT have been brilliant through all the building work this term.", True),
    ("Congratulations to Mr Harris, who has been appointed Deputy Headteacher from September.", True),
    ("Thank you to the trust for funding our new library.", True),
    # praise turned: a negation, "again", "finally", ", mind", scare quotes, an eye-roll
    ("Thanks SLT for another data drop, so valuable 🙄", False),
    ("Lovely to see the head finally visiting the autism base.", False),
    ("Lovely new carpet in the head's office, mind.", False),
    ("Thanks for the 'consultation' on our timetables.", False),
    ("Great to hear nobody asked the staff again.", False),
    ("The new marking policy is a joke.", False),  # no praise at all: the model decides
]


@pytest.mark.parametrize("sentence, expected", PRAISE_ONLY)
def test_praise_only(sentence, expected):
    from text_checks.rules.conduct import praise_only

    assert praise_only(sentence) is expected
