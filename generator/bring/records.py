"""What every export is read into: one Entry per saved article, with the reader's Highlights on it.

Services disagree on everything (CSV, HTML lists, zips of Markdown, JSON); the rest of the import sees only
these records, so adding a service means writing one reader that returns them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Highlight:
    """A passage the reader marked (or, with no quote, a note on the whole article), as the export gives it."""

    quote: str | None
    note: str
    tags: tuple[str, ...] = ()
    created: datetime.date | None = None
    prefix: str | None = None  # text just before the quote, where the export records its place
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One saved article. `html` is the article as the service stored it; None means fetch `url`.

    `title`, `authors`, `published` and `language` come from the service's own record and are used only
    with `html` (a stored body has no page head to read them from)."""

    url: str
    origin: str  # where the entry was read, for messages: "pocket.csv:12", "export.zip:content/x.html"
    tags: tuple[str, ...] = ()
    saved: datetime.date | None = None
    html: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    language: str | None = None
    highlights: tuple[Highlight, ...] = ()
