"""sensitive-pupil-info: sensitive topics next to an identifiable pupil or small group."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("Grace Hall from Y9 has been excluded", ["Grace Hall from Y9 has been excluded"]),
    ("Jack in 9B was excluded again", ["Jack in 9B was excluded"]),
    ("a Year 8 boy with ADHD kicked off", ["a Year 8 boy with ADHD"]),
    ("Lily in 7R has a severe nut allergy", ["Lily in 7R has a severe nut allergy"]),
    ("One of my Year 10s disclosed something", ["One of my Year 10s disclosed"]),
    ("Two Year 11 girls caught vaping", ["Two Year 11 girls caught vaping"]),
    ("Poor Mia is in hospital with her epilepsy", ["Mia is in hospital with her epilepsy"]),
    ("Ethan's EHCP review", ["Ethan's EHCP"]),
    ("Isla MacLeod has diabetes", ["Isla MacLeod has diabetes"]),
    ("My tutee Chloe is on free school meals", ["My tutee Chloe is on free school meals"]),
    ("@jbloggs09 got detention again", ["@jbloggs09 got detention"]),
    ("Spoke to Jack in 9B today. He was excluded again.", ["Jack in 9B today. He was excluded"]),
    ("Both boys were excluded", ["Both boys were excluded"]),
    ("My daughter has ADHD", ["My daughter has ADHD"]),
    # one child by their place in a team or a year, by initials, or "he" later in the next sentence
    ("Our Year 9 goalie played on after a hypo at half time", ["Our Year 9 goalie played on after a hypo"]),
    ("My Year 11 artist has been self-harming", ["My Year 11 artist has been self-harming"]),
    ("Our head girl is in foster care now", ["Our head girl is in foster care"]),
    ("So proud of our little no. 7, back after her cystic fibrosis op", ["our little no. 7, back after her cystic fibrosis"]),
    ("Welcome back A.J. from Year 10 after the concussion", ["A.J. from Year 10 after the concussion"]),
    ("One of my Year 8s told us about home. Social services are involved and he's with his nan.",
     ["One of my Year 8s told us about home. Social services"]),
    ("Our Year 12 rep has moved into supported lodgings", ["Our Year 12 rep has moved into supported lodgings"]),
    # an operation, treatment or injury someone had is health data too
    ("Jack Smith in Year 8 has been off having hospital treatment", ["Jack Smith in Year 8 has been off having hospital treatment"]),
    ("Get well soon Priya, recovering from her knee operation", ["Priya, recovering from her knee operation"]),
    ("Lucas broke his wrist at the weekend so he is sitting out PE", ["Lucas broke his wrist"]),
    ("Ava had surgery on Tuesday and is on crutches", ["Ava had surgery on Tuesday and is on crutches"]),
    # the pupil named, then spoken to in the next sentence
    ("Welcome back Noah Price! Lovely to see you in lessons after your operation",
     ["Noah Price! Lovely to see you in lessons after your operation"]),
    # staff shorthand: a child opening the sentence, a tutee
    ("Kid with ADHD in my period 4 threw a chair today", ["Kid with ADHD"]),
    ("My tutee has been on a part-time timetable for anxiety", ["My tutee has been on a part-time timetable for anxiety"]),
    ("So proud of Ethan Marsh, our autistic superstar, tonight", ["Ethan Marsh, our autistic"]),
]
PASSES = [
    # a first name that begins the name of a body, not a person
    "Our Christian Union ran a bake sale for the local food bank",
    "Grace Church food bank needs volunteers this Saturday",
    "Well done Ethan Marsh and our SEN team",
    "Ethan Marsh ran for our autism charity",
    "Claire, a shorter lunch helped our autistic learners cope with the unstructured time",
    "The new behaviour system might be too rigid for some of our SEN kids, Sarah",
    "Our SEN department's open evening is on Thursday",
    "No detentions for Year 9 this week",
    "Mental Health Awareness Week starts Monday",
    "Anti-bullying week with our ambassadors",
    "Ella raised £200 for a diabetes charity",
    "Harry ran for Cancer Research UK",
    "Detentions are on Tuesday in room 12",
    "Please send your forms back, Jack",
    "Safeguarding training for all staff",
    "Jack stole the show",
    "Sophie raised £80 for Diabetes UK",
    "Well done Jack! The detentions list is on the board.",
    "The pupils learned about diabetes in science",
    "The student council discussed exam anxiety",
    "Pupil of the week: Sam, for her project on dyslexia",
    # a titled adult is staff, "your child" is every parent, an organisation's handle is not a pupil
    "Please ask Mrs McAskill about medication for the residential",
    "Dr Patel from the surgery will talk to parents about asthma inhalers",
    "If your child has asthma, please make sure their inhaler is in school",
    "Does your son or daughter need medication during the trip? Tell Miss Hughes",
    "Thank you @YorkMind for a brilliant assembly on anxiety",
    "Great session from @NHSNorthYorks on diabetes and healthy eating",
    "Thanks @MrsSmith_PE for running the epilepsy awareness session",
    "Our Year 9 goalie made three brilliant saves today",
    "Our Year 12 rep spoke about the mental health charity run",
    "Feeling anxious about exams? Our drop-in is open every lunchtime",
    "Mr. Smith led the assembly on the refugee crisis",
    "Our shoebox appeal for Operation Christmas Child closes on Friday",
    "The GP surgery on Bond End runs a flu clinic for children this week",
    "Jack, the treatment room is next to the sports hall",
    "Well done Ella! If your child has asthma, please bring their inhaler on the trip",
    "Any child with asthma needs an inhaler on the trip",
    "Theatre trip: the operation of the stage lift was fascinating, thanks Josh",
    "Our Year 6 play 'The Operation' opens on Thursday, tickets from the office",
    "Huge thanks to Jack's dad, a surgeon, for the careers talk on what an operation involves",
    "Harvest service at St Peter's Church on Friday. Thank you for the food bank donations",
]

#: A pupil identifier names the pupil by itself: the medical detail next to it is still reported.
WITH_IDENTIFIER = [
    ("Pupil DOB 04/05/2014 has epilepsy and needs medication at lunch", "pupil-identifier"),
    ("UPN H801200001001 is diabetic, insulin in the office", "pupil-identifier"),
]


@pytest.mark.parametrize("text, other", WITH_IDENTIFIER)
def test_medical_detail_reported_next_to_an_identifier(text, other):
    from tests.rules.table import checker, NAMES
    from checks_common import Draft

    rules = {f.rule for f in checker(None).check(Draft(text=text, account_type="personal"), NAMES)}
    assert {"sensitive-pupil-info", other} <= rules


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("sensitive-pupil-info", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("sensitive-pupil-info", text) == []
