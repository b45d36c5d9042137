"""Precision and recall of every text rule on the labelled corpus (tests/data/text_corpus.jsonl).

    .venv/bin/python bench/text_quality.py [--show]     # --show lists the drafts that disagree
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.evaluation import evaluate, load_corpus  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "text_corpus.jsonl"
RECALL_TARGETS = {"no-publish-name": 0.95, "pupil-identifier": 0.95, "sensitive-pupil-info": 0.95}
PRECISION_TARGET = 0.9


def main() -> None:
    rows = load_corpus(CORPUS)
    result = evaluate(rows)
    print(f"corpus: {len(rows)} drafts, {sum(1 for r in rows if r['expected'])} with expected findings, "
          f"{sum(1 for r in rows if not r['expected'])} clean")
    print(f"{'rule':34} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}  target")
    for rule, s in sorted(result.scores.items()):
        target = f"P≥{PRECISION_TARGET}" + (f", R≥{RECALL_TARGETS[rule]}" if rule in RECALL_TARGETS else "")
        met = s.precision >= PRECISION_TARGET and s.recall >= RECALL_TARGETS.get(rule, 0)
        print(f"{rule:34} {s.tp:4} {s.fp:4} {s.fn:4} {s.precision:10.3f} {s.recall:8.3f}  {target} {'ok' if met else 'MISSED'}")
    total_tp = sum(s.tp for s in result.scores.values())
    total_fp = sum(s.fp for s in result.scores.values())
    total_fn = sum(s.fn for s in result.scores.values())
    print(f"{'all rules (micro)':34} {total_tp:4} {total_fp:4} {total_fn:4} "
          f"{total_tp / max(1, total_tp + total_fp):10.3f} {total_tp / max(1, total_tp + total_fn):8.3f}")
    print(f"drafts that disagree with their labels: {len(result.disagreements)} "
          f"({sum(1 for d in result.disagreements if d['gap'])} marked as known gaps)")
    if "--show" in sys.argv:
        for d in result.disagreements:
            print(f"  #{d['id']}: expected {d['expected']} fired {d['fired']} {d['spans']}  {d['text'][:90]}")


if __name__ == "__main__":
    main()
