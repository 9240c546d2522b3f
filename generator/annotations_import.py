"""`sitegen import-annotations`: Hypothesis JSON and Readwise CSV exports become note files.

Each highlight is matched to an archived article by its source URL (ignoring scheme,
`www.`, trailing slash, query and fragment) or, failing that, by exact title. What
cannot be matched is reported, never attached to a guessed article.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.config import load_config
from generator.content.load import load_content, slugs_in
from generator.content.parse import parse_archive
from generator.errors import Problem, SiteError, SourceLoc
from generator.quicknote import MAX_SLUG_WORDS, create_unique
from generator.slugs import slugify


@dataclass(frozen=True, slots=True)
class ExternalHighlight:
    """One highlight as another tool exported it."""

    url: str | None
    title: str | None
    quote: str | None
    prefix: str | None
    suffix: str | None
    note: str
    tags: tuple[str, ...]
    created: datetime.date | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    written: tuple[Path, ...]
    unmatched: tuple[tuple[str, int], ...]  # (url or title, how many highlights)


def read_export(path: Path) -> list[ExternalHighlight]:
    """Parse a Hypothesis JSON export or a Readwise CSV export, told apart by content."""
    loc = SourceLoc(str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SiteError.at(loc, f"cannot read the export: {error}") from None
    if text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SiteError.at(loc.at_line(error.lineno), f"invalid JSON: {error.msg}") from None
        return hypothesis_highlights(data, loc)
    return readwise_highlights(text, loc)


def hypothesis_highlights(data, loc: SourceLoc) -> list[ExternalHighlight]:
    """The highlights of a Hypothesis export. A row of another shape (a field of the wrong type)
    is an error naming the row: an export is machine-written, so it means another format."""
    rows = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise SiteError.at(loc, "not a Hypothesis export: expected a list of annotations or {'rows': [...]}")
    highlights, problems = [], []
    for number, row in enumerate(rows, start=1):
        try:
            highlights.append(_hypothesis_highlight(row))
        except _Malformed as malformed:
            problems.append(Problem(loc, f"annotation {number}: {malformed}"))
    if problems:
        raise SiteError(problems)
    return highlights


class _Malformed(Exception):
    """A Hypothesis row that is not shaped as the export format says."""


def _hypothesis_highlight(row) -> ExternalHighlight:
    row = _shaped(row, dict, "an annotation", "an object")
    quote = prefix = suffix = None
    for target in _shaped(row.get("target"), list, "'target'", "a list") or ():
        for selector in _shaped(_shaped(target, dict, "a target", "an object").get("selector"), list, "'selector'", "a list") or ():
            selector = _shaped(selector, dict, "a selector", "an object")
            if selector.get("type") == "TextQuoteSelector":
                quote, prefix, suffix = (_shaped(selector.get(key), str, f"'{key}'", "text") for key in ("exact", "prefix", "suffix"))
    titles = _shaped(_shaped(row.get("document"), dict, "'document'", "an object", {}).get("title"), list, "'title'", "a list") or []
    return ExternalHighlight(
        url=_shaped(row.get("uri"), str, "'uri'", "text"),
        title=_shaped(titles[0], str, "'title'", "a list of text") if titles else None,
        quote=quote,
        prefix=prefix or None,
        suffix=suffix or None,
        note=_shaped(row.get("text"), str, "'text'", "text") or "",
        tags=tuple(_shaped(tag, str, "'tags'", "a list of text") for tag in _shaped(row.get("tags"), list, "'tags'", "a list") or ()),
        created=_day(row.get("created")),
    )


def _shaped(value, kind: type, what: str, described: str, default=None):
    """`value` when it is of `kind` (None gives `default`), else _Malformed."""
    if value is None:
        return default
    if not isinstance(value, kind):
        raise _Malformed(f"{what} must be {described}, not {type(value).__name__}")
    return value


def readwise_highlights(text: str, loc: SourceLoc) -> list[ExternalHighlight]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "Highlight" not in reader.fieldnames:
        raise SiteError.at(loc.at_line(1), "not a Readwise CSV export: no 'Highlight' column")
    highlights = []
    for row in reader:
        tags = tuple(t.strip() for t in (row.get("Tags") or "").split(",") if t.strip())
        highlights.append(
            ExternalHighlight(
                url=row.get("URL") or row.get("Source URL") or None,
                title=row.get("Book Title") or row.get("Title") or None,
                quote=(row.get("Highlight") or "").strip() or None,
                prefix=None,
                suffix=None,
                note=row.get("Note") or "",
                tags=tags,
                created=_day(row.get("Highlighted at")),
            )
        )
    return highlights


def _day(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return host + parts.path.rstrip("/")


def import_annotations(root: Path, export: Path) -> ImportReport:
    highlights = read_export(export)
    load_config(root)
    sources, _ = load_content(root)
    archive = parse_archive(sources)
    by_url = {url_key(a.source_url): a.slug for a in archive.articles if a.source_url}
    by_title = {" ".join(a.title.lower().split()): a.slug for a in archive.articles}
    notes = root / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    taken = set(slugs_in(notes))  # in every subfolder: a slug taken there would be a duplicate
    written, unmatched = [], {}
    for highlight in highlights:
        slug = (by_url.get(url_key(highlight.url)) if highlight.url else None) or by_title.get(" ".join((highlight.title or "").lower().split()))
        if slug is None:
            key = highlight.url or highlight.title or "(no URL or title)"
            unmatched[key] = unmatched.get(key, 0) + 1
            continue
        front: dict = {"article": slug}
        if highlight.quote:
            front["quote"] = highlight.quote
            if highlight.prefix:
                front["prefix"] = highlight.prefix
            if highlight.suffix:
                front["suffix"] = highlight.suffix
        front["tags"] = list(highlight.tags)
        if highlight.created:
            front["created"] = highlight.created
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100000) + "---\n\n" + highlight.note.strip() + "\n"
        base = slugify(" ".join((highlight.quote or f"note on {slug}").split()[:MAX_SLUG_WORDS]))
        path = create_unique(notes, base, text, taken)
        taken.add(path.stem)
        written.append(path.relative_to(root))
    return ImportReport(tuple(written), tuple(sorted(unmatched.items())))
