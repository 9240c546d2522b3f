"""`sitegen import-annotations`: highlights made in other tools become note files.

Hypothesis's lesson, again: a highlight attached to the wrong passage is worse than one
not imported. So each highlight is matched to an article by its full normalised URL
(query included: `story.php?id=101` is not `?id=202`), or by a title only one article
has; its quote must anchor in that article as the build will anchor it (the export's
prefix/suffix or position pick between equal passages); and the notes are checked by the
build's own stages before any is written. What cannot be placed is listed, never guessed.

Importing is repeatable: a note keeps the annotation's id (`annotation_id`), so the same
export imported twice adds nothing. The notes of one import are written together or not
at all.

`write_highlight_notes` is the public entry for other importers: give it `Highlight`s
already matched to articles.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from generator.anchor import ORPHAN, Ambiguous, NormalizedText, find_quote, fold
from generator.annotation_formats import Export, ExportedHighlight, clean_text, read_export
from generator.build import Analysis, DocKey, analyse
from generator.config import Config, load_config
from generator.documents import DocumentCache, ScannedFile, cache_settings, content_digest, process_documents, scan_content
from generator.emit.feeds import absolute_iri
from generator.errors import Problem, SiteError, SourceLoc
from generator.memo import Memo
from generator.quicknote import note_slug
from generator.records import Archive, Article, RenderedBody
from generator.slugs import is_valid_slug
from generator.source_urls import url_key
from generator.urls import page_path

CONTEXT_WIDTHS = (16, 32, 64, 128, 256)  # prefix/suffix lengths tried when only a position tells equal passages apart


@dataclass(frozen=True, slots=True)
class Highlight:
    """A highlight to become a note on one article (see write_highlight_notes)."""

    article: str  # slug of the article
    quote: str | None  # None: a note on the whole article
    prefix: str | None = None  # text just before the quote, as the source tool saw it
    suffix: str | None = None
    position: tuple[int, int] | None = None  # start and end in the article's plain text (W3C TextPositionSelector)
    note: str = ""  # Markdown
    tags: tuple[str, ...] = ()
    id: str | None = None  # the source tool's id; a note holding it already means "imported before"
    created: datetime.date | None = None
    where: SourceLoc = SourceLoc("")  # the file it came from, for messages
    label: str = ""  # which record of that file ("annotation 3"), when `where` has no line
    slug: str | None = None  # the slug to use when free (an annotation this archive exported keeps its own)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: notes written, highlights left out on purpose, and those it could not place."""

    written: tuple[Path, ...] = ()  # relative to the archive's folder
    already: int = 0  # imported before: a note holds the id, or the same article, quote and text
    replies: int = 0
    others: int = 0  # other users' annotations in a shared export
    not_imported: tuple[Problem, ...] = ()  # why highlights did not become notes: one per highlight, or per unknown page
    unplaced: int = 0  # how many highlights did not become notes
    warnings: tuple[Problem, ...] = ()  # the build's warnings about the notes written (a quote that anchors only fuzzily)


def import_annotations(root: Path, export_path: Path) -> ImportReport:
    """Read an export (Hypothesis, Readwise, W3C), match its highlights to articles, write the notes."""
    export = read_export(export_path)
    archive = _ArchiveState.load(root)
    highlights, unmatched = match_articles(export, archive)
    report = archive.write(highlights)
    return replace(
        report,
        replies=export.replies,
        others=export.others,
        not_imported=unmatched + report.not_imported,
        unplaced=len(export.highlights) - len(highlights) + report.unplaced,
    )


def write_highlight_notes(root: Path, highlights: Sequence[Highlight]) -> ImportReport:
    """Write a note for each highlight that anchors in its article, all at once; report the others.

    A highlight is left out (in `not_imported`, with why) when its article does not exist,
    its quote is not in the article, or it matches several passages that neither its
    prefix/suffix nor its position tell apart. One imported before (same id, or same
    article, quote and text) is counted in `already`. Raises SiteError, writing nothing,
    when a file of the archive cannot be parsed or the notes would add a build error to another file.
    Each Highlight's `where` and `label` name it in messages.
    """
    return _ArchiveState.load(root).write(highlights)


# --- matching highlights to articles ---------------------------------------------------


def _title_key(title: str) -> str:
    return " ".join(title.lower().split())


