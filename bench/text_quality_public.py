"""The language rules on text nobody here wrote: public sets held out whole, real education posts,
and school-voice drafts nobody tuned on; alt-profanity-check alone side by side.

    .venv/bin/python bench/text_quality_public.py [--mirror /work/.mirror] [--limit 1500]
                                                  [--rotated SOURCE=MODEL.onnx ...] [--newsletters] [--blind] [--by-rule]
                                                  [--model CANDIDATE.onnx]

- shipped model: it never saw HateXplain (tools/train_language.py holds it aside), so HateXplain
  is scored with the shipped model and the policy's thresholds.
- --rotated ethos=/tmp/no-ethos.onnx: a model trained by the same recipe with that source held
  aside too (`tools/train_language.py --holdout hatexplain ethos --out /tmp/no-ethos.onnx`), with
  the thresholds it calibrated (the .json beside it), scores the source it never saw.
- "toxic caught": posts labelled hate or offensive on which derogatory, discriminatory or threat
  fires; "false alarms": posts labelled normal that contain no word from our offensive or slur lists
  (the target: ≤ 10 %), and on all normal posts.
- benign education posts: tests/data/text/benign/teacher_tweets.jsonl, and with --newsletters the
  paragraphs of a real primary school's newsletters and blog (snapshot ayton-ps/website); share of
  posts with any warn/block finding and with any language finding.
- --model: a candidate model (with the thresholds it calibrated, the .json beside it) in place of the
  shipped one for the whole run: run the bench once with and once without to compare before shipping;
  --deep: a candidate deep model behind the fast one (--model, else the shipped fast model), with the
  thresholds calibrated for that cascade (tools/train_language.py --fast); with both, each model's
  own thresholds.
- corpus: tests/data/text_corpus.jsonl (ours: in-sample); --blind: tests/data/text/blind_drafts*.jsonl, each
  written by someone who never saw the rules, measured once and never tuned on. Sets 1-6 are retired
  (tools/train_language.py RETIRED_BLIND): their misses have been read and a candidate recipe can train
  on them, so they are development figures now; sets 7 to 14 stay blind (10: written after the
  cascade round's changes, measured once; 11 to 14: each written at the start of a round, in two
  halves by two helpers, measured once before and once after that round's changes).
- kaggle insults: Kaggle's "Detecting Insults in Social Commentary" (amueller/kaggle_insults), held out
  whole like HateXplain: comments on news and blogs labelled for insults to a participant.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from checks_common import Draft, default_policy  # noqa: E402
from text_checks.engine import TextChecker  # noqa: E402
from text_checks.language_model import candidate, language_model, use_model  # noqa: E402
from text_checks.lexicon import word_lists  # noqa: E402
from text_checks.textutil import fold  # noqa: E402

LANGUAGE_RULES = {"derogatory", "discriminatory", "threat"}
BENIGN = ROOT / "tests" / "data" / "text" / "benign" / "teacher_tweets.jsonl"
# each written by someone who never saw the rules or the code (given the policy and the rule table)
BLIND = tuple(ROOT / "tests" / "data" / "text" / f"blind_drafts{n}.jsonl"
              for n in ("", "_2", "_3", "_4", "_5", "_6", "_7", "_8", "_9", "_10", "_11", "_12", "_13", "_14"))
CORPUS = ROOT / "tests" / "data" / "text_corpus.jsonl"


#: Public sets the shipped model was never trained on, though tools/train_language.py can read them.
HELD_OUT_SINCE = ("jigsaw", "olid")
#: Held out whole, never trained or calibrated on: Kaggle's "Detecting Insults in Social Commentary"
#: (Impermium, 2012; comments on news and blogs labelled for insults to a participant), both files.
INSULTS = ("amueller+kaggle_insults", "e4abac8", ("train.csv", "test_with_solutions.csv"))


def _unescape(text: str) -> str:
    """The set stores comments in triple quotes with Python-style escapes ("\\n", "\\xe2\\x80\\x99")."""
    text = text.strip().removeprefix('"').removesuffix('"').replace("\\\\", "\\")
    try:
        with warnings.catch_warnings():  # "\\/" and the like: kept as they are
            warnings.simplefilter("ignore", DeprecationWarning)
            text = text.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1", "replace")
        text = text.decode("utf-8", "replace")
    except (UnicodeError, ValueError):
        pass
    return re.sub(r"\s+", " ", text.replace("\ufffd", " ")).strip()


def load_insults(mirror: Path) -> list:
    import csv
    import io

    import train_language as tl

    folder, commit, paths = INSULTS
    rows = []
    for path in paths:
        for r in csv.DictReader(io.StringIO(tl.snapshot_file(mirror, folder, commit, path))):
            text = _unescape(r["Comment"])
            if text:
                rows.append(tl.Row(text, "insults", {"insult": int(r["Insult"] == "1")}))
    return rows


def profanity_free(text: str) -> bool:
    return not word_lists(()).scan(fold(text))


def score_public(rows, checker: TextChecker, limit: int, seed: int = 16) -> dict:
    from profanity_check import predict_prob

    rows = list(rows)
    random.Random(seed).shuffle(rows)
    rows = rows[:limit]
    out = {"toxic": 0, "caught": 0, "apc_caught": 0, "normal": 0, "fa": 0, "apc_fa": 0, "clean_normal": 0,
           "clean_fa": 0, "apc_clean_fa": 0}
    apc = predict_prob([r.text for r in rows])
    for r, p in zip(rows, apc):
        fired = any(f.rule in LANGUAGE_RULES for f in checker.check(Draft(text=r.text, account_type="personal")))
        if r.labels.get("insult"):
            out["toxic"] += 1
            out["caught"] += fired
            out["apc_caught"] += p >= 0.5
        else:
            out["normal"] += 1
            out["fa"] += fired
            out["apc_fa"] += p >= 0.5
            if profanity_free(r.text):
                out["clean_normal"] += 1
                out["clean_fa"] += fired
                out["apc_clean_fa"] += p >= 0.5
    return out


def print_public(name: str, note: str, s: dict) -> None:
    pct = lambda a, b: f"{a / b:6.1%}" if b else "   n/a"  # noqa: E731
    print(f"{name:28} {note:34} toxic caught {pct(s['caught'], s['toxic'])} (apc {pct(s['apc_caught'], s['toxic'])})"
          f" | false alarms, normal w/o profanity {pct(s['clean_fa'], s['clean_normal'])} "
          f"(apc {pct(s['apc_clean_fa'], s['clean_normal'])}), all normal {pct(s['fa'], s['normal'])} "
          f"(apc {pct(s['apc_fa'], s['normal'])})  n={s['toxic']}+{s['normal']}", flush=True)


def benign_rows(newsletters: bool, mirror: Path) -> dict[str, list[str]]:
    sets = {"teacher tweets (ISC)": [json.loads(line)["text"] for line in BENIGN.read_text().splitlines() if line.strip()]}
    if newsletters:
        git = mirror / "ayton-ps+website" / "repo"
        files = subprocess.run(["git", "--git-dir", str(git), "ls-tree", "-r", "--name-only", "e5f0f4ba"],
                               capture_output=True, text=True, check=True).stdout.split()
        paras = []
        for f in files:
            if not f.endswith(".md") or "/content/" not in f or "minutes" in f:
                continue
            body = subprocess.run(["git", "--git-dir", str(git), "show", f"e5f0f4ba:{f}"], capture_output=True,
                                  text=True).stdout
            body = re.sub(r"^---.*?---", "", body, flags=re.S)
            for p in re.split(r"\n\s*\n", body):
                p = re.sub(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|^#+\s*", "", p.strip(), flags=re.M).strip()
                if len(p) >= 40:
                    paras.append(p)
        sets["school newsletters+blog (no licence: not in repo)"] = paras
    return sets


def score_benign(texts: list[str], checker: TextChecker) -> tuple[int, int, int, list]:
    flagged = language = 0
    examples = []
    for t in texts:
        findings = checker.check(Draft(text=t, account_type="school"))
        if any(f.severity in {"warn", "block"} for f in findings):
            flagged += 1
            examples.append((t[:90], [(f.rule, f.severity) for f in findings]))
        if any(f.rule in LANGUAGE_RULES for f in findings):
            language += 1
    return flagged, language, len(texts), examples


def score_drafts(path: Path, checker_factory, by_rule: bool = False) -> None:
    from tests.support.evaluation import CORPUS_NO_PUBLISH, corpus_policy
    from text_checks.names import NoPublishNames

    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    checker = checker_factory(corpus_policy())
    names = NoPublishNames(CORPUS_NO_PUBLISH)
    expected_total = found = clean = clean_flagged = 0
    extra = 0
    missed: Counter[str] = Counter()
    wanted: Counter[str] = Counter()
    false: Counter[str] = Counter()
    for r in rows:
        expected = {e["rule"] if isinstance(e, dict) else e for e in (r.get("expected") or [])}
        draft = Draft(text=r["text"], account_type=r.get("account_type", "school"), audience=r.get("audience", "public"),
                      account_handle=r.get("account_handle"))
        fired = {f.rule for f in checker.check(draft, names)}
        if expected:
            expected_total += len(expected)
            found += len(expected & fired)
            extra += len(fired - expected)
            wanted.update(expected)
            missed.update(expected - fired)
        else:
            clean += 1
            clean_flagged += bool(fired)
            false.update(fired)
    print(f"{path.name}: {len(rows)} drafts; expected findings found {found}/{expected_total} = "
          f"{found / max(1, expected_total):.1%} (target ≥ 90 %); clean drafts flagged {clean_flagged}/{clean} = "
          f"{clean_flagged / max(1, clean):.1%} (target ≤ 5 %); extra rules on drafts with findings: {extra}")
    if by_rule:  # counts only: the drafts of a blind set are never printed
        print("   missed/expected: " + (", ".join(f"{r} {missed[r]}/{wanted[r]}" for r in sorted(wanted, key=lambda r: (-missed[r], r))
                                                 if missed[r]) or "none"))
        print("   rules on clean drafts: " + (", ".join(f"{r} {n}" for r, n in false.most_common()) or "none"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--limit", type=int, default=1500)
    ap.add_argument("--rotated", nargs="*", default=[], metavar="SOURCE=MODEL.onnx")
    ap.add_argument("--newsletters", action="store_true")
    ap.add_argument("--blind", action="store_true")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--by-rule", action="store_true", help="per rule, expected findings missed on each draft set (counts only)")
    ap.add_argument("--deep", type=Path, help="a deep model read after the fast one where it is in doubt (thresholds: the .json beside it)")
    ap.add_argument("--model", type=Path, help="a candidate model instead of the shipped one (thresholds: the .json beside it)")
    args = ap.parse_args()
    import train_language as tl

    policy = default_policy()
    make_checker = TextChecker
    if args.model or args.deep:
        model, fields = candidate(args.model, args.deep)
        use_model(model)
        make_checker = lambda p: TextChecker(dataclasses.replace(p, **fields))  # noqa: E731
        print(f"candidate model {args.model or 'shipped'}" + (f" + deep {args.deep}" if args.deep else "")
              + f" with thresholds {fields}")
    checker = make_checker(policy)
    which = "candidate model" if args.model or args.deep else "shipped model"
    public = tl.load_public(args.mirror) if args.mirror.exists() else {}
    print("== public sets (a post counts as caught when derogatory, discriminatory or threat fires)")
    if "hatexplain" in public:
        print_public("hatexplain (held out)", which, score_public(public["hatexplain"], checker, args.limit))
    for name in HELD_OUT_SINCE:
        if name in public:
            print_public(f"{name} (never trained on)", which,
                         score_public(public[name], checker, args.limit))
    if (args.mirror / INSULTS[0]).exists():
        print_public("kaggle insults (held out)", which,
                     score_public(load_insults(args.mirror), checker, args.limit))
    for spec in args.rotated:
        held, path = spec.split("=", 1)
        held_out_model, held_out_fields = candidate(Path(path), None)
        use_model(held_out_model)
        rotated = TextChecker(dataclasses.replace(policy, **held_out_fields))
        print_public(f"{held} (held out)", f"model trained without it ({Path(path).name})",
                     score_public(public[held], rotated, args.limit))
        use_model(model if args.model or args.deep else None)
    print("== benign education posts (share with any warn/block finding; any language finding)")
    for name, texts in benign_rows(args.newsletters, args.mirror).items():
        flagged, language, n, examples = score_benign(texts, checker)
        print(f"{name:52} warn/block {flagged}/{n} = {flagged / max(1, n):.1%} (target ≤ 1 %); "
              f"language rules {language}/{n}")
        if args.show:
            for e in examples:
                print("   ", e)
    print("== school-voice drafts")
    score_drafts(CORPUS, make_checker, args.by_rule)
    print("   (our own corpus: in-sample, the model was trained on it; bench/text_quality.py has per-rule figures)")
    if args.blind:
        for path in BLIND:
            print("blind, retired:" if path in tl.RETIRED_BLIND else "blind, measured once:", end=" ")
            score_drafts(path, make_checker, args.by_rule)
    _ = language_model


if __name__ == "__main__":
    main()
