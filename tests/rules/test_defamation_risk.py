"""defamation-risk: accusations about an identifiable person."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("Mr Smith is a liar", ["Mr Smith is a liar"]),
    ("the bursar has been fiddling the books", ["the bursar has been fiddling the books"]),
    ("Mrs Jenkins turned up drunk at school", ["Mrs Jenkins turned up drunk at school"]),
    ("@coachdave cheated in the final", ["@coachdave cheated"]),
    ("Sarah Kent stole money from the PTA", ["Sarah Kent stole"]),
]
PASSES = [
    "Jack stole the show in Oliver!",
    "a liar, a thief and a ghost walk into Macbeth's castle",
    "Mr Smith is a legend",
    "Nobody lied about the score",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("defamation-risk", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("defamation-risk", text) == []
