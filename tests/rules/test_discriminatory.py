"""discriminatory: slurs (also disguised) and discriminatory statements."""
import dataclasses

import pytest

from checks_common import Draft
from tests.rules.table import NAMES, fired
from tests.support.evaluation import corpus_policy
from text_checks.engine import TextChecker
from text_checks.rules.language import about_school_people

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
    # stereotypes without a slur: a protected group and a claim about what it can do or is to blame for
    ("Honestly, girls just aren't wired for chemistry", ["girls just aren't wired for chemistry"]),
    ("The Traveller kids are back, you know what they're like", ["Traveller kids are back, you know what they're like"]),
    ("New intake full of Eastern European kids who never integrate", ["Eastern European kids who never integrate"]),
    ("One applicant uses a wheelchair. Some jobs just aren't for everyone", ["wheelchair. Some jobs just aren't for everyone"]),
    ("Never once met a Roma family who valued school", ["Never once met a Roma family who"]),
    ("Hiring tip: ideally someone without young children", ["ideally someone without young children"]),
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
    # groups named with respect, and sexes in everyday notices
    "Girls' physics club is full this year, well done everyone",
    "Ramadan Mubarak to all our families who are fasting this month",
    "Year 7 boys, lock up your bikes in the new shelter please",
    "Our wheelchair users now have a step-free route to the science block",
    "Gypsy, Roma and Traveller History Month: Year 8 are learning about the Romany language",
    "Welcome to our new Polish families: a translated letter is attached",
    "Two dads, two mums, one mum: every family is welcome at our picnic",
    "Women in STEM assembly today with a visiting engineer",
    "Year 9 girls, our PE kit has gone walkabout again, check the lost property",
    "Our Year 11 boys are not cut out for losing, what a comeback!",
    "Girls: if football's not your thing, come and try netball on Tuesday!",
    "Screen time isn't what children need, said the dads at our parenting workshop",
    "Our Year 9 boys found the climbing wall a bit suspect at first but loved it",
    "Some roles just aren't for everyone, so our careers fair for girls and boys shows you all of them",
    "Polish families: a translated newsletter is attached; we know settling in is a phase for everyone",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("discriminatory", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("discriminatory", text) == []


# A stereotype about the school's own people (pupils, families, colleagues) fires at the lower
# school-context threshold of the identity head; the same words about people in general do not.
SCHOOL_CONTEXT_FIRES = [
    "Kids from Bradford are just rougher, it's the environment, not their fault",
    "Deaf parents at parents' evening are so much hard work, honestly think I'll just email them instead",
    "Part time mums in teaching just aren't as committed, they're out the door at 3:15 every day",
]
SCHOOL_CONTEXT_PASSES = [
    "Deaf parents: BSL interpreters will be at every parents' evening this year",
    "Mums, dads and carers of Year 7: the uniform shop opens at 4 on Thursday",
    "Female maths teachers from local firms talk to Year 10 about careers in STEM",
    "Our Bradford exchange pupils arrive on Monday, please make them welcome",
    "The older TAs ran the best session on phonics I've seen all year",
    "Pupils with dyslexia can ask for coloured overlays in every exam",
]
ABOUT_SCHOOL = [
    ("the Year 9 girls", True), ("parents' evening", True), ("shortlisted candidates", True), ("our ECTs", True),
    ("my form", True), ("Y11s", True),
    ("women are", False), ("the working class", False), ("people from Bradford", False), ("a first-class stamp", False),
]


@pytest.mark.parametrize("text", SCHOOL_CONTEXT_FIRES)
def test_school_context_fires(text):
    assert fired("discriminatory", text) == [text]


@pytest.mark.parametrize("text", SCHOOL_CONTEXT_FIRES)
def test_school_context_threshold_is_what_fires(text):
    """Without the school-context threshold the head's own (higher) one holds these back."""
    policy = dataclasses.replace(corpus_policy(), school_context_thresholds={})
    draft = Draft(text=text, account_type="personal")
    assert [f for f in TextChecker(policy).check(draft, NAMES) if f.rule == "discriminatory"] == []


@pytest.mark.parametrize("text", SCHOOL_CONTEXT_PASSES)
def test_school_context_passes(text):
    assert fired("discriminatory", text) == []


@pytest.mark.parametrize("text, expected", ABOUT_SCHOOL)
def test_about_school_people(text, expected):
    assert about_school_people(text) is expected
