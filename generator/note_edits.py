"""The last analysis brought up to date after notes were edited in place: serve's common case.

A reader annotating mostly edits notes. When the only files changed since the last
analysis are notes still under the same names, and what other documents read of them is
unchanged (title, tags, article, headings), then every other record, body, anchor, link
and list of the archive is exactly what it was, and the new analysis is the last one with
the edited notes put in: their records and bodies, their anchors, their links and the
backlinks those give. That is work on the edited notes alone, where even a fully memoized
analysis (memo.py) passes over every document a dozen times (about 0.4 s at 5,000
articles). Any other edit gets the ordinary analysis; the tests compare the two.

The last analysis is used only while it matches the document cache: `analyse` and this
module forget it when they start, and record the new one only when it is sound, so after
a failed build the next one is an ordinary analysis.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from pathlib import Path

from typing import TYPE_CHECKING

from generator.anchor import anchored
from generator.config import Config
from generator.documents import DocumentCache, ScannedFile, process_files
from generator.errors import ProblemLog
from generator.graph import DocumentLinks, links_of, note_title, relinked
from generator.memo import Memo
from generator.records import Note, RenderedBody

if TYPE_CHECKING:
    from generator.build import Analysis  # build imports this module

DocKey = tuple[str, str]


def analysis_after_note_edits(
    root: Path,
    config: Config,
    files: tuple[ScannedFile, ...],
    assets: tuple[tuple[str, bytes], ...],
    cache: DocumentCache,
    memo: Memo,
) -> Analysis | None:
    """The analysis of `files` made from the last one, or None when the edit is not one of notes in place."""
    last, memo.analysis = memo.analysis, None
    targets = memo.last("link targets")
    if last is None or targets is None or last.config != config or tuple(f.path for f in files) != memo.paths:
        return None
    edited = [f for f in files if f.text is not None]  # no result in the cache for these bytes
    if not edited or any(f.collection != "notes" for f in edited):
        return None
    log = ProblemLog()
    process_files(root, edited, cache, config, log)
    log.raise_errors()
    notes, bodies = list(last.archive.notes), dict(last.bodies)
    changed: list[Note] = []
    for file in edited:
        processed = cache.entries[file.path].processed
        note, body = processed.record, processed.body
        index = bisect_left(notes, note.slug, key=_slug)
        if _read_elsewhere(note, body) != _read_elsewhere(notes[index], bodies[("note", note.slug)]):
            return None
        notes[index], bodies[("note", note.slug)] = note, body
        changed.append(note)
    anchors = dict(last.anchors)
    links: dict[DocKey, DocumentLinks] = {}
    for note in changed:
        article = bodies.get(("article", note.article)) if note.article is not None else None
        anchor, problems = anchored(note, article.text if article is not None else None, config.fuzzy_threshold, memo)
        log.extend(problems)
        if anchor is not None:
            anchors[note.slug] = anchor
        key = ("note", note.slug)
        links[key] = links_of(note, "note", bodies[key], targets, bodies, memo)
        log.extend(links[key].problems)
    log.raise_errors()
    memo.keep()
    paths = {f.path for f in edited}
    warnings = tuple(sorted([w for w in last.warnings if w.loc.path not in paths] + log.warnings))
    archive = dataclasses.replace(last.archive, notes=tuple(notes))
    graph = relinked(last.graph, links)
    memo.analysis = dataclasses.replace(last, config=config, archive=archive, bodies=bodies, anchors=anchors, graph=graph, assets=assets, warnings=warnings)
    return memo.analysis


def _slug(note: Note) -> str:
    return note.slug


def _read_elsewhere(note: Note, body: RenderedBody) -> tuple:
    """What other documents and lists read of a note (besides its own pages): its title (link
    labels, backlinks), tags (tag pages), article (the article's notes) and headings (links to them)."""
    return (note_title(note), note.tags, note.article, body.headings)
