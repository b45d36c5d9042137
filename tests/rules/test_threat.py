"""threat: threats of violence or harm (phrases, and the language model for other wordings)."""
import pytest

from tests.rules.table import fired

FIRES = [
    # the harm to the person, their family or their things, named without the blow
    ("Give me five minutes in a room with that linesman and we'll see", ["five minutes in a room with that"]),
    ("Carry on like that and she'll be needing stitches", ["she'll be needing stitches"]),
    ("Nice motor by the way. I know which car is his", ["I know which car is his"]),
    ("We know where your kids go, remember that", ["We know where your kids go"]),
    ("Message my staff again and I'll be turning up at your front door", ["I'll be turning up at your front door"]),
    ("Complain to the governors and I will make sure everyone knows what you did in Year 9",
     ["I will make sure everyone knows what you did"]),
    ("Park there again and your tyres will be let down", ["tyres will be let down"]),
    ("Those lads will get what's coming to them", ["get what's coming to them"]),
    ("The new bursar wants to watch her back", ["watch her back"]),
    # two pieces of menace together, neither a threat alone
    ("Think very carefully before you post about my department again. Last warning.",
     ["Think very carefully before you post about my department again. Last warning"]),
    ("Keep it up and see where it gets you. People here have long memories.",
     ["see where it gets you. People here have long memories"]),
    ("He is lucky I was on duty and not off. I am not joking.", ["He is lucky I was on duty and not off. I am not joking"]),
    ("If that ref does that again I'll batter him", ["I'll batter"]),
    ("Watch your back, Mr Jones", ["Watch your back"]),
    ("I know where she lives", ["I know where she lives"]),
    ("Someone should shoot the lot of them", ["Someone should shoot"]),
    ("You'll regret this", ["You'll regret this"]),
    ("People like that deserve a bullet", ["deserve a bullet"]),
    ("kys loser", ["kys"]),
    # veiled: the harm to come, not the blow
    ("Say that about my kids again and you'll be needing a dentist", ["be needing a dentist"]),
    ("Park across my drive once more and you'll be leaving in an ambulance", ["leaving in an ambulance"]),
    ("Whoever wrecked the art room will be carrying their teeth home", ["carrying their teeth home"]),
    ("Do that again and I'll put him through the wall", ["put him through the wall"]),
    ("Touch my bike again and I will break your legs", ["break your legs"]),
    ("Come near our pupils again and see what happens", ["Come near our pupils again"]),
    ("You'd best not show your face at the gates on Monday", ["best not show your face"]),
    ("Spreading rumours about me? I'd watch yourself", ["I'd watch yourself"]),
    ("Would love to meet him in a dark alley", ["meet him in a dark alley"]),
    ("I know where he parks", ["I know where he parks"]),
    ("Cross me again and you're a dead man", ["you're a dead man"]),
    # veiled: what is coming, not the blow
    ("Bike shed vandals: enjoy your last week alive", ["your last week alive"]),
    ("Whoever scratched my car had better pray I never find out who it was", ["better pray I never find"]),
    ("When I know it was you, you'll wish you'd stayed at home", ["you'll wish you'd stayed at home"]),
    ("Ref, I'd keep looking over your shoulder in the car park", ["I'd keep looking over your shoulder"]),
    ("Some of those boys need a proper slap, not a detention", ["need a proper slap"]),
    ("One more fire alarm and someone is going out of the second floor window", ["someone is going out of the second floor window"]),
    ("Our lads know where your club plays, see you next season", ["lads know where your club plays"]),
    # two menacing phrases together
    ("We know exactly who you are. I'd be careful walking past the school.",
     ["know exactly who you are. I'd be careful walking"]),
    ("Speak to me like that at the gate again and see what happens", ["Speak to me like that at the gate again and see what happens"]),
    # two kinds of menace together
    ("Try it again and our sixth formers will be at the stop. You've been warned.",
     ["Try it again and our sixth formers will be at the stop. You've been warned"]),
]
PASSES = [
    "Five minutes with the new library books and Year 7 were hooked",
    "Staging crew: watch your back when lifting the blocks, bend your knees",
    "I found out the hard way that the minibus needs booking a term ahead",
    "Final warning for the Year 10 trip forms: they're due Friday!",
    "We wouldn't want anything to happen to your child's coat, so please label it",
    "The timetable wants sorting out before September, thanks to Mrs Khan for taking it on",
    "Father Christmas will be turning up at the PTA fair on Saturday",
    "Please make sure everyone knows about the new bus times",
    "Spare tyres for the minibus are in the site team's store",
    "We'll be waiting for you at the finish line with medals!",
    "Parents: we'll be waiting at the gate with hot chocolate. You've been warned, it's a sugar rush",
    "Try it again and you'll get it! You've been warned: the quiz is hard",
    "Year 11 are going to smash their exams!",
    "Our choir will kill it at the festival on Saturday",
    "We will beat the record for the most books read this term",
    "I'll hit the deadline for reports, just about",
    "Macbeth: Year 10 act out the murder of Duncan",
    "Police visited to talk about knife crime and how to stay safe",
    "Sports day: we will smash the 4x100 relay record",
    "Year 9 met a paramedic and climbed inside an ambulance",
    "A huge thank you to the dentist who visited Reception today",
    "Please don't leave bags in the corridor, someone will trip over them",
    "Come and meet our team at the open evening",
    "The break room will be closed for painting next week",
    "Watch yourselves on the icy paths this morning",
    "Reminder: children must not go near the pond area",
    "You're dead right, the concert was brilliant",
    "If you're unwell, please go home and rest",
    "Break a leg to our cast of Oliver tonight!",
    "Staff v pupils netball tomorrow, you've been warned!",
    "Science club: mix the two liquids, try it again with warm water and see what happens",
    "Parents, we'll be waiting for you in the hall with tea and cake",
    "Do you know where your child plays after school? Our online safety evening is on Tuesday",
    "You'd better hope the weather holds for sports day!",
    "Last week of term: enjoy the break, you've earned it",
    "We know exactly who you are, Year 11 leavers: the ones who organised the best prom ever! 👊",
    "Fire drill tip: if you are near a window, keep looking over your shoulder for the marshal",
    "Parents, we'll be waiting for you at the gate. It's a small town so car share if you can!",
    "This is your last week alive as Year 6! Next stop, secondary school",
    "Sports day: you'll wish you'd packed sun cream!",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("threat", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("threat", text) == []

