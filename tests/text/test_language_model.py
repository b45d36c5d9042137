"""The shipped language model: the file is the one the model card describes, it loads offline, and
its heads tell an insult, a generalisation about a group, a threat and the school heads from
ordinary school posts."""
import hashlib

import numpy as np
import pytest

from checks_common import default_policy
from text_checks.language_model import (DEEP_MODEL_PATH, DEEP_MODEL_SHA256, HEADS, MAX_PIECES, MODEL_PATH,
                                        MODEL_SHA256, Cascade, LanguageModel, Tokeniser, language_model)
from text_checks.wordpiece import WordPiece


def test_the_shipped_files_are_the_documented_ones():
    assert hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest() == MODEL_SHA256
    assert hashlib.sha256(DEEP_MODEL_PATH.read_bytes()).hexdigest() == DEEP_MODEL_SHA256


def test_it_loads_once_per_process():
    assert language_model() is language_model()
    assert language_model().heads == list(HEADS)


def test_every_head_has_a_threshold_in_the_policy():
    policy = default_policy()
    for table in (policy.model_thresholds, policy.fast_model_thresholds):
        assert set(table) == set(HEADS)
        assert all(0.5 <= t < 1.0 for t in table.values())


def test_wordpiece_splits_unknown_words_into_pieces():
    tok = WordPiece(["[PAD]", "[UNK]", "play", "##ing", "##ed", "foot", "##ball"])
    assert tok.encode("Playing football") == [2, 3, 5, 6]
    assert tok.encode("qqq") == [1]


def test_the_model_reads_at_most_max_pieces_between_cls_and_sep():
    tok = Tokeniser(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "word"])
    assert tok.ids("word @someone https://example.org word") == [2, 4, 4, 3]
    long = tok.ids("word " * 500)
    assert len(long) == MAX_PIECES and long[0] == 2 and long[-1] == 3


def test_word_order_changes_the_score():
    """A contextual encoder, not a bag of words: the same words in another order score differently
    (a pair that some head scores above nothing: two harmless sentences both score ~0 everywhere)."""
    model = language_model()
    a, b = model.scores(["nobody said you are an idiot", "you are an idiot said nobody"])
    assert not np.allclose(a, b, atol=1e-2)


@pytest.mark.parametrize("head, text", [
    ("insult", "you are a pathetic worthless idiot"),
    ("identity", "immigrants are ruining this country and should all be sent back"),
    ("threat", "i will find you and smash your face in"),
    ("grievance", "SLT have no idea what it is like in a classroom and keep piling on the workload"),
    ("gain", "I offer private tutoring for GCSE maths, message me for my rates"),
    ("controversial", "Join the picket line on Thursday and vote yes for strike action"),
    ("contempt", "Mrs Booth in the office has the personality of a wet weekend and the brains to match."),
])
def test_each_head_scores_its_kind_above_an_ordinary_post(head, text):
    model = language_model()
    k = model.head(head)
    scores = model.scores([text, "Year 7 had a lovely trip to the museum today, thank you to all the staff."])
    assert scores[0, k] > 0.5 > scores[1, k]


def test_scores_are_nearly_the_same_in_a_batch_and_alone():
    """Padding does not leak into a sentence's score; the int8 activations are quantised per batch,
    so a sentence's neighbours in the batch may move its score a little (measured: up to 0.03)."""
    model = language_model()
    texts = ["what a lovely day", "you are an idiot", "", "what a lovely day",
             "Thank you to every parent who came to the open evening last night, it was wonderful."]
    together = model.scores(texts)
    alone = np.vstack([model.scores([t]) for t in texts])
    assert np.allclose(together, alone, atol=0.05)
    assert np.array_equal(together[0], together[3])  # identical sentences are computed once
    assert isinstance(model, Cascade)


class Counting:
    """A model's stand-in that counts the texts it is asked to read."""

    def __init__(self, model: LanguageModel) -> None:
        self.model, self.read = model, []
        self.heads, self.tokeniser = model.heads, model.tokeniser

    def scores_of_ids(self, ids):
        self.read += ids
        return self.model.scores_of_ids(ids)


def test_the_deep_model_rereads_only_what_the_fast_one_doubts():
    shipped = language_model()
    deep = Counting(shipped.deep)
    cascade = Cascade(shipped.fast, shipped.deep)
    cascade.deep = deep
    ordinary = "Year 7 had a lovely trip to the museum today, thank you to all the staff."
    insult = "you are a pathetic worthless idiot"
    scores = cascade.scores([ordinary, insult])
    assert deep.read == [cascade.tokeniser.ids(insult)]
    assert np.allclose(scores[1], shipped.deep.scores([insult])[0])
    assert np.allclose(scores[0], shipped.fast.scores([ordinary])[0])


def test_the_gate_lies_below_every_threshold_and_the_settled_bound():
    """A text the deep model never reads keeps its fast scores, below the gate on every head: they
    can neither fire a rule at the deep thresholds nor unsettle a passage."""
    import text_checks.language_model as lm

    assert lm.GATE < lm.SETTLED
    assert all(lm.GATE < t for t in default_policy().model_thresholds.values())


def test_the_two_models_must_read_the_same_way():
    fast = language_model().fast
    odd = LanguageModel.__new__(LanguageModel)
    odd.heads, odd.tokeniser = ["insult"], fast.tokeniser
    with pytest.raises(ValueError):
        Cascade(fast, odd)


