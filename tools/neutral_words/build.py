"""Builds server/nearmiss/data/neutral_words.txt, the closed vocabulary the near-miss excerpt may keep.

Run by `make neutral-words` (needs `wordfreq` and Debian's `wamerican` + `wbritish` word lists; none
of them is needed at run time, only the list this writes, which is committed):

1. the TOP most frequent English words in wordfreq (Robyn Speer, data CC BY-SA 4.0);
2. kept only when Debian's SCOWL word lists (wamerican, wbritish) have the word in lower case,
   so proper nouns ("london", "google", "kate") fall out: they are only listed capitalised;
3. minus every given name in text_checks/data/first_names.txt;
4. minus tools/neutral_words/exclude.txt: family, health, crime and safeguarding, religion and
   ethnicity, home, money, dates and number words (a word ending in * excludes a prefix).
The output's header records the sources and the SHA-256 of the list; tests/test_excerpt_allowlist.py
checks the header and the file agree.
"""
from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DICTIONARIES = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english"))
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _exclusions(path: Path) -> tuple[set[str], tuple[str, ...]]:
    words, prefixes = set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for item in line.partition(":")[2].split():
            (prefixes.append(item[:-1]) if item.endswith("*") else words.add(item))
    return words, tuple(prefixes)


def _first_names() -> set[str]:
    text = (ROOT / "text_checks/data/first_names.txt").read_text(encoding="utf-8")
    return {w for line in text.splitlines() if not line.startswith("#") for w in line.split()}


def build(top: int) -> list[str]:
    from wordfreq import top_n_list

    lower = set()
    for path in DICTIONARIES:
        lower |= {w.strip() for w in path.read_text(encoding="utf-8", errors="replace").splitlines()
                  if w.strip() and w.strip()[0].islower()}
    excluded, prefixes = _exclusions(ROOT / "tools/neutral_words/exclude.txt")
    names = _first_names()
    kept = set()
    for word in top_n_list("en", top):
        word = word.replace("’", "'")
        if not WORD.fullmatch(word):
            continue
        base = word.split("'")[0]
        if word not in lower and base not in lower and not (word != base and base in kept):
            continue
        if base in names or word in excluded or base in excluded or word.startswith(prefixes):
            continue
        kept.add(word)
    return sorted(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=ROOT / "server/nearmiss/data/neutral_words.txt")
    args = parser.parse_args()
    words = build(args.top)
    body = "\n".join(words) + "\n"
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    header = (
        "# Neutral words a near-miss excerpt may keep (server/nearmiss/excerpt.py); everything else is masked.\n"
        f"# Built by tools/neutral_words/build.py --top {args.top}: the most frequent English words of\n"
        "# wordfreq 3.1 (Robyn Speer et al., data licensed CC BY-SA 4.0; this list is a derived work under\n"
        "# the same licence), kept when Debian's SCOWL lists (wamerican, wbritish) have them in lower case,\n"
        "# minus given names and tools/neutral_words/exclude.txt.\n"
        f"# words: {len(words)}  sha256-of-words: {digest}\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + body, encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
