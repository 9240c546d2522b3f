"""Search benchmark: indexing time and memory, and the bytes a first query downloads.

For each size (default 1,000 and 5,000 articles, plus one note per five articles) it
1. writes a generated archive (tiny self-contained generator below, seeded),
2. builds it with `sitegen build --no-search` and once with search, to show the index
   is built once per build (the difference is one indexing run, not one per page),
3. indexes the same output folder, alternately, through sitegen (`index_site`) and with
   the Pagefind CLI by hand (`python -m pagefind --site site`), each in its own process
   under `/usr/bin/time -v` for the peak memory; medians of --runs runs,
4. serves the site under /repo/, types one query into the search page in Chromium and
   sums the bytes of every file fetched from pagefind/.

    python benchmarks/search.py [--sizes 1000 5000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OUTLETS = ["Harbour Gazette", "The Coastal Review", "Tidewater Weekly", "Northern Ledger", "City Desk", "The Morning Post"]
TAGS = ["economy", "climate", "elections", "health", "transport", "energy", "housing", "schools", "courts", "trade"]
SYLLABLES = "ka lo mi ran tes vor bel quin dra sol mer tan pis gor lu ne fa zim ost ral".split()
COMMON = "the of and to in a is that for it as was with be by on not he this are or his from at which but have".split()


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return sorted(words)


def sentence(rng: random.Random, words: list[str]) -> str:
    picked = [rng.choice(COMMON) if rng.random() < 0.4 else rng.choice(words) for _ in range(rng.randint(8, 22))]
    return " ".join(picked).capitalize() + "."


def generate(root: Path, articles: int, seed: int = 7) -> None:
    """`articles` articles of about 700 words in 3 outlets' style, one highlight note per five."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "notes").mkdir()
    (root / "sitegen.yaml").write_text("title: Search benchmark\nbase_url: /repo/\n")
    for i in range(articles):
        paragraphs = [" ".join(sentence(rng, words) for _ in range(rng.randint(3, 6))) for _ in range(8)]
        title = sentence(rng, words)[:-1]
        author = f"{rng.choice(words).capitalize()} {rng.choice(words).capitalize()}"
        tags = sorted(set(rng.sample(TAGS, 2)))
        slug = f"article-{i:05d}"
        (root / "content" / "articles" / f"{slug}.md").write_text(
            f'---\ntitle: "{title}"\nauthors:\n- name: {author}\noutlet: {OUTLETS[i % len(OUTLETS)]}\n'
            f"published: 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\narchived: 2025-01-01\nlanguage: en\ntags: [{', '.join(tags)}]\n---\n\n"
            + "\n\n".join(paragraphs)
            + "\n"
        )
        if i % 5 == 0:
            quote = paragraphs[3].split(". ")[1].rstrip(".")  # a whole sentence: occurs once
            (root / "content" / "notes" / f"note-{i:05d}.md").write_text(
                f'---\narticle: {slug}\nquote: "{quote}"\ncreated: 2025-01-02\n---\n{sentence(rng, words)} {sentence(rng, words)}\n'
            )


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak resident GB) of one process and its children, via GNU time."""
    started = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-v", *command], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    return seconds, peak_kb / 1024 / 1024


INDEX_THROUGH_SITEGEN = "import sys; from pathlib import Path; from generator.config import Config; from generator.search import index_site; print(index_site(Path(sys.argv[1]), Config()))"


def first_query_bytes(site: Path, query: str) -> tuple[int, int, dict[str, int]]:
    """Bytes of pagefind/ files fetched by the search page for one query, the result count, the files."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory

    fetched: dict[str, int] = {}
    with serve_directory(site, "/repo/") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def record(response):
            if "/pagefind/" in response.url and response.ok:
                fetched[response.url.split("/pagefind/", 1)[1].split("?")[0]] = len(response.body())

        page.on("response", record)
        page.goto(base + "search/")
        page.fill("#search-q", query)
        page.wait_for_function("/result/.test(document.querySelector('.search-status').textContent)", timeout=60000)
        page.wait_for_load_state("networkidle")
        count = page.locator(".search-result").count()
        status = page.inner_text(".search-status")
        browser.close()
    return sum(fetched.values()), int(status.split()[0]) if status[0].isdigit() else count, fetched


def common_word(site: Path) -> str:
    """A word from the first article's text, so the query has many hits."""
    text = (site.parent / "content" / "articles" / "article-00000.md").read_text().split("---", 2)[2]
    return next(word for word in re.findall(r"\b[a-z]{6,}\b", text) if word not in COMMON)


def bench(size: int, runs: int, work: Path) -> None:
    root = work / f"archive-{size}"
    generate(root, size)
    pages_md = size + size // 5
    sitegen = [sys.executable, "-m", "generator", "build"]
    no_search_s, no_search_gb = timed([*sitegen, "--no-search"], cwd=root)
    with_search_s, with_search_gb = timed(sitegen, cwd=root)
    site = root / "site"
    ours, cli = [], []
    for _ in range(runs):
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        ours.append(timed([sys.executable, "-c", INDEX_THROUGH_SITEGEN, str(site)], cwd=REPO))
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        cli.append(timed([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"]))
    # leave sitegen's own bundle in place for the browser measurement
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    subprocess.run([sys.executable, "-c", INDEX_THROUGH_SITEGEN, str(site)], cwd=REPO, check=True, capture_output=True)
    html_files = sum(1 for _ in site.rglob("*.html"))
    query = common_word(site)
    downloaded, hits, files = first_query_bytes(site, query)
    median = lambda values, i: statistics.median(v[i] for v in values)  # noqa: E731
    print(f"\n== {size} articles + {size // 5} notes ({pages_md} documents, {html_files} HTML files written)")
    print(f"sitegen build --no-search      {no_search_s:6.1f} s  peak {no_search_gb:.2f} GB")
    print(f"sitegen build (with search)    {with_search_s:6.1f} s  peak {with_search_gb:.2f} GB  -> index adds {with_search_s - no_search_s:.1f} s, once")
    print(f"index_site (sitegen)           {median(ours, 0):6.1f} s  peak {median(ours, 1):.2f} GB  (median of {runs}: {', '.join(f'{s:.1f}' for s, _ in ours)})")
    print(f"pagefind CLI by hand           {median(cli, 0):6.1f} s  peak {median(cli, 1):.2f} GB  (median of {runs}: {', '.join(f'{s:.1f}' for s, _ in cli)})")
    print(f"first query '{query}': {hits} results, {downloaded / 1024:.0f} KB from pagefind/ in {len(files)} files")
    largest = sorted(files.items(), key=lambda item: -item[1])[:6]
    print("   largest: " + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in largest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the archives here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitegen-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in args.sizes:
            bench(size, args.runs, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
