"""The floor for a Python generator: a bare markdown-it-py + Jinja loop on both cores, against Hugo.

    python benchmarks/floor.py                 # N = 5,000, 3 runs
    python benchmarks/floor.py --n 1000 --runs 5

Issue 8 sets sitegen's cold build target (1.3x Hugo) from the claim that such a loop takes
about 1.2x Hugo's time here. This script measures that claim on the machine at hand, on the
same generated archive as `run.py`, alternating the two tools as `run.py` does: how much of
the ratio is left for everything a real build does beyond the loop (anchoring, links,
entity, author, outlet and tag pages, feeds, citations, caches).

The loop (`python benchmarks/floor.py --loop ARCHIVE OUT`, run as its own timed process):
each of two forked processes takes every other content file, reads it, loads its YAML
front-matter with PyYAML's C loader, renders its body with markdown-it-py (commonmark,
tables, strikethrough) into one Jinja template, and writes the page. No links, no indexes,
no error locations: less than any real build does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import WORK, BenchmarkError, hugo_binary, hugo_cold, log, outputs_set_aside, prepare, set_aside, timed  # noqa: E402

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><article><h1>{{ title }}</h1>
{% if authors %}<p class="byline">{{ authors | join(", ") }}{% if outlet %} · {{ outlet }}{% endif %}</p>{% endif %}
{% if published %}<p><time>{{ published }}</time></p>{% endif %}
{{ body }}
{% if tags %}<ul>{% for tag in tags %}<li>{{ tag }}</li>{% endfor %}</ul>{% endif %}
</article></main></body></html>
"""


def render_share(args: tuple[Path, list[Path]]) -> int:
    out, files = args
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    template = jinja2.Environment(autoescape=True).from_string(PAGE)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in files:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=loader) or {}
        authors = [a["name"] if isinstance(a, dict) else str(a) for a in meta.get("authors") or []]
        page = template.render(
            title=meta.get("title") or meta.get("name") or path.stem,
            authors=authors,
            outlet=meta.get("outlet"),
            published=meta.get("published"),
            tags=meta.get("tags") or [],
            body=jinja2.utils.markupsafe.Markup(md.render(body)),
        )
        target = out / path.parent.name / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    return len(files)


def loop(archive: Path, out: Path) -> int:
    """Render every content file of `archive` into `out`, on two forked processes."""
    files = sorted((archive / "content").rglob("*.md"))
    shares = [(out, files[part::2]) for part in range(2)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return sum(pool.map(render_share, shares))


def measure(n: int, runs: int, seed: int) -> dict[str, list[float]]:
    hugo = hugo_binary()
    archive, hugo_site = prepare(WORK / f"n{n}", n, seed)
    out = WORK / f"n{n}" / "floor-out"
    seconds: dict[str, list[float]] = {"loop": [], "hugo": []}
    try:
        with outputs_set_aside():
            for run in range(runs):

                def run_loop() -> None:
                    set_aside(out)  # as run.py does, so that no run steps over the last one's deletions
                    sample, _ = timed([sys.executable, str(Path(__file__).resolve()), "--loop", str(archive), str(out)])
                    seconds["loop"].append(sample.seconds)
                    log(f"  N={n:,} run {run + 1}: bare loop {sample.seconds:6.2f} s")

                def run_hugo() -> None:
                    sample, _ = hugo_cold(hugo, hugo_site)
                    seconds["hugo"].append(sample.seconds)
                    log(f"  N={n:,} run {run + 1}: Hugo cold {sample.seconds:6.2f} s")

                for step in (run_loop, run_hugo) if run % 2 == 0 else (run_hugo, run_loop):
                    step()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A bare markdown-it-py + Jinja loop on two processes, against Hugo.")
    parser.add_argument("--n", type=int, default=5000, help="articles (default 5000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--loop", nargs=2, type=Path, metavar=("ARCHIVE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.loop:
        print(loop(*args.loop))
        return 0
    try:
        seconds = measure(args.n, args.runs, args.seed)
    except BenchmarkError as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 1
    loop_s, hugo_s = statistics.median(seconds["loop"]), statistics.median(seconds["hugo"])
    print(f"N = {args.n:,} articles, medians of {args.runs} runs")
    print(f"  {'':<34}{'seconds':>9}{'vs Hugo':>9}")
    print(f"  {'bare markdown-it-py + Jinja loop':<34}{loop_s:9.2f}{loop_s / hugo_s:8.2f}x")
    print(f"  {'Hugo cold build':<34}{hugo_s:9.2f}{1:8.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
