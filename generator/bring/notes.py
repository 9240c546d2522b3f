"""A service's highlights become note files, but only those whose quote anchors in the imported text.

The check is the build's own (the article rendered as the build renders it, then anchor.find_quote with the
archive's fuzzy threshold), made before anything is written, as `sitegen note` does: a note written here
anchors, and a highlight that does not is reported with its reason instead of becoming an orphan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import yaml

from generator.anchor import FUZZY, ORPHAN, Ambiguous, find_quote
from generator.bring.records import Highlight
from generator.config import Config
from generator.content.parse import parse_article
from generator.content.unprintable import UNPRINTABLE
from generator.documents import render_record
from generator.errors import ProblemLog
from generator.importers import ImportedArticle
from generator.markdown.render import render_body
from generator.quicknote import note_slug
from generator.records import NO_RESERVED_IDS, SourceFile


@dataclass(frozen=True, slots=True)
class PlannedNote:
    """A note ready to write but for its article's slug, known only once the article file exists."""

    base: str  # the slug wanted; -2, -3 … when taken
    front: tuple[tuple[str, object], ...]  # front-matter after `article`, in order
    body: str


def note_file_text(article_slug: str, note: PlannedNote) -> str:
    front = {"article": article_slug, **dict(note.front)}
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100000) + "---\n\n" + note.body


def article_text(article: ImportedArticle, file_text: str, config: Config) -> str:
    """The plain text the build will anchor notes in, for the article whose file is `file_text`. An article
    the build cannot parse yet (a field to fill in) is rendered from its body alone: filling in front-matter
    does not change its text."""
    log = ProblemLog()
    record = parse_article(SourceFile(f"content/articles/{article.slug}.md", "articles", file_text), log)
    if record is not None:
        return render_record(record, config, NO_RESERVED_IDS).text  # the theme's reserved ids move heading ids, not text
    body_line = file_text.count("\n", 0, file_text.index("\n---\n") + 5) + 2
    return render_body(article.body, body_line, allow_html=config.allow_html).text


def plan_notes(
    highlights: tuple[Highlight, ...], text: str, config: Config, default_day: datetime.date
) -> tuple[list[PlannedNote], list[str]]:
    """(the notes to write, one reason for each highlight left out)."""
    planned, left_out = [], []
    for highlight in highlights:
        quote = " ".join(highlight.quote.split()) if highlight.quote else None
        context: tuple[str | None, str | None] = (None, None)
        if quote:
            try:
                context, why = _placed(text, quote, highlight, config.fuzzy_threshold)
            except Ambiguous as ambiguous:
                why = f"matches {ambiguous.count} places and the export gives nothing to choose one"
            if why:
                left_out.append(f"highlight \"{_shortened(quote)}\" {why}")
                continue
        elif not highlight.note.strip():
            continue
        planned.append(_note(highlight, quote, context, default_day))
    return planned, left_out


def _placed(text: str, quote: str, highlight: Highlight, threshold: float) -> tuple[tuple[str | None, str | None], str | None]:
    """The prefix and suffix the note needs (none when the quote occurs once), or why it does not anchor."""
    try:
        tier = find_quote(text, quote, None, None, threshold)[0]
        context: tuple[str | None, str | None] = (None, None)
    except Ambiguous:
        if not (highlight.prefix or highlight.suffix):
            raise
        tier = find_quote(text, quote, highlight.prefix, highlight.suffix, threshold)[0]
        context = (highlight.prefix, highlight.suffix)
    if tier == ORPHAN:
        return context, "is not in the imported text"
    if tier == FUZZY:
        return context, "matches the imported text only approximately"
    return context, None


def _note(highlight: Highlight, quote: str | None, context: tuple[str | None, str | None], default_day: datetime.date) -> PlannedNote:
    front: dict = {}
    if quote:
        front["quote"] = quote
        if context[0]:
            front["prefix"] = context[0]
        if context[1]:
            front["suffix"] = context[1]
    front["tags"] = list(highlight.tags)
    front["created"] = highlight.created or default_day
    base = note_slug(quote or "note")
    return PlannedNote(base, tuple(front.items()), _body(highlight.note))


def _body(note: str) -> str:
    """The reader's note as Markdown. Its `[[` are escaped: a wikilink written in another service names
    nothing in this archive, and an unknown one would stop the build."""
    text = UNPRINTABLE.sub("", note.replace("\r\n", "\n")).strip()
    return text.replace("[[", "\\[[") + "\n" if text else ""


def _shortened(quote: str) -> str:
    return quote if len(quote) <= 60 else quote[:57].rstrip() + "…"
