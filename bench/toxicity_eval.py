"""How well `derogatory` + `discriminatory` separate toxic from clean comments in a labelled CSV.

    .venv/bin/python bench/toxicity_eval.py PATH.csv [--text-col C] [--label-col L] [--positive V ...] [--limit N]

Works with the Jigsaw Toxic Comment Classification `train.csv` (comment_text, toxic, …; toxic = any
of the six labels), with Davidson et al.'s hate-speech CSV (tweet, class: 0 hate, 1 offensive,
2 neither) and with any CSV that has a text column and a 0/1 label column. Prints the share of
toxic comments either rule fires on (target ≥ 80 %) and the share of clean ones (target ≤ 10 %).

No such public data set ships with any installed package and this machine has no internet, so
the figures in docs/text-rules.md come from `tests/data/text/toxicity_sample.csv` (written by
us, NOT public data); run this script on a public set to get the real figure.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks_common import Draft, default_policy  # noqa: E402
from text_checks.engine import TextChecker  # noqa: E402
from text_checks.registry import TEXT_RULES  # noqa: E402

JIGSAW_LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")


def is_toxic(row: dict[str, str], label_col: str | None, positive: set[str]) -> bool:
    if label_col:
        return row[label_col].strip() in positive
    if all(col in row for col in JIGSAW_LABELS):
        return any(row[col].strip() == "1" for col in JIGSAW_LABELS)
    if "class" in row:  # Davidson: 0 hate speech, 1 offensive, 2 neither
        return row["class"].strip() in {"0", "1"}
    for col in ("label", "toxic", "is_toxic", "offensive"):
        if col in row:
            return row[col].strip().lower() in {"1", "true", "yes", "toxic", "offensive"}
    raise SystemExit("cannot find a label column; pass --label-col")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--text-col")
    parser.add_argument("--label-col")
    parser.add_argument("--positive", nargs="*", default=["1"])
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    rules = tuple(c for c in TEXT_RULES if c.id in {"derogatory", "discriminatory"})
    checker = TextChecker(default_policy(), rules)
    counts = Counter()
    how = Counter()
    with open(args.path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        text_col = args.text_col or next(c for c in ("comment_text", "text", "tweet", "comment") if c in reader.fieldnames)
        for n, row in enumerate(reader):
            if args.limit and n >= args.limit:
                break
            toxic = is_toxic(row, args.label_col, set(args.positive))
            findings = checker.check(Draft(text=row[text_col], account_type="personal"))
            fired = bool(findings)
            counts[(toxic, fired)] += 1
            for f in findings[:1]:
                how[(toxic, f.rule, f.explanation.get("pattern"))] += 1
    toxic_total = counts[(True, True)] + counts[(True, False)]
    clean_total = counts[(False, True)] + counts[(False, False)]
    caught = counts[(True, True)] / toxic_total if toxic_total else float("nan")
    false_alarms = counts[(False, True)] / clean_total if clean_total else float("nan")
    print(f"data: {args.path}: {toxic_total} toxic, {clean_total} clean comments")
    print(f"toxic caught:       {counts[(True, True)]:6} / {toxic_total:<6} = {caught:6.1%}   (target ≥ 80 %)")
    print(f"clean false alarms: {counts[(False, True)]:6} / {clean_total:<6} = {false_alarms:6.1%}   (target ≤ 10 %)")
    print("first finding per comment, by rule and what fired it:")
    for (toxic, rule, pattern), count in sorted(how.items(), key=lambda kv: -kv[1]):
        print(f"  {'toxic' if toxic else 'clean':5} {rule:15} {pattern or '-':10} {count}")


if __name__ == "__main__":
    main()
