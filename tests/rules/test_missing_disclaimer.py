"""missing-disclaimer: personal posts naming the school need "views my own" (clauses 1, 2.9)."""
import pytest

from checks_common import utf16_span
from tests.rules.table import fired, findings

FIRES = [
    ("Proud of our Year 9s at King James's today!", "King James's"),
    ("Proud of our Year 9s at King James’s today!", "King James’s"),
    ("Well done King James School!", "King James School"),
    ("KJS staff quiz night was a triumph!", "KJS"),
    ("kjs sports day", "kjs"),
    ("Brilliant day with the #KJSSport runners", "#KJSSport"),
    ("#KingJamesOpenEvening was lovely", "#KingJamesOpenEvening"),
    ("Great to see @KJSSixthForm at the fair", "@KJSSixthForm"),
    ("Great day at King James's School Knaresborough", "King James's School Knaresborough"),
    ("🎉 King James's did it! 🎉", "King James's"),
    ("🎉🎉 Well done to everyone at King James's School", "King James's School"),
    ("My views: King James's is the best", "King James's"),
    ("King  James's  School  rocks", "King  James's  School"),
    ("Views on the new pitch at KJS? Love it", "KJS"),
    ("Not sure about this, KJS", "KJS"),
    # a school the writer works at, named any way (the policy lists one school's names)
    ("I teach at Redmire CE Primary and I can tell you what's going on", "Redmire CE Primary"),
    ("Another wet lunch duty at St Bede's 🙃 #teacherlife", "St Bede's"),
    ("Proud to be Head of Science at Thornbury Academy, we're hiring!", "Thornbury Academy"),
    ("My Year 8s at Ashdown Community College smashed the spelling bee", "Ashdown Community College"),
    ("Fourth cover lesson this week at Greyfriars High.", "Greyfriars High"),
    ("Ofsted at Nidd Valley School this week. Caffeine.", "Nidd Valley School"),
    ("Thornbury Academy staff are the best, I work with legends", "Thornbury Academy"),
]
PASSES = [
    ("Proud of our Year 9s at King James's today! Views my own.", "personal"),
    ("King James's sports day! Views are my own", "personal"),
    ("KJS quiz. All views my own", "personal"),
    ("KJS quiz. Opinions my own.", "personal"),
    ("KJS quiz. Opinions are my own.", "personal"),
    ("KJS quiz (personal views)", "personal"),
    ("KJS drama: RT ≠ endorsement", "personal"),
    ("KJS drama. RTs != endorsements", "personal"),
    ("KJS drama, not speaking for my employer", "personal"),
    ("KJS drama, views expressed here are my own", "personal"),
    ("KJS drama. My own views, not those of the school.", "personal"),
    ("KJS drama. Thoughts are my own.", "personal"),
    ("KJS drama. VMO", "personal"),
    ("KJS drama. Views are mine.", "personal"),
    ("KJS drama. Not on behalf of my employer.", "personal"),
    ("Proud of our Year 9s at King James's today!", "school"),
    ("Lovely sunny day", "personal"),
    ("King Charles visited York", "personal"),
    ("Jameson's whiskey tasting", "personal"),
    ("KJSomething is not a school name", "personal"),
    ("Appointed Head of Year 10 at King James's School. (All views on this profile are my own.)", "personal"),
    ("I teach at Redmire CE Primary. Views my own.", "personal"),
    # another school, not the writer's workplace; a school word that names no school
    ("Great game against Harrogate Grammar, my Year 9s were superb", "personal"),
    ("The PE teacher at St Aidan's was coaching his lads to dive, my Year 9s saw it", "personal"),
    ("Forest School today with my Year 3s", "personal"),
    ("Summer School starts Monday, my class can't wait", "personal"),
    ("Primary School teachers deserve a medal, marking all weekend", "personal"),
    ("Lovely day at St Mary's church fete", "personal"),
    ("Lovely day at Thornbury Academy's open day with my nephew", "personal"),
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("missing-disclaimer", text) == [words]


@pytest.mark.parametrize("text, account", PASSES)
def test_passes(text, account):
    assert fired("missing-disclaimer", text, account=account) == []


def test_from_a_school_handle_it_passes():
    assert fired("missing-disclaimer", "King James's today!", handle="@KJS_History") == []


@pytest.mark.parametrize("text, fix", [
    ("Proud of King James's today!", " Views my own, not those of King James's School."),
    ("Proud of King James's today", ". Views my own, not those of King James's School."),
])
def test_offers_an_append_fix(text, fix):
    [f] = findings("missing-disclaimer", text)
    assert f.fix == {"kind": "append", "text": fix}
    assert fired("missing-disclaimer", text + f.fix["text"]) == []


@pytest.mark.parametrize("prefix, units", [("🎉 ", 3), ("🎉🎉 ", 5), ("é ", 2), ("👩‍🏫 ", 6), ("", 0)])
def test_span_in_utf16_units_after_emoji(prefix, units):
    text = prefix + "King James's rocks"
    [f] = findings("missing-disclaimer", text)
    assert text[f.span[0]:f.span[1]] == "King James's"
    assert utf16_span(text, *f.span) == (units, units + len("King James's"))
    assert text.encode("utf-16-le")[units * 2:(units + 12) * 2].decode("utf-16-le") == "King James's"
