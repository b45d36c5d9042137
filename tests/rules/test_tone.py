"""tone: shouting in capitals and hostile sarcasm aimed at people."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("PARENTS PLEASE STOP PARKING ON THE ZIGZAGS", ["PARENTS PLEASE STOP PARKING ON THE ZIGZAGS"]),
    ("WHY DO YOU NEVER READ THE LETTERS", ["WHY DO YOU NEVER READ THE LETTERS"]),
    ("Well done to the genius who parked across the gates", ["Well done to the genius who parked"]),
    ("For the hundredth time, no dogs", ["For the hundredth time"]),
    ("Some parents clearly can't read", ["Some parents clearly can't read"]),
    ("Oh great, another email from the trust", ["Oh great, another"]),
    ("Is it really too much to ask?", ["Is it really too much to ask"]),
]
PASSES = [
    "HUGE CONGRATULATIONS TO OUR U14 NETBALL TEAM!",
    "GCSE PE results day",
    "THANK YOU TO ALL OUR WONDERFUL VOLUNTEERS",
    "Well done to everyone who took part",
    "DON'T MISS OUR OPEN EVENING",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("tone", text, account="school") == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("tone", text, account="school") == []
