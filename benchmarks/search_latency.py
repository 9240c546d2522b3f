"""Search latency at scale: how long the search page takes per query on a large generated archive.

Writes the generated archive of benchmarks/search.py (`--articles` articles, one note per five),
builds it with search, serves it under /repo/ and, in Chromium, submits growing prefixes of
query words one keystroke at a time (the form's submit, so the 200 ms typing debounce is not
counted), timing each from submit until the results and count are shown. Prints the median and
90th percentile per keystroke, the bytes a first query fetches from pagefind/ on a fresh page
(the browser's cache off), and the bundle's size per article.

    python benchmarks/search_latency.py [--articles 5000] [--keep DIR]
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
    parser.add_argument("--queries", type=int, default=12)
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
    times: list[float] = []
    with serve_directory(root / "site", "/repo/") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first_query = first_query_bytes(browser, base, words[0])
        page = browser.new_page()
        page.goto(base + "search/")
        for word in words:
            for end in range(3, len(word) + 1):
                times.append(page.evaluate(KEYSTROKE, word[:end]))
        browser.close()
    times.sort()
    print(f"{args.articles} articles: {len(times)} keystrokes over {len(words)} words; per keystroke median"
          f" {statistics.median(times):.0f} ms, p90 {times[int(0.9 * (len(times) - 1))]:.0f} ms;"
          f" first query {first_query / 1e3:.0f} KB; bundle {bundle / 1e6:.1f} MB, {bundle / args.articles / 1e3:.1f} KB per article")


def first_query_bytes(browser, base: str, word: str) -> int:
    """Bytes of every pagefind/ file a fresh search page fetches for one typed query."""
    context = browser.new_context()
    page = context.new_page()
    fetched: dict[str, int] = {}
    page.on("response", lambda response: fetched.__setitem__(response.url, len(response.body())) if "/pagefind/" in response.url and response.ok else None)
    page.goto(base + "search/")
    page.evaluate(KEYSTROKE, word)
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(fetched.values())


KEYSTROKE = """async (query) => {
  const input = document.querySelector('#search-q');
  const status = document.querySelector('.search-status');
  input.value = query;
  const started = performance.now();
  status.textContent = '';
  input.form.requestSubmit();
  await new Promise(resolve => {
    const check = () => (/result/.test(status.textContent) && !document.querySelector('#search[aria-busy]'))
      ? resolve() : requestAnimationFrame(check);
    check();
  });
  return performance.now() - started;
}"""


if __name__ == "__main__":
    main()
