"""Rendering and linking do work linear in a body's size, counted, not timed.

The work is measured as the Python lines sitegen's own modules execute (a trace), which
does not depend on the machine or its load: doubling the input must not much more than
double it. benchmarks/render_scaling.py times the same inputs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from generator.build import analyse
from generator.config import load_config
from generator.markdown.render import render_body

GENERATOR = str(Path(__file__).resolve().parent.parent / "generator")


def lines_run(work: Callable[[], object]) -> int:
    """How many lines of sitegen's modules `work` executes (loops counted per pass)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(GENERATOR) else None

    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def doubling_ratio(work_of_size: Callable[[int], Callable[[], object]], n: int) -> float:
    return lines_run(work_of_size(2 * n)) / lines_run(work_of_size(n))


def test_identical_headings_get_their_ids_in_linear_work():
    def headings(n: int):
        return lambda: render_body("\n\n".join(["## Same"] * n), 1)

    assert doubling_ratio(headings, 300) < 2.3


def test_duplicate_heading_ids_skip_ids_that_titles_took():
    body = render_body("## Same\n\n## Same 2\n\n## Same\n\n## Same\n\n## Same 3\n", 1)
    assert [h.id for h in body.headings] == ["same", "same-2", "same-3", "same-4", "same-3-2"]


def test_wikilink_lines_are_counted_through_paragraphs_links_and_emphasis():
    body = render_body("a [[x]]\nb *[[y]]*\n[label [[z]]](https://example.org)\n\n[[w]] and\n\n\nc [[v|V]]\n", 5)
    assert [(ref.target, ref.line) for ref in body.wikilinks] == [("x", 5), ("y", 6), ("z", 7), ("w", 9), ("v", 12)]


def write_archive(root: Path, article: str, note: str) -> Path:
    (root / "content/articles").mkdir(parents=True)
    (root / "content/notes").mkdir(parents=True)
    (root / "content/articles/piece.md").write_text(f"---\ntitle: Piece\nauthors: [Ann Lee]\noutlet: The Review\n---\n{article}\n", encoding="utf-8")
    (root / "content/notes/links.md").write_text(f"---\narticle: piece\n---\n{note}\n", encoding="utf-8")
    return root


def test_links_to_headings_resolve_in_linear_work(tmp_path):
    def linked(n: int):
        sections = n // 10
        article = "\n\n".join(f"## Section {k}\n\nText {k}." for k in range(sections))
        note = "\n".join(f"See [[piece#Section {k % sections}]] and" for k in range(n))
        root = write_archive(tmp_path / str(n), article, note)
        config = load_config(root)
        return lambda: analyse(root, config)

    assert doubling_ratio(linked, 1000) < 2.3
