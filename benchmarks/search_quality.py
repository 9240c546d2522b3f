"""Search quality benchmark: the judged queries of search_queries.yaml through the site's own search page.

For each archive named in the query file it builds the site with the generator of `--repo`
(default: this checkout; point it at another checkout to score that version on the same
queries), serves it under /repo/ as GitHub Pages would, types every query into the search
page in Chromium and reads the results the reader sees. Reported, overall and per query type:
- P@1: the first result is one of the judged pages;
- MRR@10: mean of 1/rank of the first judged page in the first ten (0 when none);
- honest: share of shown results whose excerpt holds a highlighted (<mark>) word;
- repeats: share of shown results whose excerpt says the same run of four words twice.

    python benchmarks/search_quality.py [--repo PATH] [--queries FILE] [--misses]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TOP = 10
REPEAT_WORDS = 4


@dataclass(frozen=True, slots=True)
class Shown:
    """One result as the search page shows it: its link (relative to the site root) and excerpt."""

    page: str
    excerpt: str
    marked: bool


def build_archive(repo: Path, archive: Path, out: Path) -> None:
    """Build `archive` with the generator (and theme) of `repo`, search included."""
    work = out.parent / (out.name + "-src")
    shutil.copytree(archive / "content", work / "content")
    if (archive / "sitegen.yaml").exists():
        shutil.copy(archive / "sitegen.yaml", work / "sitegen.yaml")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(work), "build", "--out", str(out), "--base-url", "/repo/"],
        cwd=repo, capture_output=True, text=True,
    )
    if run.returncode != 0:
        raise SystemExit(f"build of {archive} failed:\n{run.stdout}{run.stderr}")


def search(page, base: str, query: str) -> list[Shown]:
    """The results the search page shows for `query`, top ten, in order."""
    page.goto(base + "search/?q=" + quote(query))
    page.wait_for_function(
        "() => /result/.test(document.querySelector('.search-status').textContent)"
        " && !document.querySelector('#search[aria-busy]')",
        timeout=20000,
    )
    rows = page.eval_on_selector_all(
        ".search-result",
        """items => items.map(item => {
            const excerpt = item.querySelector('.excerpt');
            return [item.querySelector('.search-result-title a').getAttribute('href'),
                    excerpt ? excerpt.textContent : '', !!(excerpt && excerpt.querySelector('mark'))];
        })""",
    )
    prefix = base[base.index("/", len("http://")):]
    return [Shown(href[len(prefix):] if href.startswith(prefix) else href, text, marked) for href, text, marked in rows[:TOP]]


def repeats_itself(text: str) -> bool:
    """Whether some run of REPEAT_WORDS words occurs twice (quote marks and case folded)."""
    words = re.findall(r"\w+", text.lower())
    runs = [tuple(words[i : i + REPEAT_WORDS]) for i in range(len(words) - REPEAT_WORDS + 1)]
    return len(runs) != len(set(runs))


def reciprocal_rank(pages: list[str], relevant: set[str]) -> float:
    return next((1 / rank for rank, page in enumerate(pages, 1) if page in relevant), 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose generator builds the sites")
    parser.add_argument("--queries", type=Path, default=REPO / "benchmarks" / "search_queries.yaml")
    parser.add_argument("--misses", action="store_true", help="list the queries whose first result is not judged relevant")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory

    spec = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    shown_total = marked_total = repeated_total = 0
    misses = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, folder in spec["archives"].items():
            site = Path(tmp) / name
            build_archive(args.repo, (REPO / folder).resolve(), site)
            with serve_directory(site, "/repo/") as base:
                page = browser.new_page()
                for item in (q for q in spec["queries"] if q["archive"] == name):
                    shown = search(page, base, item["q"])
                    pages = [result.page for result in shown]
                    relevant = set(item["relevant"])
                    score = (1.0 if pages[:1] and pages[0] in relevant else 0.0, reciprocal_rank(pages, relevant))
                    scores[item["type"]].append(score)
                    shown_total += len(shown)
                    marked_total += sum(result.marked for result in shown)
                    repeated_total += sum(repeats_itself(result.excerpt) for result in shown)
                    if score[0] < 1:
                        misses.append((name, item["q"], pages[:3]))
                page.close()
        browser.close()
    every = [score for group in scores.values() for score in group]
    print(f"{'type':<12} {'queries':>7} {'P@1':>6} {'MRR@10':>7}")
    for kind, group in sorted(scores.items()) + [("all", every)]:
        print(f"{kind:<12} {len(group):>7} {sum(s[0] for s in group) / len(group):>6.3f} {sum(s[1] for s in group) / len(group):>7.3f}")
    print(f"results shown: {shown_total}; excerpt with a highlighted match: {marked_total / max(shown_total, 1):.3f};"
          f" excerpt repeating itself: {repeated_total / max(shown_total, 1):.3f}")
    if args.misses:
        for name, query, pages in misses:
            print(f"miss [{name}] {query!r}: {pages}")


if __name__ == "__main__":
    main()