def match_articles(export: Export, archive: _ArchiveState) -> tuple[tuple[Highlight, ...], tuple[Problem, ...]]:
    """Each highlight with its article, and one problem per page (URL or title) that matches none."""
    by_url: dict[str, set[str]] = {}
    by_title: dict[str, set[str]] = {}
    for article in archive.archive.articles:
        for url in (article.source_url, archive.article_iri(article)):
            key = url_key(url) if url else None
            if key:
                by_url.setdefault(key, set()).add(article.slug)
        by_title.setdefault(_title_key(article.title), set()).add(article.slug)
    matched: list[Highlight] = []
    unmatched: dict[tuple[str, tuple[str, ...]], list[ExportedHighlight]] = {}  # by (page, the articles it matches when several)
    for highlight in export.highlights:
        candidates = [by_url.get(key, set()) for key in map(url_key, highlight.urls) if key]
        if highlight.title:
            candidates.append(by_title.get(_title_key(highlight.title), set()))
        slugs = next((found for found in candidates if found), set())
        if len(slugs) == 1:
            matched.append(_highlight(highlight, next(iter(slugs)), archive))
        else:
            page = highlight.urls[0] if highlight.urls else highlight.title or ""
            unmatched.setdefault((page, tuple(sorted(slugs))), []).append(highlight)
    return tuple(matched), tuple(_unmatched_problem(slugs, group) for (_, slugs), group in unmatched.items())


def _highlight(exported: ExportedHighlight, article: str, archive: _ArchiveState) -> Highlight:
    return Highlight(
        article=article,
        quote=exported.quote,
        prefix=exported.prefix,
        suffix=exported.suffix,
        position=exported.position,
        note=exported.note,
        tags=exported.tags,
        id=exported.id,
        created=exported.created,
        where=exported.where,
        label=exported.label,
        slug=archive.own_note_slug(exported.id),
    )


def _unmatched_problem(slugs: tuple[str, ...], group: list[ExportedHighlight]) -> Problem:
    """One line for the highlights on one page that no single article matches (`slugs`: those it matches)."""
    first = group[0]
    named = f"the URL {first.urls[0]}" if first.urls else f"the title '{first.title}'" if first.title else ""
    if not named:
        reason = "the highlight names no URL or title to find its article by; not imported"
    elif slugs:
        reason = f"{named} matches several articles ({', '.join(slugs)}); not imported"
    else:
        reason = f"no article in the archive has {named}; not imported (import the article first)"
    more = len(group) - 1
    if more:
        reason += f"; nor {more} more highlight{'' if more == 1 else 's'} on this page"
    return Problem(first.where, f"{first.label}: {reason}" if first.label else reason)


# --- placing and writing notes ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Planned:
    """A note about to be written: its slug, file text, and where its highlight came from."""

    slug: str
    text: str
    highlight: Highlight

    @property
    def path(self) -> str:
        return f"content/notes/{self.slug}.md"


class _NotPlaced(Exception):
    """Why a highlight cannot become a note the build accepts."""


