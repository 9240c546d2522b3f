"""Search quality benchmark: the judged queries of search_queries.yaml through the site's own search page.

For each archive named in the query file it builds the site with the generator of `--repo`
(default: this checkout; point it at another checkout to score that version on the same
queries), serves it under /repo/ as GitHub Pages would, types every query into the search
page in Chromium and reads the results the reader sees. Reported, overall and per query type:
- P@1: the first result is one of the judged pages;
- MRR@10: mean of 1/rank of the first judged page in the first ten (0 when none);
- honest: share of shown results whose excerpt holds a highlighted (<mark>) word;
- repeats: share of shown results whose excerpt says the same run of four words twice.
The same queries also go, on the same page and bundle, to Pagefind's own search with its
default options (no sitegen ranking, checks or ordering; every language's index merged, as
without that a German query finds nothing from the English page), so the two rows compare.
It ends with the ten worst queries for sitegen's search.

    python benchmarks/search_quality.py [--repo PATH] [--queries FILE] [--misses] [--worst N]
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


# Pagefind's default search through its JavaScript API, as a site using none of sitegen's
# search.js would: default options, every language's index merged, the first ten results.
DEFAULT_SEARCH = """async (query) => {
  const url = new URL(document.querySelector('#search').dataset.pagefindUrl, document.baseURI).href;
  if (!window.defaultPagefind) {
    const pagefind = await import(url);
    const instance = await pagefind.createInstance({ baseUrl: document.querySelector('#search').dataset.baseUrl });
    const entry = await (await fetch(new URL('pagefind-entry.json', url))).json();
    const primary = document.documentElement.lang in entry.languages ? document.documentElement.lang : Object.keys(entry.languages)[0];
    for (const language of Object.keys(entry.languages)) {
      // as a full URL: mergeIndex skips a path that the instance's own bundle path starts with
      if (language !== primary) await instance.mergeIndex(new URL('.', url).href, { language, baseUrl: document.querySelector('#search').dataset.baseUrl });
    }
    window.defaultPagefind = instance;
  }
  const search = await window.defaultPagefind.search(query);
  const datas = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  return datas.map(d => [d.url, d.excerpt.replace(/<[^>]*>/g, ''), /<mark>/.test(d.excerpt)]);
}"""


def default_search(page, base: str, query: str) -> list[Shown]:
    """The first ten results of Pagefind's default search for `query` (the search page only loads its bundle)."""
    if not page.url.startswith(base + "search/"):
        page.goto(base + "search/")
    prefix = base[base.index("/", len("http://")):]
    rows = page.evaluate(DEFAULT_SEARCH, query)
    return [Shown(href[len(prefix):] if href.startswith(prefix) else href, text, marked) for href, text, marked in rows]


@dataclass
class Tally:
    """Scores of one search over the judged queries."""

    scores: dict[str, list[tuple[float, float]]]
    shown: int = 0
    marked: int = 0
    repeated: int = 0

    def add(self, kind: str, shown: list[Shown], relevant: set[str]) -> tuple[float, float]:
        pages = [result.page for result in shown]
        score = (1.0 if pages[:1] and pages[0] in relevant else 0.0, reciprocal_rank(pages, relevant))
        self.scores[kind].append(score)
        self.shown += len(shown)
        self.marked += sum(result.marked for result in shown)
        self.repeated += sum(repeats_itself(result.excerpt) for result in shown)
        return score

    def row(self) -> tuple[float, float, float, float]:
        every = [score for group in self.scores.values() for score in group]
        return (sum(s[0] for s in every) / len(every), sum(s[1] for s in every) / len(every),
                self.marked / max(self.shown, 1), self.repeated / max(self.shown, 1))


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
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst queries to list")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory

    spec = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    ours, defaults = Tally(defaultdict(list)), Tally(defaultdict(list))
    judged = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, folder in spec["archives"].items():
            site = Path(tmp) / name
            build_archive(args.repo, (REPO / folder).resolve(), site)
            with serve_directory(site, "/repo/") as base:
                page, plain = browser.new_page(), browser.new_page()
                for item in (q for q in spec["queries"] if q["archive"] == name):
                    relevant = set(item["relevant"])
                    shown = search(page, base, item["q"])
                    score = ours.add(item["type"], shown, relevant)
                    default_score = defaults.add(item["type"], default_search(plain, base, item["q"]), relevant)
                    precision = sum(result.page in relevant for result in shown) / max(len(shown), 1)
                    judged.append((score[1], precision, default_score[1], name, item["q"], [result.page for result in shown[:3]]))
                page.close()
                plain.close()
        browser.close()
    print(f"{'type':<12} {'queries':>7} {'P@1':>6} {'MRR@10':>7} {'default P@1':>12} {'default MRR':>12}")
    for kind in sorted(ours.scores):
        group, base_group = ours.scores[kind], defaults.scores[kind]
        print(f"{kind:<12} {len(group):>7} {sum(s[0] for s in group) / len(group):>6.3f} {sum(s[1] for s in group) / len(group):>7.3f}"
              f" {sum(s[0] for s in base_group) / len(base_group):>12.3f} {sum(s[1] for s in base_group) / len(base_group):>12.3f}")
    print("| Search | P@1 | MRR@10 | Excerpts with a marked match | Excerpts repeating themselves |")
    print("| --- | --- | --- | --- | --- |")
    for label, tally in (("Pagefind defaults (every language merged)", defaults), ("sitegen", ours)):
        print(f"| {label} | " + " | ".join(f"{value:.3f}" for value in tally.row()) + " |")
    print(f"results shown: sitegen {ours.shown}, defaults {defaults.shown}")
    print(f"The {args.worst} worst queries for sitegen (reciprocal rank, then the share of shown results judged"
          " relevant; Pagefind defaults' reciprocal rank beside them):")
    print("| Archive | Query | sitegen RR | relevant shown | default RR | sitegen's first results |")
    print("| --- | --- | --- | --- | --- | --- |")
    for rr, precision, default_rr, name, query, pages in sorted(judged, key=lambda row: row[:3])[: args.worst]:
        print(f"| {name} | {query} | {rr:.2f} | {precision:.2f} | {default_rr:.2f} | {', '.join(pages) or 'none'} |")
    if args.misses:
        for rr, _, _, name, query, pages in judged:
            if rr < 1:
                print(f"miss [{name}] {query!r}: {pages}")


if __name__ == "__main__":
    main()
