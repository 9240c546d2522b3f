"""Readwise Reader's CSV exports: the documents (`Title,URL,ID,Document tags,Saved date,…`) and the
highlights (`Highlight,Book Title,Book Author,…,Note,…,Tags,Location Type,Location,Highlighted at,…`).

Reader exports no article text, so each document is fetched. The highlights file names a document by its
title only (some exports add a URL column, used first when present), so it is read together with the
documents file: `sitegen import --from readwise-reader documents.csv highlights.csv`. A highlight whose
document is not listed becomes an entry without a URL, which the import reports as failed.
"""

from __future__ import annotations

import ast
from pathlib import Path

from generator.bring.records import Entry, Highlight
from generator.bring.services.exports import clean_tags, csv_rows, iso_day, read_text
from generator.errors import Problem, SiteError, SourceLoc
from generator.source_urls import url_key

WHAT = "a Readwise Reader CSV export (documents or highlights)"
DOCUMENT_COLUMNS = ("Title", "URL", "Saved date")
HIGHLIGHT_COLUMNS = ("Highlight", "Book Title", "Note")


def read_all(paths: list[Path]) -> list[Entry]:
    documents: list[Entry] = []
    loose: list[tuple[str, str, Highlight]] = []  # (url, title, highlight)
    problems: list[Problem] = []
    for path in paths:
        try:
            text = read_text(path)
            header = text.split("\n", 1)[0]
            if "Highlight" in header:
                loose.extend(_highlights(path, text))
            else:
                documents.extend(_documents(path, text))
        except SiteError as error:
            problems.extend(error.problems)
    if problems:
        raise SiteError(problems)
    if loose and not documents:
        raise SiteError.at(SourceLoc(str(paths[0])), "highlights name their document by title only: give Reader's documents CSV too")
    return _attach(documents, loose)


def _documents(path: Path, text: str) -> list[Entry]:
    return [
        Entry(url=row["URL"], origin=f"{path}:{line}", title=row["Title"] or None, tags=_tags(row.get("Document tags", "")), saved=iso_day(row["Saved date"]))
        for line, row in csv_rows(path, text, DOCUMENT_COLUMNS, WHAT)
    ]


def _highlights(path: Path, text: str) -> list[tuple[str, str, Highlight]]:
    return [
        (
            row.get("URL", "") or row.get("Source URL", ""),
            row["Book Title"],
            Highlight(quote=row["Highlight"] or None, note=row["Note"], tags=_tags(row.get("Tags", "")), created=iso_day(row.get("Highlighted at"))),
        )
        for _, row in csv_rows(path, text, HIGHLIGHT_COLUMNS, WHAT)
        if row["Highlight"] or row["Note"]
    ]


def _attach(documents: list[Entry], loose: list[tuple[str, str, Highlight]]) -> list[Entry]:
    """Each highlight on its document (by URL when the row has one, else by exact title)."""
    by_url = {url_key(entry.url): index for index, entry in enumerate(documents)}
    by_title = {_title_key(entry.title): index for index, entry in enumerate(documents) if entry.title}
    attached: dict[int, list[Highlight]] = {}
    orphans: dict[str, list[Highlight]] = {}
    for url, title, highlight in loose:
        index = by_url.get(url_key(url)) if url else None
        index = index if index is not None else by_title.get(_title_key(title))
        if index is None:
            orphans.setdefault(url or title, []).append(highlight)
        else:
            attached.setdefault(index, []).append(highlight)
    entries = [
        Entry(url=e.url, origin=e.origin, title=e.title, tags=e.tags, saved=e.saved, highlights=tuple(attached.get(i, ())))
        for i, e in enumerate(documents)
    ]
    for name, highlights in orphans.items():
        is_url = name.startswith(("http://", "https://"))
        entries.append(Entry(url=name if is_url else "", origin="highlights", title=None if is_url else name, highlights=tuple(highlights)))
    return entries


def _title_key(title: str | None) -> str:
    return " ".join((title or "").casefold().split())


def _tags(value: str) -> tuple[str, ...]:
    """Reader writes tags as a Python list (`['a', 'b']`); Readwise highlight tags are comma-separated."""
    value = value.strip()
    if value.startswith("["):
        try:
            tags = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            tags = []
        return clean_tags(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else ()
    return clean_tags(value.split(","))
