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
]
PASSES = [
    "Thank you to our head for the lovely staff breakfast",
    "Busy week of Y11 mocks!",
    "The pay and conditions document is on the shared drive",
    "Management accounting revision for Year 13",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("internal-grievance", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("internal-grievance", text) == []
