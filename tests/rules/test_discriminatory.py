"""discriminatory: slurs (also disguised) and discriminatory statements."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("That's so gay lol", ["That's so gay"]),
    ("Go back to your own country", ["Go back to your own country"]),
    ("Stop acting like a r3t4rd", ["r3t4rd"]),
    ("Typical immigrants", ["Typical immigrants"]),
    ("He throws like a girl", ["throws like a girl"]),
    ("Some spastic parked across the gate", ["spastic"]),
    ("p@kis at the bus stop", ["p@kis"]),
    ("immigrants are criminals", ["immigrants are criminals"]),
    ("Shut up you mong", ["mong"]),
    ("He is such a cripple", ["cripple"]),
    ("what a tranny lol", ["tranny"]),
]
PASSES = [
    "Offa's Dyke walk with Year 8",
    "Well done to our girls' football team",
    "Homo sapiens spread across the world",
    "a chink of light in the clouds",
    "All girls are welcome at football club",
    "Refugee week activities start Monday",
    "Faggots and peas on the Victorian menu",
    # wrong-sense matches: a verb, a place name, a car part (context decides, not a list of phrases)
    "Fear should not cripple you: have a go at the climbing wall!",
    "Budget cuts could cripple rural bus routes, our Year 12 geographers found",
    "Photos from Mong Kok market on the Hong Kong exchange trip",
    "The tranny on the minibus needs replacing before the Lake District trip",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("discriminatory", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("discriminatory", text) == []
