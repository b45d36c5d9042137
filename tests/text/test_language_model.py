"""The shipped language model: the file is the one the model card describes, it loads offline, and
its heads tell an insult, a generalisation about a group, a threat and the school heads from
ordinary school posts."""
import hashlib

import numpy as np
import pytest

from checks_common import default_policy
from text_checks.language_model import HEADS, MODEL_PATH, MODEL_SHA256, LanguageModel, language_model
from text_checks.wordpiece import WordPiece


def test_the_shipped_file_is_the_documented_one():
    assert hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest() == MODEL_SHA256


def test_it_loads_once_per_process():
    assert language_model() is language_model()
    assert language_model().heads == list(HEADS)


def test_every_head_has_a_threshold_in_the_policy():
    policy = default_policy()
    assert set(policy.model_thresholds) == set(HEADS)
    assert all(0.5 <= t < 1.0 for t in policy.model_thresholds.values())


def test_wordpiece_splits_unknown_words_into_pieces():
    tok = WordPiece(["[PAD]", "[UNK]", "play", "##ing", "##ed", "foot", "##ball"])
    assert tok.encode("Playing football") == [2, 3, 5, 6]
    assert tok.encode("qqq") == [1]


@pytest.mark.parametrize("head, text", [
    ("insult", "you are a pathetic worthless idiot"),
    ("identity", "immigrants are ruining this country and should all be sent back"),
    ("threat", "i will find you and smash your face in"),
    ("grievance", "SLT have no idea what it is like in a classroom and keep piling on the workload"),
    ("gain", "I offer private tutoring for GCSE maths, message me for my rates"),
    ("controversial", "Join the picket line on Thursday and vote yes for strike action"),
])
def test_each_head_scores_its_kind_above_an_ordinary_post(head, text):
    model = language_model()
    k = model.head(head)
    scores = model.scores([text, "Year 7 had a lovely trip to the museum today, thank you to all the staff."])
    assert scores[0, k] > 0.5 > scores[1, k]


def test_scores_are_the_same_in_a_batch_and_alone():
    model = language_model()
    texts = ["what a lovely day", "you are an idiot", ""]
    together = model.scores(texts)
    alone = np.vstack([model.scores([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-6)
    assert isinstance(model, LanguageModel)
