"""The frozen records that flow through the build.

Each stage takes records and returns new ones; nothing is changed after it is made,
so any stage can be cached or handed to a worker process. The records that are pickled
(to the document cache, and back from worker processes) have no __slots__: a slotted
frozen dataclass unpickles through a Python-level __setstate__, about three times slower.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from generator.errors import SourceLoc

Date = datetime.date | datetime.datetime


@dataclass(frozen=True)
class SourceFile:
    """A content file as read from disk: its project-relative path, its collection and text."""

    path: str
    collection: str  # "articles" | "notes" | "entities"
    text: str


@dataclass(frozen=True)
class Author:
    name: str
    slug: str
    role: str | None = None
    bio: str | None = None


@dataclass(frozen=True)
class Image:
    credit: str
    title: str | None = None
    caption: str | None = None
    photographer: str | None = None
    agency: str | None = None
    src: str | None = None
    alt: str | None = None
    after_paragraph: int | None = None


@dataclass(frozen=True)
class Article:
    slug: str
    loc: SourceLoc
    title: str
    outlet: str
    outlet_slug: str
    authors: tuple[Author, ...]
    body: str
    body_line: int
    subtitle: str | None = None
    anonymous: bool = False
    source_url: str | None = None
    published: Date | None = None
    archived: datetime.date | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()


@dataclass(frozen=True)
class Note:
    slug: str
    loc: SourceLoc
    body: str
    body_line: int
    article: str | None = None
    article_line: int = 0
    quote: str | None = None
    quote_line: int = 0
    prefix: str | None = None
    suffix: str | None = None
    title: str | None = None
    tags: tuple[str, ...] = ()
    created: datetime.date | None = None


@dataclass(frozen=True)
class Entity:
    slug: str
    loc: SourceLoc
    name: str
    kind: str  # "person" | "organization" | "place"
    body: str
    body_line: int
    aliases: tuple[str, ...] = ()
    url: str | None = None
    wikidata: str | None = None


Document = Article | Note | Entity


@dataclass(frozen=True, slots=True)
class Archive:
    """Every parsed record of the archive, each collection sorted by slug."""

    articles: tuple[Article, ...]
    notes: tuple[Note, ...]
    entities: tuple[Entity, ...]


# --- rendering -------------------------------------------------------------------


class Piece(NamedTuple):
    """One piece of a rendered body.

    kind is "html" (markup, no reader-visible text), "text" (text to escape; it is what
    quotes anchor to), "break" (a block boundary: "\\n\\n" in the plain text, nothing in
    HTML), or "wikilink" (an `<a>` whose href is resolved later; value = index into
    RenderedBody.wikilinks). `plain` says whether entity auto-links may go here (not in
    links, headings or code).
    """

    kind: str
    value: str
    plain: bool = True


@dataclass(frozen=True)
class WikiRef:
    """A `[[target#heading|label]]` as written, with where it stands."""

    target: str
    heading: str | None
    label: str | None
    line: int
    text_offset: int  # position in RenderedBody.text, for the backlink's context sentence


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str


@dataclass(frozen=True)
class RenderedBody:
    """A Markdown body turned into pieces, plus the plain text that quotes anchor against."""

    pieces: tuple[Piece, ...]
    text: str
    wikilinks: tuple[WikiRef, ...]
    headings: tuple[Heading, ...]


# --- anchoring and linking --------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """Where a note's quote landed in its article's plain text.

    tier is "exact", "normalized", "fuzzy", "orphan" (not found) or "none" (the note has
    no quote). start/end are offsets into the article's RenderedBody.text.
    """

    note: str
    article: str
    tier: str
    start: int = 0
    end: int = 0
    similarity: float = 100.0


@dataclass(frozen=True, slots=True)
class Backlink:
    """A document that links to another, with the sentence holding the link."""

    source_kind: str  # "article" | "note" | "entity"
    source_slug: str
    context: str


@dataclass(frozen=True, slots=True)
class LinkTarget:
    kind: str
    slug: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its path inside the site and its bytes."""

    path: str
    data: bytes = field(repr=False)
