"""The last analysis brought up to date after notes were edited in place: serve's common case.

A reader annotating mostly edits notes. When the only files changed since the last
analysis are notes still under the same names, and their tags, articles and headings are
unchanged, then every other record, body, anchor and list of the archive is exactly what
it was, and the new analysis is the last one with the edited notes put in: their records
and bodies, their anchors, their links and the backlinks those give; and, for a note
whose title changed, the links of the documents that link to it (their labels and
backlink sentences show the title). That is work on the edited notes alone, where even a
fully memoized analysis (memo.py) passes over every document a dozen times, a cost that
grows with the archive. Any other edit gets the ordinary analysis; the tests compare the two.

A command-line build starts from the analysis on disk and the notes edited since it was
written (analysis_cache.py), which this brings up to date the same way.

The last analysis is used only while it matches the document cache: `analyse` and this
module forget it when they start, and record the new one only when it is sound, so after
a failed build the next one is an ordinary analysis.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from pathlib import Path

from generator.anchor import anchored, others_of
from generator.config import Config
from generator.documents import DocumentCache, ScannedFile, process_files
from generator.errors import ProblemLog
from generator.graph import DocumentLinks, links_of, note_title, relinked
from generator.memo import Memo
from generator.records import Analysis, Archive, Note, RenderedBody

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
    saved = memo.saved
    behind = saved.superseded.keys() if saved is not None else set()  # edited since the analysis on disk
    edited = [f for f in files if f.text is not None or f.path in behind]  # no result in the cache for these bytes, or newer
    if (
        tuple(f.path for f in files) != memo.paths
        or any(f.digest is None for f in files)  # a file new to the cache (`scan_content`'s leave_unread): not an edit
        or not edited
        or any(f.collection != "notes" for f in edited)
    ):
        memo.analysis = None  # (the one on disk is then never unpickled)
        return None
    last, memo.analysis = memo.analysis, None
    targets = memo.last("link targets")
    if last is None or targets is None or last.config != config:
        return None
    if saved is not None:  # the analysis on disk holds the cache's versions of the others: keep those
        for file in edited:
            if file.path not in saved.superseded:
                processed = cache.result(file.path)
                saved.superseded[file.path] = (processed.digest, processed.body)
    log = ProblemLog()
    process_files(root, edited, cache, config, log)
    if log.errors:
        return None  # the whole analysis lists them with every problem of the other stages and notes
    notes, bodies = list(last.archive.notes), last.bodies.copy()  # type: ignore[attr-defined]  # a dict, or analysis_cache.StoredBodies: both copy
    changed: list[Note] = []
    titles: dict[DocKey, str] = {}  # the edited notes whose titles changed
    for file in edited:
        processed = cache.result(file.path)
        note, body = processed.record, processed.body
        if not isinstance(note, Note):  # an edited file is a note (see the caller); anything else gets a whole analysis
            return None
        index = bisect_left(notes, note.slug, key=_slug)
        if _read_elsewhere(note, body) != _read_elsewhere(notes[index], bodies[("note", note.slug)]):
            return None
        if (title := note_title(note)) != last.graph.titles[("note", note.slug)]:
            titles[("note", note.slug)] = title
        notes[index], bodies[("note", note.slug)] = note, body
        changed.append(note)
    archive = dataclasses.replace(last.archive, notes=tuple(notes))
    graph = last.graph
    if titles:  # link labels and backlink sentences elsewhere name them
        targets = targets.retitled(titles)
        memo.recall("link targets", targets)
        graph = dataclasses.replace(graph, titles={**graph.titles, **titles})
    anchors = dict(last.anchors)
    archive_articles = archive.article_of
    for note in changed:
        article = bodies.get(("article", note.article)) if note.article is not None else None
        article_record = archive_articles.get(note.article) if note.article is not None else None
        anchor, problems = anchored(
            note, article.text if article is not None else None, config.fuzzy_threshold, memo, others=others_of(article_record)
        )
        log.extend(problems)
        if anchor is not None:
            anchors[note.slug] = anchor
    # Links give errors only, never warnings: the documents linking to a retitled note, sound in
    # the last build, have no problems to forget here.
    relinked_keys = [("note", note.slug) for note in changed]
    relinked_keys += sorted({(b.source_kind, b.source_slug) for key in titles for b in graph.backlinks.get(key, ())} - set(relinked_keys))
    links: dict[DocKey, DocumentLinks] = {}
    for key in relinked_keys:
        links[key] = links_of(_record(archive, *key), key[0], bodies[key], targets, bodies, memo)
        log.extend(links[key].problems)
    log.raise_errors()
    memo.keep()
    # The documents whose key facts (incremental.page_keys) may have changed: the relinked ones,
    # and those they linked or link to (backlinks); all else read by page keys is unchanged.
    touched = set(relinked_keys)
    for key in relinked_keys:
        touched.update(last.graph.links_from.get(key, ()), links[key].targets)
    memo.touched = frozenset(touched) if memo.keyed is last else None
    paths = {f.path for f in edited}
    warnings = tuple(sorted([w for w in last.warnings if w.loc.path not in paths] + log.warnings))
    memo.analysis = dataclasses.replace(
        last, config=config, archive=archive, bodies=bodies, anchors=anchors, graph=relinked(graph, links), assets=assets, warnings=warnings
    )
    return memo.analysis


def _record(archive: Archive, kind: str, slug: str):
    """The record of a document, found in its collection (sorted by slug)."""
    records = {"article": archive.articles, "note": archive.notes, "entity": archive.entities}[kind]
    return records[bisect_left(records, slug, key=_slug)]


def _slug(record) -> str:
    return record.slug


def _read_elsewhere(note: Note, body: RenderedBody) -> tuple:
    """What other documents and lists read of a note, besides its title (which is followed to
    the documents linking to it): its tags (tag pages), article (the article's notes) and
    headings (links to them)."""
    return (note.tags, note.article, body.headings)
