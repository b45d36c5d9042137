"""no-publish-name: table of texts that must fire (with the words covered) and must not."""
import pytest

from tests.rules.table import fired, findings
from text_checks.names import NoPublishNames

FIRES = [
    ("Well done to Samantha Jones for her county call-up!", ["Samantha Jones"]),
    ("Great goal from Sam Jones tonight", ["Sam Jones"]),
    ("Sammy Jones and Ollie O'Brien", ["Sammy Jones", "Ollie O'Brien"]),
    ("Oliver O’Brien's team won", ["Oliver O’Brien"]),
    ("OLIVER O'BRIEN star of the week", ["OLIVER O'BRIEN"]),
    ("samantha jones", ["samantha jones"]),
    ("Samantha\nJones got the prize", ["Samantha\nJones"]),
    ("Amelia Hartley-Ward sang", ["Amelia Hartley-Ward"]),
    ("Millie Hartley-Ward sang", ["Millie Hartley-Ward"]),
    ("Jones, Samantha (Year 10)", ["Jones, Samantha"]),
    ("🎉 Kacper Nowak wins! 🎉", ["Kacper Nowak"]),
    ("Isla MacLeod's painting", ["Isla MacLeod"]),
    ("Kacper Nowák and Kácper Nowak", ["Kacper Nowák", "Kácper Nowak"]),
    # apostrophes and hyphens typed differently
    ("Reader of the Month is Oliver OBrien in 8T!", ["Oliver OBrien"]),
    ("well done oliver o brien", ["oliver o brien"]),
    ("Amelia HartleyWard and Amelia Hartley Ward", ["Amelia HartleyWard", "Amelia Hartley Ward"]),
]
PASSES = [
    "Well done to Sam on her county call-up!",
    "Samantha was brilliant today",
    "Jonestown trip",
    "Mrs Jones and Samantha from the office",
    "Oliver Jeffers visited",
    "Samantha Jonesy is a nickname",
    "Kacper scored twice",
    "Oliver Brien came second",
    "Amelia Ward sang",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("no-publish-name", text, account="school") == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("no-publish-name", text, account="school") == []


def test_message_never_names_the_pupil_and_span_is_masked():
    [f] = findings("no-publish-name", "Well done Samantha Jones!")
    assert "Samantha" not in f.message + f.suggestion + str(f.explanation)
    assert f.redact_as == "[no-publish name]" and f.severity == "block"


def test_matcher_returns_pupil_ids_and_scales():
    names = NoPublishNames([(7, "Samantha Jones"), (8, "Samantha Jones")] + [(i, f"Pupil{i} Surname{i}") for i in range(2000)])
    assert names.find("hi Sam Jones") == [(3, 12, 7)]
    assert names.find("Pupil1999 Surname1999 and pupil5 surname5") == [(0, 21, 1999), (26, 41, 5)]
    assert NoPublishNames([]).find("anything") == []
