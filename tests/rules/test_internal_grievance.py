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
