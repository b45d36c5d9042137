"""What the language model lets the rules see that their word lists cannot (table tests per kind).

Each case is a kind of miss named in issue 16: an insult with no swear word, a discriminatory
generalisation with no slur, a coded or misspelled slur, a pay or workload grievance about leaders,
paid tutoring offered to the school's families, a reply to a journalist, a strike or union call from
a school account, a threat. Each has harmless school posts beside it that must pass.
"""
import pytest

from tests.rules.table import checker, NAMES, findings
from checks_common import Draft

FIRES = [
    # (rule, account, text)
    ("derogatory", "personal", "Honestly our new deputy is a complete waste of space and everyone knows it."),
    ("derogatory", "personal", "That woman from the PTA is a spiteful, nasty piece of work."),
    ("discriminatory", "personal", "Women are just too emotional to be running a school."),
    ("discriminatory", "personal", "Female heads are always too emotional to make hard calls."),
    ("discriminatory", "personal", "Muslims never integrate, they are all the same."),
    ("discriminatory", "personal", "Saw a bunch of n1gg3rs at the match"),
    ("threat", "personal", "If that ref does that again I'll batter him."),
    ("threat", "personal", "Keep talking and you will end up in hospital, mate."),
    ("internal-grievance", "personal", "Another pay freeze while SLT give themselves bonuses, we are overworked and nobody upstairs cares."),
    ("internal-grievance", "personal", "Twelve hour days, endless marking and management just add more data drops."),
    ("personal-gain", "personal", "Parents, I am offering private maths tutoring after school, £30 an hour, message me."),
    ("personal-gain", "school", "I tutor GCSE chemistry at weekends if any families need help, rates on request."),
    ("journalist-contact", "personal", "@yorkshirepost happy to tell you what really happened at the school, DM me."),
    ("controversial-topic", "school", "All out on Thursday! Join the picket line and support our union's strike for fair pay."),
    # someone else's material shared in words no repost marker lists
    ("third-party-content", "school", "Found this brilliant poster online, printing it for every classroom!"),
]
PASSES = [
    ("school", "Year 9 had a brilliant time at the science museum today, thank you to all the staff."),
    ("school", "Please pay for the trip on ParentPay by Friday; letters went home today."),
    ("school", "What a strike from Ellie to win the match in the last minute!"),
    ("school", "Our head of maths will lead the parents' workshop on helping at home."),
    ("school", "Year 10 have been studying the suffragettes and the fight for women's right to vote."),
    ("school", "Thank you to the Harrogate Advertiser for the lovely article about our choir."),
    ("school", "Private study is in the library for Year 13 this afternoon."),
    ("school", "RE this term: pupils explore Islam, Judaism and Christianity with visiting speakers."),
    ("school", "Year 11 are going to smash their mocks, we are so proud of their hard work!"),
    ("personal", "Exhausted after parents' evening but so proud of my tutor group."),
    ("school", "The school will stay open on the national strike day; see the letter for details."),
    ("school", "Anti-bullying week: pupils wrote kind messages for every classmate."),
    # words the model once read as insults on their own: groups, faiths, disabilities, everyday words
    ("school", "The accessible toilet for disabled visitors is opposite the main hall."),
    ("school", "Eid Mubarak to all our Muslim families celebrating this weekend!"),
    ("school", "Gypsy, Roma and Traveller History Month starts on Monday with a visiting storyteller."),
    ("school", "What are your fave books this half term? Tell us in the comments!"),
    ("school", "Our pupils speak 31 languages at home, from Polish and Urdu to Tigrinya and Romanian."),
    ("school", "Wheelchair basketball taster for Year 8 on Friday: everyone welcome, no experience needed."),
    ("school", "Women in engineering breakfast: three female engineers talk to Year 12 about their careers."),
    ("personal", "Absolute legend of a goalkeeper today, the lads smashed it. Views my own."),
    ("school", "Year 10 biologists learnt how hormones and the X and Y chromosomes shape development."),
    ("school", "Coffee morning for refugee and asylum-seeking families in the library at 9, interpreters on hand."),
]


@pytest.mark.parametrize("rule, account, text", FIRES)
def test_model_fires(rule, account, text):
    got = findings(rule, text, account=account)
    assert got, f"{rule} did not fire"
    f = got[0]
    assert f.clause.text and f.message and f.suggestion  # cites the clause and says how to fix
    assert f.span and text[f.span[0]:f.span[1]].strip()  # quotes the words


@pytest.mark.parametrize("account, text", PASSES)
def test_school_posts_pass(account, text):
    got = checker(None).check(Draft(text=text, account_type=account), NAMES)
    assert [f.rule for f in got if f.severity in {"warn", "block"}] == []


def test_model_finding_says_it_is_the_model():
    f = findings("derogatory", "Honestly our new deputy is a complete waste of space and everyone knows it.")[0]
    assert f.explanation["pattern"] in {"model", "lexicon"}


@pytest.mark.parametrize("text", [
    "A Year 10 girl told me she's pregnant and I need to speak to the safeguarding lead.",
    "We're proud to be a Sanctuary School: refugee week activities start Monday.",
])
def test_one_persons_circumstances_are_not_a_statement_about_a_group(text):
    """The identity head alone fires only on a sentence that speaks of a group as a whole."""
    assert findings("discriminatory", text, account="personal") == []