def test_a_settled_passage_is_the_same_as_reading_every_sentence():
    """sentence_scores skips the sentences of a passage that reaches no threshold: that may only
    skip work, never change a decision (SETTLED is the slur-context check's bound, or below it)."""
    from types import SimpleNamespace

    import text_checks.language_model as lm
    from text_checks.rules.language import SLUR_CONTEXT
    from text_checks.textutil import sentences

    assert lm.SETTLED <= SLUR_CONTEXT
    policy = default_policy()
    text = ("Thank you to every family who came to the summer fair. We raised a lot for the library. "
            "Honestly SLT do not care about staff at all, we are overworked and underpaid. See you in September!")
    spans = sentences(text)
    got = lm.sentence_scores(SimpleNamespace(cache={}, policy=policy), text, spans)
    model = language_model()
    pieces = [model.tokeniser.wordpiece.encode(lm.normalise(text[s:e])) for s, e in spans]
    alone = model.scores([text[s:e] for s, e in spans])
    for a, b in lm.passages([len(p) for p in pieces], MAX_PIECES - 2):
        for i in range(a, b):
            for k, head in enumerate(model.heads):
                bound = min(policy.model_threshold(head), lm.SETTLED) if head in ("insult", "identity") \
                    else policy.model_threshold(head)
                # either the sentence was read (its score is at most its own), or nothing reached the bound
                assert got[i, k] <= alone[i, k] + 0.05 or got[i, k] < bound


def test_passages_are_runs_of_neighbouring_sentences_that_fit():
    from text_checks.language_model import passages

    assert passages([10, 20, 40, 5, 70, 3], 62) == [(0, 2), (2, 4), (4, 5), (5, 6)]
    assert passages([], 62) == []


class Fixed:
    """A model's stand-in whose scores on every text are one fixed row."""

    def __init__(self, like: LanguageModel, row: list[float]) -> None:
        self.heads, self.tokeniser, self.row = like.heads, like.tokeniser, np.array(row, np.float32)

    def scores_of_ids(self, ids):
        return np.tile(self.row, (len(ids), 1))


def test_either_models_finding_counts_on_the_deep_thresholds_scale():
    """Where the fast model reaches its own threshold, the rule fires whatever the deep model says,
    with the fast score carried onto the deep scale (its threshold to the deep one, 1 to 1)."""
    import dataclasses

    from text_checks.language_model import policy_scores

    fast_model = language_model().fast
    k = HEADS.index("defamation")
    policy = dataclasses.replace(default_policy(), model_thresholds={"defamation": 0.6},
                                 fast_model_thresholds={"defamation": 0.5})
    row = lambda v: [v if h == "defamation" else 0.0 for h in HEADS]  # noqa: E731
    ids = [[1, 2, 3]]
    carried = policy_scores(Cascade(Fixed(fast_model, row(0.9)), Fixed(fast_model, row(0.1))), policy, ids)
    assert carried[0, k] == pytest.approx(0.6 + 0.4 * 0.4 / 0.5)
    doubted = policy_scores(Cascade(Fixed(fast_model, row(0.4)), Fixed(fast_model, row(0.1))), policy, ids)
    assert doubted[0, k] == pytest.approx(0.1)  # in doubt, below its own threshold: the deep model decides
    deep_found = policy_scores(Cascade(Fixed(fast_model, row(0.4)), Fixed(fast_model, row(0.8))), policy, ids)
    assert deep_found[0, k] == pytest.approx(0.8)
    alone = policy_scores(Fixed(fast_model, row(0.9)), policy, ids)  # one model (a candidate): its own scores
    assert alone[0, k] == pytest.approx(0.9)


def test_a_candidate_brings_the_thresholds_written_beside_it(tmp_path):
    import json
    import shutil

    from text_checks.language_model import candidate

    fast, deep = tmp_path / "fast.onnx", tmp_path / "deep.onnx"
    for path, model, value in ((fast, MODEL_PATH, 0.7), (deep, DEEP_MODEL_PATH, 0.8)):
        shutil.copy(model, path)
        path.with_suffix(".json").write_text(json.dumps({h: value for h in HEADS}))
    model, fields = candidate(fast, deep)  # both candidates: each model's own table
    assert isinstance(model, Cascade)
    assert fields == {"model_thresholds": {h: 0.8 for h in HEADS}, "fast_model_thresholds": {h: 0.7 for h in HEADS}}
    _, fields = candidate(None, deep)  # the shipped fast model keeps the policy's fast thresholds
    assert fields == {"model_thresholds": {h: 0.8 for h in HEADS}}
    model, fields = candidate(fast, None)
    assert isinstance(model, LanguageModel) and fields == {"model_thresholds": {h: 0.7 for h in HEADS}}
    with pytest.raises(ValueError):
        candidate(None, None)


def test_school_context_thresholds_lie_between_the_floor_and_the_heads_own():
    """A school-context threshold only ever lowers a head's threshold, never below calibration's floor."""
    policy = default_policy()
    assert set(policy.school_context_thresholds) <= set(HEADS)
    for head, t in policy.school_context_thresholds.items():
        assert 0.5 <= t <= policy.model_threshold(head)
        assert policy.school_context_threshold(head) == t
    assert policy.school_context_threshold("threat") == policy.model_threshold("threat")  # not listed: its own
