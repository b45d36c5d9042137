"""derogatory: lexicon (with disguises), insults aimed at people, and the model; Scunthorpe safe."""
import pytest

from tests.rules.table import fired, findings

FIRES = [
    # an insult that is a noun for people, naming them ("the clowns at county hall"), and a class by its name
    ("Cheers to the clowns in the trust office for this rota", ["clowns"]),
    ("Those numpties from the county hall have done it again", ["numpties"]),
    ("9X4 were feral after lunch", ["feral"]),
    ("Year 8 were absolutely useless in the cross-country", ["useless"]),
    # profanity fires whoever it is aimed at, and an insult aimed at someone else still does
    ("I'm a fucking idiot", ["fucking", "idiot"]),
    ("I'm fine but you are such a muppet", ["muppet"]),
    ("Some of these parents are absolute idiots", ["idiots"]),
    ("What a load of sh1t", ["sh1t"]),
    ("The ref was a complete 1d10t", ["1d10t"]),
    ("the kids in my class are s.t.u.p.i.d", ["s.t.u.p.i.d"]),
    ("you are so stuuupid", ["stuuupid"]),
    ("what the f**k", ["f**k"]),
    ("s t u p i d people", ["s t u p i d"]),
    ("Those parents are clueless", ["clueless"]),
    ("Useless parents who can't read", ["Useless"]),
    ("He's such a prat", ["prat"]),
    ("What a bunch of pathetic losers", ["pathetic"]),
    ("the referee is an absolute muppet", ["muppet"]),
    ("shut it, you ugly cow", ["cow"]),
    # contempt in ordinary words: superlatives, belittling comparisons, the incompetence idiom, sneers
    ("Set 4 are the dimmest bunch of kids I have taught", ["the dimmest bunch of kids"]),
    ("Some of my Year 8s have the attention span of a goldfish", ["attention span of a goldfish"]),
    ("Their U14s played like a bunch of spoilt toddlers", ["played like a bunch of spoilt toddlers"]),
    ("Their keeper looked like he'd never seen a ball before", ["looked like he'd never seen a ball"]),
    ("The new deputy couldn't organise a bake sale if his life depended on it", ["couldn't organise a bake sale if his"]),
    ("Our new head is a jumped-up spreadsheet merchant", ["jumped-up"]),
    ("A dad who clearly peaked in Year 9 explained algebra to me", ["clearly peaked in Year 9"]),
    ("Some of these parents are every bit as clueless as their kids", ["clueless"]),
]
PASSES = [
    "The clowns at the circus were the highlight of the Year 2 trip",
    "The Muppets at the cinema for our end-of-term treat",
    "Feral cats have made a home behind the wildlife garden",
    "I'm such a numpty, left my lanyard on the bus",
    "Year 8 were brilliant in the cross-country",
    # self-deprecation and an allergy notice
    "I'm such a muppet, left my lanyard on the kitchen table again",
    "Yes, I am the idiot who booked the minibus for the wrong Saturday",
    "Please DO NOT send in any nuts or nut products in packed lunches.",
    "Dick Whittington panto tonight!",
    "Trip to Scunthorpe and Sussex",
    "We assess essays with cocktail sausages",
    "The printer is useless today",
    "Blue tits and a great tit on the trail",
    "Spotted dick for pudding",
    "Homo sapiens lesson",
    "Bloody hell, what a day",
    "the balls are in the PE cupboard",
    "Our Gay-Straight Alliance club meets Tuesdays",
    "Relationships and sex education evening",
    "a thick fog this morning",
    "Year 3 fed the pigs at the farm",
    "A rat was spotted near the bins",
    # the same words about things, or said kindly
    "The dimmest corner of the library is getting new lights",
    "Year 1 learned that a goldfish has a longer memory than people think",
    "Our Reception class played like a team of champions today",
    "He looked like he had never been happier, what a day for Sam",
    "The rudest awakening was the fire drill at 8am!",
    "Happy 100th birthday to Dorothy Pratt, who joined us in 1936!",
    "Mrs Pratt will run the chess club this term",
    "Which team played like a bunch of pros today? Our U12s!",
    "Couldn't organise a better trip if we tried, thank you to the staff",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert fired("derogatory", text) == words


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("derogatory", text) == []


def test_model_fires_without_lexicon_and_explains_score():
    [f] = findings("derogatory", "shut your mouth you ugly fat face")
    assert f.explanation["pattern"] == "model" and f.explanation["score"] >= 0.93
    assert f.redact_as == "[offensive word]"


def test_model_agrees_with_the_package():
    from profanity_check import predict_prob

    from text_checks.toxicity import toxicity_model

    texts = ["you are an idiot", "lovely day at sports day", "Scunthorpe", "what a load of rubbish"]
    ours = [toxicity_model().score(t).probability for t in texts]
    theirs = list(predict_prob(texts))
    assert all(abs(a - b) < 1e-9 for a, b in zip(ours, theirs))


@pytest.mark.parametrize("text, fires", [
    ("Mrs Booth in the office has the personality of a wet weekend and the brains to match.", True),
    ("Honestly that woman from the PTA is thick as two short planks.", True),
    ("Mrs Booth in the office kept the whole trip running, we owe her a cake.", False),
    ("I'm such a muppet, I left the minibus keys in the staffroom again.", False),
])
def test_contempt_head_reads_insults_in_staffs_own_voice(text, fires):
    """The `contempt` head (trained on our school-voice drafts only) fires derogatory by itself, with
    the public-trained `insult` head switched off."""
    import dataclasses

    from checks_common import Draft, default_policy
    from text_checks import check_text

    policy = default_policy()
    only_contempt = dataclasses.replace(policy, model_thresholds={**policy.model_thresholds, "insult": 1.0})
    got = [f for f in check_text(Draft(text=text, account_type="personal"), only_contempt) if f.rule == "derogatory"]
    assert bool(got) == fires, [f.explanation for f in got]
    if fires:
        assert got[0].explanation["kind"] == "language model: contempt"
