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
from generator.content.load import load_content
from generator.content.parse import parse_archive
from generator.errors import SiteError, SourceLoc
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
    rows = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise SiteError.at(loc, "not a Hypothesis export: expected a list of annotations or {'rows': [...]}")
    highlights = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        quote = prefix = suffix = None
        for target in row.get("target") or []:
            for selector in (target or {}).get("selector") or []:
                if selector.get("type") == "TextQuoteSelector":
                    quote, prefix, suffix = selector.get("exact"), selector.get("prefix"), selector.get("suffix")
        titles = (row.get("document") or {}).get("title") or []
        highlights.append(
            ExternalHighlight(
                url=row.get("uri"),
                title=titles[0] if titles else None,
                quote=quote,
                prefix=prefix or None,
                suffix=suffix or None,
                note=row.get("text") or "",
                tags=tuple(str(t) for t in row.get("tags") or ()),
                created=_day(row.get("created")),
            )
        )
    return highlights


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
        written.append(create_unique(notes, base, text).relative_to(root))
    return ImportReport(tuple(written), tuple(sorted(unmatched.items())))
