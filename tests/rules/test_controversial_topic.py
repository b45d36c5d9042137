"""controversial-topic: politics, strikes, divisive topics."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("Closed Thursday due to strike action", ["strike action"]),
    ("Vote Labour on Thursday", ["Vote Labour"]),
    ("on the picket line today", ["picket line"]),
    ("Brexit ruined our exchanges", ["Brexit"]),
    ("Religion is poison", ["Religion is poison"]),
    ("Thoughts with everyone in Gaza", ["Gaza"]),
]
PASSES = [
    "School council elections this week",
    "Great strike from Tom in the cup",
    "Labour Day? No, deadline day!",
    "Year 8 learned about the suffragettes",
    "Harvest festival at St John's church",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("controversial-topic", text, account="school") == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("controversial-topic", text, account="school") == []
