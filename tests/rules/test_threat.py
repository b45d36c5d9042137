"""threat: threats of violence or harm (phrases, and the language model for other wordings)."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("If that ref does that again I'll batter him", ["I'll batter"]),
    ("Watch your back, Mr Jones", ["Watch your back"]),
    ("I know where she lives", ["I know where she lives"]),
    ("Someone should shoot the lot of them", ["Someone should shoot"]),
    ("You'll regret this", ["You'll regret this"]),
    ("People like that deserve a bullet", ["deserve a bullet"]),
    ("kys loser", ["kys"]),
]
PASSES = [
    "Year 11 are going to smash their exams!",
    "Our choir will kill it at the festival on Saturday",
    "We will beat the record for the most books read this term",
    "I'll hit the deadline for reports, just about",
    "Macbeth: Year 10 act out the murder of Duncan",
    "Police visited to talk about knife crime and how to stay safe",
    "Sports day: we will smash the 4x100 relay record",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("threat", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("threat", text) == []
