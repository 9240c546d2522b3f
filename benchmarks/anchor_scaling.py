"""Anchor scaling benchmark: the time to anchor one near-miss quote against the size of its article.

The article is prose from benchmarks/generate.py's writer, cut at 0.4, 0.8, 1.6 and 3.2 MB. Each
quote is cut from the middle of the article at a word boundary and given one typo in every hundred
characters, so it anchors through the fuzzy tier; the `orphan` quote is cut from another article and
anchors nowhere (every part of it is sought, the worst case). The article's normalized text is made
once beforehand, as a build does (once per article, whatever its notes), and timed on its own.

`before` is the fuzzy search as it was: the whole quote aligned over the whole text, twice (the best
place, then a rival with the best masked out). It grows with the article times the quote.

    python benchmarks/anchor_scaling.py                 # sizes 0.4 .. 3.2 MB, quotes of 200, 2,000, 10,000 chars
    python benchmarks/anchor_scaling.py --quick         # 0.1 and 0.2 MB: a smoke test
    python benchmarks/anchor_scaling.py --no-before     # only the current code
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from rapidfuzz import fuzz  # noqa: E402

from generate import Writer, make_entities  # noqa: E402  (run as a script, from anywhere)
from generator.anchor import find_quote, normalize  # noqa: E402

THRESHOLD = 90.0
QUOTE_LENGTHS = (200, 2_000, 10_000)


def prose(size: int, seed: int) -> str:
    """At least `size` chars of paragraphs, joined by paragraph breaks as a rendered body's text is."""
    entities = make_entities(seed)
    people = [e for e in entities if e.kind == "person"]
    orgs = [e for e in entities if e.kind == "organization"]
    places = [e for e in entities if e.kind == "place"]
    writer = Writer(random.Random(seed), people, orgs, places)
    paragraphs, length = [], 0
    while length < size:
        paragraphs.append(writer.paragraph())
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def near_miss(text: str, length: int, rng: random.Random) -> str:
    """`length` chars (to a word's end) from the middle of `text`, one char in a hundred replaced."""
    start = text.index(" ", len(text) // 2) + 1
    chars = list(text[start : text.index(" ", start + length)])
    for index in range(50, len(chars), 100):
        chars[index] = rng.choice("qxz")
    return "".join(chars)


def before(folded: str, quote: str) -> None:
    """The fuzzy search as it was: two whole alignments over the whole folded text."""
    folded_quote = normalize(quote).text
    best = fuzz.partial_ratio_alignment(folded_quote, folded, score_cutoff=THRESHOLD)
    if best is not None:
        masked = folded[: best.dest_start] + "\0" * (best.dest_end - best.dest_start) + folded[best.dest_end :]
        fuzz.partial_ratio_alignment(folded_quote, masked, score_cutoff=THRESHOLD)


def best_time(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.4,0.8,1.6,3.2", help="article sizes in MB, comma-separated")
    parser.add_argument("--quick", action="store_true", help="sizes 0.1 and 0.2 MB")
    parser.add_argument("--runs", type=int, default=3, help="runs of the current code per cell (the best is shown)")
    parser.add_argument("--no-before", action="store_true", help="skip the old search (slow on long quotes)")
    args = parser.parse_args()
    sizes = [0.1, 0.2] if args.quick else [float(size) for size in args.sizes.split(",")]
    whole = prose(int(max(sizes) * 1_000_000) + 10_000, seed=1)
    elsewhere = prose(20_000, seed=2)
    print(f"{'MB':>5} {'quote':>7} {'tier':>7} {'normalize s':>12} {'anchor s':>9} {'before s':>9}")
    for size in sizes:
        text = whole[: whole.index("\n\n", int(size * 1_000_000))]
        cache = {text: normalize(text)}
        normalize_time = best_time(lambda: normalize(text), args.runs)
        quotes = [(str(length), near_miss(text, length, random.Random(length))) for length in QUOTE_LENGTHS]
        quotes.append(("orphan", near_miss(elsewhere, 2_000, random.Random(0))))
        for label, quote in quotes:
            tier = find_quote(text, quote, None, None, THRESHOLD, cache)[0]
            anchor_time = best_time(lambda: find_quote(text, quote, None, None, THRESHOLD, cache), args.runs)
            old = "" if args.no_before else f"{best_time(lambda: before(cache[text].text, quote), 1):9.2f}"
            print(f"{len(text) / 1e6:5.1f} {label:>7} {tier:>7} {normalize_time:12.2f} {anchor_time:9.2f} {old:>9}")


if __name__ == "__main__":
    main()
