"""individual-pupil-contact: a school account talking to one pupil."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("@jbloggs09 well done, see me tomorrow", "public", ["@jbloggs09"]),
    ("Hi, come and see me at break", "direct", [None]),
    ("Year 11s, DM us if you need help", "public", ["DM us"]),
    # a handle the roster does not list, answered about the pupil's own work
    ("@ellaw_2011 well done on your coursework, come and see me at lunch", "public", ["@ellaw_2011"]),
    ("@tomh07 you missed your detention again, see me in period 3", "public", ["@tomh07"]),
    # a handle ending in a school-age birth year, answered in the second person
    ("@sam.k.2011 love your drawing, tag us next time!", "public", ["@sam.k.2011"]),
    ("@jj_2008 great question in class today, thank you", "public", ["@jj_2008"]),
    # one pupil named, spoken to about school, and asked to get in touch privately
    ("Hi Oscar, was that your kit left after your Year 9 match? Send us a private message", "public", ["Oscar"]),
    ("Amira (10B) your solo was stunning! DM us and we'll send you the video", "public", ["Amira"]),
    # one pupil named and told, in public, what to do about their own school business
    ("Maisie in 5R, can you pop to the office tomorrow to collect your lost coat?", "public", ["Maisie"]),
    ("Freya Long (ULN 4812093756) your BTEC certificate has arrived! Collect it from reception", "public", ["Freya"]),
    ("Ethan: your UCAS reference is signed off, please check it before Friday", "public", ["Ethan"]),
    # a handle ending in a two-digit school-age year after a separator
    ("@jayden_runs_09 brilliant run today! See you at training Tuesday", "public", ["@jayden_runs_09"]),
]
PASSES = [
    ("Well done Year 9 on your history projects!", "public"),
    ("@KJSMusic great concert!", "public"),
    ("Thanks @harrogateadvert", "public"),
    ("Parents, message us if you have any questions about the trip", "public"),
    ("@YorkMind thank you for your assembly, the pupils loved the lesson", "public"),
    ("@MrsPatel_Maths well done on your exam results analysis!", "public"),
    ("@harrogateadvert thanks for covering your readers' questions on exams", "public"),
    ("Hi Karen, the trip letter is attached, message us with any questions", "public"),
    ("Congratulations Jack and the whole Year 9 team! Message us your photos for the newsletter", "public"),
    ("@harrogate2012fc thanks for a great game, see you next season", "public"),
    ("@dave_2010 thanks for the lift to the match, much appreciated", "public"),
    ("Karen, the trip letter is attached, please sign and return it by Friday", "public"),
    ("Jack, the treatment room is next to the sports hall", "public"),
    ("@MattJohnson10 see you at the conference tomorrow!", "public"),
    ("Ella and Sam, collect your certificates from reception", "public"),
]


@pytest.mark.parametrize("text, audience, words", FIRES)
def test_fires(text, audience, words):
    assert fired("individual-pupil-contact", text, account="school", audience=audience) == words


@pytest.mark.parametrize("text, audience", PASSES)
def test_passes(text, audience):
    assert fired("individual-pupil-contact", text, account="school", audience=audience) == []


def test_personal_account_is_not_this_rule():
    assert fired("individual-pupil-contact", "@jbloggs09 hi", account="personal") == []


def test_school_handle_counts_as_school_account():
    assert fired("individual-pupil-contact", "@jbloggs09 hi", account="personal", handle="@KJS_History") == ["@jbloggs09"]


#: Direct messages from a school account that are plainly to an adult or a business.
DIRECT_TO_ADULTS = [
    "Hi Rosie, thanks so much for offering to donate bread rolls for the Year 7 barbecue! Many thanks, Mr Clark",
    "Hi, could you confirm the pick-up time for our Year 7 trip? We have 52 students and 6 staff. Trips Office",
    "Hello, we'd love to bring Year 5 to your planetarium show in March. Do you have availability for 60 pupils?",
    # an adult greeted by title, a parent to be phoned back, a colleague with a class of their own
    "Hi Mrs Okoro, just to say Tayo was brilliant in the assembly today. Thank you for the costume!",
    "Hi Coach Lane, thanks for the session with our U13s. Same time next week?",
    "Thanks for getting in touch. Mr Shah will call you tomorrow to talk it through.",
    "Hi Priya, could you pop the trip letter on the class page? Thanks, Dan",
]


@pytest.mark.parametrize("text", DIRECT_TO_ADULTS)
def test_direct_message_to_an_adult(text):
    assert fired("individual-pupil-contact", text, account="school", audience="direct") == []


def test_a_reply_to_a_parent_about_a_call_is_not_to_a_pupil():
    text = "@helen_k_hg thank you for getting in touch. The head of Year 9 will call you tomorrow."
    assert fired("individual-pupil-contact", text, account="school") == []


def test_direct_message_about_your_work_is_to_a_pupil():
    text = "Hi, could you confirm you have handed in your coursework? Many thanks, Mr Clark"
    assert fired("individual-pupil-contact", text, account="school", audience="direct") == [None]
