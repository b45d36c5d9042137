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
    # the reprimands and the rebuke formula of a reply
    ("@millie_mum With respect Karen, nobody else had a problem with the letter.", ["With respect"]),
    ("Hi Mr Shaw, with all due respect, that is not what happened at the match.", ["with all due respect"]),
    ("Maybe read the whole post before commenting next time.", ["read the whole post before commenting"]),
    ("Check your facts, please.", ["Check your facts"]),
    ("We've already dealt with this twice, so the thread is now closed.", ["We've already dealt with this twice"]),
    ("The litter on the field this morning. Whoever did it should be ashamed of themselves.",
     ["should be ashamed of themselves"]),
    ("Frankly we expected better of a Year 11 leavers' do.", ["we expected better"]),
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
    "With respect to the new timetable, period 1 now starts at 8.50",
    "We treat everyone with respect, kindness and care.",
    "With respect and gratitude we remember Mr Hall, who taught here for 30 years.",
    "Please read the risk assessment before signing the consent form.",
    "Check with Mrs Kaur before posting any photos from the trip.",
    "We expected better weather for sports day, but the rain held off!",
    "We've answered all your questions about options evening in the FAQ below.",
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
