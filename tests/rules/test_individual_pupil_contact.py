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
]
PASSES = [
    ("Well done Year 9 on your history projects!", "public"),
    ("@KJSMusic great concert!", "public"),
    ("Thanks @harrogateadvert", "public"),
    ("Parents, message us if you have any questions about the trip", "public"),
    ("@YorkMind thank you for your assembly, the pupils loved the lesson", "public"),
    ("@MrsPatel_Maths well done on your exam results analysis!", "public"),
    ("@harrogateadvert thanks for covering your readers' questions on exams", "public"),
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
