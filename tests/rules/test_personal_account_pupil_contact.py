"""personal-account-pupil-contact: personal accounts engaging pupils or parents."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("@jbloggs09 haha see you in period 3", ["@jbloggs09"]),
    ("@SarahBMum thanks for the card", ["@SarahBMum"]),
    ("Year 11s, add me on snap for help", ["add me"]),
    ("My students can follow me here", ["follow me"]),
    ("Parents, feel free to message me here about homework", ["message me"]),
    # accepting pupils' or parents' requests, a personal address offered to parents
    ("Finally accepted all the follow requests from my Y10 tutor group", ["accepted all the follow requests"]),
    ("Accepted friend requests from a few of my form's mums, lovely to keep you updated", ["Accepted friend requests"]),
    ("If any parents want to chat about the trip, my personal email is jo.b82@gmail.com", ["my personal email"]),
    # a reply to a young person's handle about their school life
    ("@maisie_runs_09 well done on your GCSEs, see you in the sixth form!", ["@maisie_runs_09"]),
    ("@ellie_w09 well done on your GCSEs!! See you in the sixth form", ["@ellie_w09"]),  # an initial, a year
]
#: Direct messages from a personal account that are to a pupil or a parent.
DIRECT_FIRES = [
    ("Hi Mrs Dawson, it's Miss Reid from school! Just message me here about Tyler's reading",
     ["it's Miss Reid from school"]),
    ("Hey, saw your story, you ok? Here if you need to talk. See you in form tomorrow x", ["See you in form"]),
    ("Don't forget your coursework is due on Monday, any questions just ask", ["your coursework"]),
]
PASSES = [
    "Good luck to all our Year 11s tomorrow!",
    "@bestfriend happy birthday!",
    "Follow me on my running journey",
    "Accepted the follow requests from my running club, welcome all",
    "My personal best at parkrun today: 24:10!",
    "@dave_85 see you at five-a-side tonight",
    "@jennyjump11 looks incredible, congrats to you for inspiring those students",
    "@kjs_u12 see you at training tonight",
    "@MrsT_teachesEng loved your thread on retrieval practice, DM me and we can swap Year 9 resources",
]
#: Direct messages between colleagues and friends.
DIRECT_PASSES = [
    "Hi Sarah, can you cover my Year 9s in period 3? They're doing coursework",
    "See you in the staffroom at break, I'll bring the biscuits",
    "It's Mike from five-a-side, are we still on for Thursday?",
]


@pytest.mark.parametrize("text, words", DIRECT_FIRES)
def test_direct_message_to_a_pupil_or_parent(text, words):
    assert fired("personal-account-pupil-contact", text, audience="direct") == words


@pytest.mark.parametrize("text", DIRECT_PASSES)
def test_direct_message_to_a_colleague(text):
    assert fired("personal-account-pupil-contact", text, audience="direct") == []


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("personal-account-pupil-contact", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("personal-account-pupil-contact", text) == []


def test_school_account_is_not_this_rule():
    assert fired("personal-account-pupil-contact", "@jbloggs09 hi", account="school") == []
