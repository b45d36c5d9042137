"""controversial-topic: politics, strikes, divisive topics."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("Closed Thursday due to strike action. We fully support our staff", ["strike action"]),
    # a notice that takes a side, or the strike day seen from a member of staff's own account
    ("School will be partially closed on Thursday for strike action. Our staff have every right to strike",
     ["strike action", "Our staff have every right to strike"]),
    ("School closed on Thursday for NEU strike action ✊", ["NEU strike"]),
    ("Will school be open on the strike day? Asking because a fair few of us will be out.", ["strike day"]),
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
    # a school's notice of what a strike or a vote means for the school day, taking no side
    "Closed Thursday due to strike action",
    "Due to national industrial action, the school will be closed to pupils on Wednesday. Work will be set on Teams.",
    "Reminder: school is open as normal on Friday despite the national rail strike. Please allow extra time.",
    "Support staff are taking strike action on Monday; the school will remain open but breakfast club will not run.",
    "Ahead of the general election, our Year 12s ran a mock election. The school does not support any party.",
    "The hall is a polling station for the by-election on Thursday, so please use the Elm Road entrance.",
    "Ballot boxes are out! Years 7-10 vote for their school council reps on Thursday.",
    # the topic taught, with its sides set out; a faith described, not argued
    "In RE today S3 explored different views on assisted dying from Christian, Humanist and Muslim perspectives.",
    "Sikhism is the fifth largest religion in the world. Great discussion in Year 8 RE today",
    "Born a Jew and baptised as a child, Benjamin Disraeli became Prime Minister in 1868.",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    account = "personal" if text.startswith("Will school") else "school"
    assert fired("controversial-topic", text, account=account) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("controversial-topic", text, account="school") == []
