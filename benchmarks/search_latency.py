"""Search latency at scale: how soon the search page shows results after the last keystroke.

Writes the generated archive of benchmarks/search.py (`--articles` articles, one note per five),
builds it with search and serves it under /repo/. In Chromium it then
1. types each of `--queries` words into the search box one letter at a time, `--delay` ms apart
   (input events, as a keyboard sends them), and times from the last letter's input event until
   the results and count for the whole word are shown (everything the page waits for counted);
2. submits every prefix of three letters or more of the same words one at a time (the form's
   submit) and times each until its results are shown: the cost of one search on its own;
3. on a fresh page with an empty cache, types a word as in 1 and sums the bytes of every file
   fetched from pagefind/ (the first query's download), for each of the first five words.
Prints medians and 90th percentiles, the first query's bytes (median and largest), and the
bundle's size per article.

    python benchmarks/search_latency.py [--articles 5000] [--queries 30] [--delay 90] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--delay", type=int, default=90, help="ms between typed letters")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from search import generate, vocabulary
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory

    root = args.keep or Path(tempfile.mkdtemp())
    if not (root / "site" / "pagefind").is_dir():
        generate(root, args.articles)
        subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build"], cwd=REPO, check=True, capture_output=True)
    bundle = sum(path.stat().st_size for path in (root / "site" / "pagefind").rglob("*") if path.is_file())
    words = random.Random(3).sample(vocabulary(random.Random(7)), args.queries)
    with serve_directory(root / "site", "/repo/") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first_query = [first_query_bytes(browser, base, word, args.delay) for word in words[:5]]
        page = browser.new_page()
        page.goto(base + "search/")
        typed = [page.evaluate(TYPE, [word, args.delay]) for word in words]
        submitted = [page.evaluate(SUBMIT, word[:end]) for word in words for end in range(3, len(word) + 1)]
        browser.close()
    print(f"{args.articles} articles, {len(words)} words typed {args.delay} ms a letter: last keystroke to results"
          f" median {statistics.median(typed):.0f} ms, p90 {percentile(typed, 0.9):.0f} ms")
    print(f"{len(submitted)} prefixes submitted one at a time: median {statistics.median(submitted):.0f} ms,"
          f" p90 {percentile(submitted, 0.9):.0f} ms")
    print(f"first query median {statistics.median(first_query) / 1e3:.0f} KB, largest {max(first_query) / 1e3:.0f} KB; bundle {bundle / 1e6:.1f} MB, {bundle / args.articles / 1e3:.2f} KB per article")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def first_query_bytes(browser, base: str, word: str, delay: int) -> int:
    """Bytes of every pagefind/ file a fresh search page fetches while one query is typed."""
    context = browser.new_context()
    page = context.new_page()
    fetched: dict[str, int] = {}

    def record(response) -> None:
        if "/pagefind/" in response.url and response.ok:
            fetched[response.url] = len(response.body())

    page.on("response", record)
    page.goto(base + "search/")
    page.evaluate(TYPE, [word, delay])
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(fetched.values())


# Resolves once the search page shows the finished results of `query` (its count names it).
WAIT_FOR_RESULTS = """
  const root = document.querySelector('#search');
  const status = document.querySelector('.search-status');
  const shown = () => status.textContent.includes('\\u201c' + query + '\\u201d') && !root.hasAttribute('aria-busy');
  const done = () => new Promise(resolve => {
    if (shown()) return resolve(performance.now());
    const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); resolve(performance.now()); } });
    observer.observe(root, { attributes: true, childList: true, subtree: true, characterData: true });
  });
"""

TYPE = """async ([query, delay]) => {""" + WAIT_FOR_RESULTS + """
  const input = document.querySelector('#search-q');
  const type = value => { input.value = value; input.dispatchEvent(new Event('input', { bubbles: true })); };
  type('');
  await new Promise(resolve => setTimeout(resolve, 300));
  for (let end = 1; end < query.length; end++) {
    type(query.slice(0, end));
    await new Promise(resolve => setTimeout(resolve, delay));
  }
  const last = performance.now();
  type(query);
  return (await done()) - last;
}"""

SUBMIT = """async (query) => {""" + WAIT_FOR_RESULTS + """
  const input = document.querySelector('#search-q');
  input.value = query;
  status.textContent = '';
  const started = performance.now();
  input.form.requestSubmit();
  return (await done()) - started;
}"""


if __name__ == "__main__":
    main()
