"""Render scaling benchmark: build time against the size of one pathological body.

Each case writes an archive of one article (and one note) whose body repeats one
construct N times, builds it (`build --no-search`, one process) and prints the time
for each N with its ratio to the time for the smallest N. Linear work doubles with N;
work that is quadratic in N quadruples.

    python benchmarks/render_scaling.py                       # N = 5,000 .. 40,000 headings, 25,000 .. 200,000 wikilinks
    python benchmarks/render_scaling.py --quick               # smaller sizes: a smoke test
    python benchmarks/render_scaling.py --cases headings --runs 3
    python benchmarks/render_scaling.py --cases wikilinks --sizes 1000,2000

Cases:
  headings        `## Same` N times in an article: heading ids made unique (same, same-2, ...)
  wikilinks       a note of one paragraph of N `[[article]]` links, one per line
  heading-links   a note of N `[[article#section-k]]` links into an article of N/10 headings
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402  (run as a script, from anywhere)

ARTICLE = """---
title: Scaling
authors: [Ann Lee]
outlet: The Review
published: 2024-01-02
---
{body}
"""
NOTE = """---
article: scaling
title: Links
---
{body}
"""


def headings(n: int) -> tuple[str, str]:
    return "\n\n".join(["## Same"] * n), "A note."


def wikilinks(n: int) -> tuple[str, str]:
    return "Text.", "\n".join(["See [[scaling]] and"] * n)


def heading_links(n: int) -> tuple[str, str]:
    sections = max(1, n // 10)
    article = "\n\n".join(f"## Section {k}\n\nText {k}." for k in range(sections))
    return article, "\n".join(f"See [[scaling#Section {k % sections}]] and" for k in range(n))


CASES: dict[str, tuple[Callable[[int], tuple[str, str]], tuple[int, ...], tuple[int, ...]]] = {
    # name: (bodies of size n, sizes, quick sizes)
    "headings": (headings, (5_000, 10_000, 20_000, 40_000), (1_000, 2_000, 4_000)),
    "wikilinks": (wikilinks, (25_000, 50_000, 100_000, 200_000), (5_000, 10_000, 20_000)),
    "heading-links": (heading_links, (25_000, 50_000, 100_000), (5_000, 10_000, 20_000)),
}


def build_seconds(work: Path, article: str, note: str) -> float:
    """Seconds for one build, in this process, of an archive with this article and note."""
    if work.exists():
        shutil.rmtree(work)
    (work / "content/articles").mkdir(parents=True)
    (work / "content/notes").mkdir(parents=True)
    (work / "content/articles/scaling.md").write_text(ARTICLE.format(body=article), encoding="utf-8")
    (work / "content/notes/links.md").write_text(NOTE.format(body=note), encoding="utf-8")
    start = time.perf_counter()
    build(work, search=False, jobs=1)  # raises SiteError if the archive has an error
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--runs", type=int, default=1, help="builds per size; the median is shown")
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--sizes", help="comma-separated N for every case, instead of each case's own")
    options = parser.parse_args()
    print(f"{'case':<15}{'N':>9}{'seconds':>10}{'x smallest':>12}")
    with tempfile.TemporaryDirectory(prefix="sitegen-render-scaling-") as folder:
        build_seconds(Path(folder) / "warm-up", *headings(10))  # imports and compiled templates: not the first case's cost
        for name in options.cases.split(","):
            make, sizes, quick_sizes = CASES[name]
            first = None
            chosen = [int(n) for n in options.sizes.split(",")] if options.sizes else quick_sizes if options.quick else sizes
            for n in chosen:
                article, note = make(n)
                seconds = statistics.median(build_seconds(Path(folder) / name, article, note) for _ in range(options.runs))
                first = first or seconds
                print(f"{name:<15}{n:>9,}{seconds:>10.2f}{seconds / first:>12.1f}", flush=True)


if __name__ == "__main__":
    main()
