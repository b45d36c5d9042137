"""confidential-marker: confidentiality markers, not confidential services."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("CONFIDENTIAL - draft staffing", ["CONFIDENTIAL"]),
    ("Strictly confidential: notes", ["Strictly confidential"]),
    ("Not for circulation: grades", ["Not for circulation"]),
    ("Internal only, but the head leaves", ["Internal only"]),
    ("please do not share this", ["do not share"]),
    ("the leaked memo about cuts", ["leaked memo"]),
    ("results under embargo until Thursday", ["under embargo"]),
]
PASSES = [
    "Secret Santa in the staffroom!",
    "Secret plans for the summer fair",
    "Childline offers free, confidential advice",
    "a confidential listening service on Wednesdays",
    "We respect confidentiality",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("confidential-marker", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("confidential-marker", text) == []
