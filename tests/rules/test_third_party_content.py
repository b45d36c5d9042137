"""third-party-content: shared material without acknowledgement."""
import pytest

from tests.rules.table import fired

QUOTE = "\"The best teachers teach from the heart, not from the book.\""
FIRES = [
    ("Found this online: " + QUOTE, ["Found this online", QUOTE]),
    ("Pic from Google but it sums up Monday", ["Pic from Google"]),
    ("Not my photo, but stunning", ["Not my photo"]),
    ("Saw this on Facebook, great idea", ["Saw this on Facebook"]),
    ("RT this is brilliant", ["RT"]),
    # a source said but not named
    ("Brilliant stretches, copied from a yoga account I follow", ["copied from a yoga account"]),
    ("Great shots of the relay, we grabbed these off the county website", ["grabbed these off the county website"]),
    ("A lovely Romans worksheet we found online, download below", ["we found online"]),
    ("Gorgeous poster, no idea who made it", ["no idea who made"]),
    # a quotation in single quotes presented as one, and sources nobody is named for
    ("Poem of the week: 'Hope is the thing with feathers that perches in the soul'", ["'Hope is the thing with feathers that perches in the soul'"]),
    ("Found it on Facebook, not sure whose it is but too good not to share!", ["Found it on Facebook", "not sure whose it"]),
    ("Behind a paywall, so here's the full article for you all", ["here's the full article"]),
    # a short quotation before a long one pairs its own quotes; a colon after a sharing phrase names nobody
    ('"Wow" is all I can say. "Be the change that you wish to see in the world, every single day."',
     ['"Be the change that you wish to see in the world, every single day."']),
    ("Had to share: " + QUOTE, [QUOTE]),
]
PASSES = [
    "Shared from @YorkshireWildlifeTrust: how to make a bug hotel with your children this weekend.",
    "Sharing this infographic, via @chemteacher",
    QUOTE + " - Anon Teacher",
    "\"It was the best day of the whole year,\" said one Year 7 pupil",
    "RT @KJSMusic: concert tickets on sale",
    "A \"big\" day for Year 7",
    "“Be the change you wish to see in the world” Gandhi",
    "\"The more that you read, the more things you will know.\" Dr. Seuss",
    '"The more that you read, the more things you will know. The more that you learn, the more places you will go." — Dr. Seuss',
    '"Education is the most powerful weapon which you can use to change the world". - Nelson Mandela',
    '“Live as if you were to die tomorrow. Learn as if you were to live forever.”\n— Mahatma Gandhi',
    "Results grabbed from the Yorkshire Schools Athletics website, well done all",
    "Recipe copied from Mrs Hall's baking blog with her permission",
    "Tickets are online now",
    "Please don't post photos you found online of other children",
    "We got these from the PTA shop",
    "Our debaters argued 'This house would lower the voting age to sixteen' and won",
    "Me in September: 'this year I will stay on top of my marking.' Me in October: oh dear",
    "Year 9 said 'it's the best trip we have ever been on' as they got off the coach",
    "Our archive turned up a 1952 Yorkshire Post article about the school: come and see it in the library",
    "Sharing this really useful guide to student finance from UCAS, well worth a read",
    # the speaker named before the quotation: a pupil, a class's answer, the writer, a debate's motion, a task
    'A Year 7 told her friend today: "Calling someone that isn\'t banter, it\'s sexist and it\'s not ok."',
    'We asked Year 6 what makes a good friend. Top answer: "Someone who doesn\'t laugh when you fall over."',
    'Me: "right, who can tell me what a metaphor is?" Also me, ten minutes later, looking for my lanyard.',
    'Our sixth-form debaters argued "This house would lower the voting age to 16" at the regional final.',
    'Y8 creative writing: "write a tense scene where someone is being followed". Chilling results!',
    # the words between two short quotations are not a quotation
    '"Stupid" is banned in my classroom. It\'s been replaced with "I haven\'t worked it out yet".',
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("third-party-content", text, account="school") == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("third-party-content", text, account="school") == []
