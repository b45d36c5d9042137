"""defamation-risk: accusations about an identifiable person."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("Mr Smith is a liar", ["Mr Smith is a liar"]),
    ("the bursar has been fiddling the books", ["the bursar has been fiddling the books"]),
    ("Mrs Jenkins turned up drunk at school", ["Mrs Jenkins turned up drunk at school"]),
    ("@coachdave cheated in the final", ["@coachdave cheated"]),
    ("Sarah Kent stole money from the PTA", ["Sarah Kent stole"]),
    # titles and roles with a qualifier, more wrongdoing, insinuation in scare quotes
    ("Cllr Barker has been pocketing the ward budget", ["Cllr Barker has been pocketing"]),
    ("Their PE teacher shoved one of our Year 9s at the final whistle", ["Their PE teacher shoved one of our Year 9s"]),
    ("The former caretaker 'borrowed' the school mower for three summers", ["The former caretaker 'borrowed'"]),
    ("Avoid that ticket agency, absolute crooks", ["that ticket agency, absolute crooks"]),
    # accusations worded as what someone does, not what they are
    ("Jane Holt at EduRecruit pockets the fees and doesn't pay her staff", ["Jane Holt at EduRecruit pockets the"]),
    ("That coach from Harrogate was clearly half cut on the touchline", ["That coach from Harrogate was clearly half cut"]),
    ("Mr Pike has been driving children about after a drink", ["Mr Pike has been driving children about after a drink"]),
    ("My old head of department took my scheme of work and put his name on it", ["My old head of department took my scheme of work and put his name on it"]),
    ("Our business manager gave the contracts to his brother-in-law's firm for years", ["Our business manager gave the contracts to his brother-in-law's firm"]),
    ("@dave_parent you have been spreading lies about our staff", ["@dave_parent you have been spreading lies"]),
]
PASSES = [
    # good news about named staff, which the model alone once read as an accusation
    "Congratulations to Mr Harris, who has been appointed Deputy Headteacher from September.",
    "After 19 years looking after our building, Mr Doyle is retiring. Thank you, Mr Doyle!",
    "Jack stole the show in Oliver!",
    "a liar, a thief and a ghost walk into Macbeth's castle",
    "Mr Smith is a legend",
    "Nobody lied about the score",
    "Year 4 were raided by 'Vikings' (Mrs Holt in costume) who 'stole' the class treasure",
    "Our new head of year lost her voice after the concert",
    "Councillor Patel opened the new library today",
    "The coach pushed the team hard in training",
    "Mrs Khan spoke at the assembly about the dangers of drink-driving with the Year 12s",
    "Our business manager has put the new contracts on the staff portal",
    "Jack sold the most raffle tickets as his own fundraising challenge",
    "Our head of maths has put his name on the list for the charity run",
    "The coach driver was half an hour early, brilliant service",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("defamation-risk", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("defamation-risk", text) == []