@dataclass
class _ArchiveState:
    """The archive as the build reads it: its records and its articles' text."""

    root: Path
    config: Config
    archive: Archive
    bodies: dict[DocKey, RenderedBody]
    content: tuple[tuple[ScannedFile, ...], tuple[tuple[str, bytes], ...]]
    cache: DocumentCache
    memo: Memo
    normalized: dict[str, NormalizedText] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> _ArchiveState:
        """Raises SiteError when a file cannot be parsed: notes could not be checked against it."""
        config = load_config(root)
        cache, memo = DocumentCache(cache_settings(root, config)), Memo()
        content = scan_content(root, cache)
        archive, bodies, _ = process_documents(root, content[0], cache, config)
        return cls(root, config, archive, bodies, content, cache, memo)

    def _analysed(self, planned: Sequence[_Planned]) -> tuple[Analysis | None, tuple[Problem, ...]]:
        """The build's analysis of the archive with `planned` notes added in memory, or its errors."""
        files, assets = self.content
        new = tuple(ScannedFile(p.path, "notes", content_digest(p.text), p.text) for p in planned)
        try:
            return analyse(self.root, self.config, content=(files + new, assets), cache=self.cache, memo=self.memo), ()
        except SiteError as error:
            return None, error.problems

    def article_iri(self, article: Article) -> str:
        """The archived copy's address as `sitegen export` names it (a W3C target's `source`)."""
        return absolute_iri(self.config, page_path("article", article.slug))

    def own_note_slug(self, annotation_id: str | None) -> str | None:
        """The slug of a note this archive exported (its W3C id is the note page's address)."""
        if not annotation_id:
            return None
        section = absolute_iri(self.config, page_path("note", "x")).removesuffix("x/")
        slug = annotation_id.removeprefix(section).removesuffix("/") if annotation_id.startswith(section) else ""
        return slug if is_valid_slug(slug) else None

    def write(self, highlights: Iterable[Highlight]) -> ImportReport:
        planned, already, problems = self._plan(highlights)
        planned, rejected, warnings = self._accepted_by_build(planned)
        written = _write_all(self.root / "content" / "notes", planned)
        return ImportReport(
            written=tuple(Path("content", "notes", path.name) for path in written),
            already=already,
            not_imported=tuple(problems + rejected),
            unplaced=len(problems) + len(rejected),
            warnings=warnings,
        )

    def _plan(self, highlights: Iterable[Highlight]) -> tuple[list[_Planned], int, list[Problem]]:
        archive = self.archive
        articles = archive.article_of
        taken = {slug.lower() for collection in (archive.articles, archive.notes, archive.entities) for slug in (r.slug for r in collection)}
        own_notes = {note.slug for note in archive.notes}
        known_ids = {note.annotation_id for note in archive.notes if note.annotation_id}
        known_content = {_content_key(n.article, n.quote, n.body) for n in archive.notes}
        planned, problems, already = [], [], 0
        for highlight in highlights:
            highlight = replace(highlight, id=_collapsed(highlight.id))
            content = _content_key(highlight.article, _collapsed(highlight.quote), clean_text(highlight.note))
            if (highlight.id and highlight.id in known_ids) or (highlight.slug and highlight.slug in own_notes) or content in known_content:
                already += 1
                continue
            article = articles.get(highlight.article)
            try:
                if article is None:
                    raise _NotPlaced(f"no article '{highlight.article}'")
                note = self._note_text(highlight, article)
            except _NotPlaced as reason:
                problems.append(_problem(highlight, f"{reason}; not imported"))
                continue
            slug = _free_slug(highlight, article, taken)
            taken.add(slug)
            known_content.add(content)
            if highlight.id:
                known_ids.add(highlight.id)
            planned.append(_Planned(slug, note, highlight))
        return planned, already, problems

    def _note_text(self, highlight: Highlight, article: Article) -> str:
        """The note file for `highlight`; _NotPlaced when its quote does not anchor at one place."""
        front: dict = {"article": article.slug}
        quote = _collapsed(highlight.quote)
        if quote:
            text = self.bodies[("article", article.slug)].text
            prefix, suffix = _context_that_anchors(text, quote, highlight, article.slug, self.config.fuzzy_threshold, self.normalized)
            front["quote"] = quote
            if prefix:
                front["prefix"] = prefix
            if suffix:
                front["suffix"] = suffix
        front["tags"] = list(dict.fromkeys(tag for tag in (" ".join(clean_text(t).split()) for t in highlight.tags) if tag))
        if highlight.created:
            front["created"] = highlight.created
        if highlight.id and not highlight.slug:
            front["annotation_id"] = highlight.id
        body = clean_text(highlight.note).strip()
        head = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100000) + "---\n"
        return head + (f"\n{body}\n" if body else "")

    def _accepted_by_build(self, planned: list[_Planned]) -> tuple[list[_Planned], list[Problem], tuple[Problem, ...]]:
        """The planned notes the build accepts together with the archive (run in memory, on
        its own stages: a note body's wikilinks, say, are checked as a build checks them),
        a problem for each note it refused, and its warnings about those it accepts.

        The archive may have build errors already: an import may mend some (a wikilink to a
        note it brings back) and must add none; SiteError, writing nothing, if it would."""
        rejected: list[Problem] = []
        while planned:
            analysis, errors = self._analysed(planned)
            by_path = {p.path: p for p in planned}
            refused = [problem for problem in errors if problem.loc.path in by_path]
            if not refused:
                if errors:
                    _, before = self._analysed(())
                    broken = set(errors) - set(before)
                    if broken:
                        raise SiteError(broken)
                warnings = analysis.warnings if analysis is not None else ()
                return planned, rejected, tuple(w for w in warnings if w.loc.path in by_path)
            rejected += [_problem(by_path[p.loc.path].highlight, f"the note would not build ({p.message}); not imported") for p in refused]
            planned = [p for p in planned if p.path not in {problem.loc.path for problem in refused}]
        return planned, rejected, ()


