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
    ("Trump is at it again", ["Trump"]),
    ("the woke agenda in schools", ["woke agenda"]),
    # a nudge at the ballot box, a march against a decision, one faith as the only truth
    ("Remember who cut your school's budget when you vote, folks", ["when you vote"]),
    ("This government has gutted school funding for a decade", ["This government has gutted"]),
    ("Join Saturday's march in Ripon against the academy takeover", ["march in Ripon against the academy"]),
    ("A reminder that Jesus is the one true way this Christmas", ["is the one true way"]),
]
PASSES = [
    "School council elections this week",
    "Great strike from Tom in the cup",
    "Labour Day? No, deadline day!",
    "Year 8 learned about the suffragettes",
    "Harvest festival at St John's church",
    "I woke up at 5am for the trip",
    "Paper snowflakes in Year 7 art",
    "Lefty scissors are in the DT room",
    "Play your trump card in the quiz",
    "Year 10 geography: migration and immigration",
    "Year 13 students: register to vote before the deadline if you are 18",
    "Charity walk against cancer on Sunday, thank you for the sponsorship",
    "The only way to the sports hall this week is past the library",
    "Our RE unit compares how each faith describes God",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("controversial-topic", text, account="school") == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("controversial-topic", text, account="school") == []
