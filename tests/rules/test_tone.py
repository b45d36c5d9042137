"""tone: shouting in capitals and hostile sarcasm aimed at people."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("PARENTS PLEASE STOP PARKING ON THE ZIGZAGS", ["PARENTS PLEASE STOP PARKING ON THE ZIGZAGS"]),
    ("WHY DO YOU NEVER READ THE LETTERS", ["WHY DO YOU NEVER READ THE LETTERS"]),
    ("Well done to the genius who parked across the gates", ["Well done to the genius who parked"]),
    ("For the hundredth time, no dogs", ["For the hundredth time"]),
    ("Some parents clearly can't read", ["Some parents clearly can't read"]),
    ("Oh great, another email from the trust", ["Oh great, another"]),
    ("Is it really too much to ask?", ["Is it really too much to ask"]),
    # ironic thanks to one unnamed person, and telling people again
    ("Thanks to the gentleman in the Audi who saw fit to park on the zigzags", ["Thanks to the gentleman in the Audi who"]),
    ("Shout-out to the colleague who 'tidied' my desk. Lovely.", ["Shout-out to the colleague who"]),
    ("We have already explained this three times: the coach leaves at 8.", ["We have already explained this three times"]),
    ("If you'd read the newsletter you would know the date", ["If you'd read"]),
    # the sneer of a reply, ironic praise, exasperated capitals
    ("Funny how the 'forgotten' kits reappear on non-uniform day", ["Funny how"]),
    ("Third cover this week and an email saying wellbeing is the priority. Love that for us 🙃", ["Love that for us"]),
    ("Half of 8Y forgot their kit again. Amazing effort guys, truly inspirational 🙃", ["Amazing effort", "truly inspirational"]),
    ("To the parent who moaned about the costumes: perhaps you'd like to sew thirty yourself? 🙃", ["perhaps you'd like to"]),
    ("THE STAFF CAR PARK IS NOT A DROP-OFF ZONE", ["THE STAFF CAR PARK IS NOT A DROP-OFF ZONE"]),
]
PASSES = [
    "HUGE CONGRATULATIONS TO OUR U14 NETBALL TEAM!",
    "GCSE PE results day",
    "THANK YOU TO ALL OUR WONDERFUL VOLUNTEERS",
    "Well done to everyone who took part",
    "DON'T MISS OUR OPEN EVENING",
    "Thank you to the kind mum who donated forty books to the library, we really appreciate it",
    "Well done to the Year 10s who managed to raise £500 for the hospice",
    "Thanks to the dad who fixed our fence on Saturday!",
    "Our 'Reading Rocks' week starts Monday",
    "If you'd like a copy of the letter, ask at reception",
    "Congratulations to 7R, attendance winners for the third week running!",
    "Amazing effort from everyone at sports day, thank you!",
    "Perhaps you would like to join our PTA? Everyone is welcome",
    "Good luck with your exams, Year 11!",
    "Funny how quickly the summer went! Welcome back everyone",
    "Good luck with that maths test tomorrow Year 8, you've got this",
    "Love that for us! Our choir is singing at the Albert Hall",
    "Since some people asked, here are the dates for the Year 9 options evening",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("tone", text, account="school") == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("tone", text, account="school") == []