def _collapsed(text: str | None) -> str | None:
    """A quote (or an id) as `sitegen note` keeps a quote: one space for each whitespace run, no
    control characters (None when nothing is left)."""
    return " ".join(clean_text(text or "").split()) or None


def _cleaned(text: str | None) -> str | None:
    return clean_text(text or "") or None


def _content_key(article: str | None, quote: str | None, body: str) -> tuple:
    return (article, fold(quote or ""), " ".join(body.split()))


def _problem(highlight: Highlight, message: str) -> Problem:
    return Problem(highlight.where, f"{highlight.label}: {message}" if highlight.label else message)


def _context_that_anchors(
    text: str, quote: str, highlight: Highlight, article: str, threshold: float, normalized: dict[str, NormalizedText]
) -> tuple[str | None, str | None]:
    """(prefix, suffix) under which `quote` anchors at one place in `text`: none when the
    quote alone does; else the export's own; else context cut from the text at the export's
    position, when the quote is what stands there. _NotPlaced when none does."""
    prefix, suffix = _cleaned(highlight.prefix), _cleaned(highlight.suffix)
    attempts = [(None, None)] + ([(prefix, suffix)] if prefix or suffix else [])
    places = 0
    for before, after in attempts:
        try:
            tier, *_ = find_quote(text, quote, before, after, threshold, normalized)
        except Ambiguous as ambiguous:
            places = max(places, ambiguous.count)
            continue
        if tier == ORPHAN:
            raise _NotPlaced(f"quote not found in article '{article}'")
        return before, after
    position = highlight.position
    for before, after in _context_at_position(text, quote, position) if position is not None else ():
        try:
            _, start, end, _ = find_quote(text, quote, before, after, threshold, normalized)
        except Ambiguous:
            continue
        if _overlaps((start, end), position):  # the passage at the position, not another
            return before, after
    raise _NotPlaced(f"quote matches {places} places in article '{article}' and the export's prefix/suffix do not pick one")


def _overlaps(span: tuple[int, int], position: tuple[int, int] | None) -> bool:
    return position is not None and span[0] < position[1] and position[0] < span[1]


def _context_at_position(text: str, quote: str, position: tuple[int, int]) -> Iterable[tuple[str, str]]:
    """Growing prefix/suffix pairs around `position`, if the quote is what stands there."""
    if position[1] > len(text) or fold(text[position[0] : position[1]]) != fold(quote):
        return
    start, end = position
    for width in CONTEXT_WIDTHS:
        yield text[max(0, start - width) : start], text[end : end + width]


def _free_slug(highlight: Highlight, article: Article, taken: set[str]) -> str:
    """The highlight's own slug when free, else one made from its quote (or the article's title),
    numbered past every slug in use: a note's slug must not shadow an article or an entity either."""
    if highlight.slug and highlight.slug not in taken:
        return highlight.slug
    base = note_slug(_collapsed(highlight.quote) or f"on {article.title}")
    number = 1
    while (slug := base if number == 1 else f"{base}-{number}") in taken:
        number += 1
    return slug


def _write_all(folder: Path, planned: list[_Planned]) -> list[Path]:
    """Write every planned note, or none: each goes to a temporary file first, then all are
    linked to their names (never over an existing file); an interruption or a failure
    removes whatever of this import was already in place."""
    if not planned:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[str] = []
    written: list[Path] = []
    try:
        for note in planned:
            handle, temp = tempfile.mkstemp(dir=folder, prefix=".note-", suffix=".tmp")
            temps.append(temp)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(note.text)
        for note, temp in zip(planned, temps):
            target = folder / f"{note.slug}.md"
            try:
                os.link(temp, target)
            except FileExistsError:
                raise SiteError.at(SourceLoc(note.path), "a note of this name appeared during the import; run it again") from None
            written.append(target)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    finally:
        for temp in temps:
            Path(temp).unlink(missing_ok=True)
    return written


def summary(report: ImportReport) -> str:
    """One line: how many notes were written and what was left out."""
    parts = [_counted(len(report.written), "note", "notes") + " imported"]
    for count, singular, plural in (
        (report.already, "already imported", "already imported"),
        (report.replies, "reply skipped", "replies skipped"),
        (report.others, "annotation by another user skipped", "annotations by other users skipped"),
        (report.unplaced, "highlight not imported (listed above)", "highlights not imported (listed above)"),
    ):
        if count:
            parts.append(_counted(count, singular, plural))
    return "; ".join(parts)


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"
