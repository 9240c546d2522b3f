"""The frozen records that flow through the build.

Each stage takes records and returns new ones; nothing is changed after it is made,
so any stage can be cached or handed to a worker process. The records that are pickled
(to the document cache, the analysis on disk, and back from worker processes) are named
tuples: one unpickles in one call, without a __dict__ to fill (a slotted frozen dataclass
unpickles through a Python-level __setstate__, call by call), and a named tuple class
is made without a dataclass's code generation, which every build pays at start.
"""

from __future__ import annotations

import datetime
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final, NamedTuple
from urllib.parse import urlsplit

from generator.errors import Problem, SourceLoc

Date = datetime.date | datetime.datetime


class SourceFile(NamedTuple):
    """A content file as read from disk: its project-relative path, its collection and text."""

    path: str
    collection: str  # "articles" | "notes" | "entities"
    text: str


class Author(NamedTuple):
    name: str
    slug: str
    role: str | None = None
    bio: str | None = None
    organization: bool = False  # the reader marked the author as an organisation: citations keep the name whole
    line: int = 0  # where the author is written in the article's front-matter, for warnings about it


class Image(NamedTuple):
    credit: str | None  # None: not stated; such an image is withheld, never published (content/parse.py)
    title: str | None = None
    caption: str | None = None
    photographer: str | None = None
    agency: str | None = None
    src: str | None = None
    alt: str | None = None
    after_paragraph: int | None = None
    line: int = 0  # of its `src` (else of the image) in the front matter: where a warning about it points


class Article(NamedTuple):
    slug: str
    loc: SourceLoc
    title: str
    outlet: str | None  # None: the source did not say, and the reader has not filled it in
    outlet_slug: str | None
    authors: tuple[Author, ...]
    body: str  # the Markdown text; empty in the build's records once rendered (RenderedBody holds it; a second copy of every body would grow with the archive)
    body_line: int
    subtitle: str | None = None
    anonymous: bool = False
    source_url: str | None = None
    published: Date | None = None
    archived: datetime.date | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()  # the credited images only: an uncredited one is not published
    unknown: tuple[tuple[int, str], ...] = ()  # (line, warning) per field left empty: kept on the record, as cached records are not parsed again
    withheld: tuple[str, ...] = ()  # the `src` of each uncredited image, whose file is not published either


class Note(NamedTuple):
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
    annotation_id: str | None = None  # the id it had in the tool it was imported from (import-annotations)


class Entity(NamedTuple):
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
    """Every parsed record of the archive, each collection sorted by slug, and each record by its
    slug (`article_of`, `note_of`, `entity_of`): made once here, for every stage that looks one up."""

    articles: tuple[Article, ...]
    notes: tuple[Note, ...]
    entities: tuple[Entity, ...]
    article_of: Mapping[str, Article] = field(init=False, repr=False, compare=False)
    note_of: Mapping[str, Note] = field(init=False, repr=False, compare=False)
    entity_of: Mapping[str, Entity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "article_of", {article.slug: article for article in self.articles})
        object.__setattr__(self, "note_of", {note.slug: note for note in self.notes})
        object.__setattr__(self, "entity_of", {entity.slug: entity for entity in self.entities})


# --- rendering -------------------------------------------------------------------


class Piece(NamedTuple):
    """One piece of a rendered body, as `RenderedBody.pieces` spells it out.

    kind is "html" (markup, no reader-visible text), "text" (text to escape; it is what
    quotes anchor to), "break" (a block boundary: "\\n\\n" in the plain text, nothing in
    HTML), "wikilink" (an `<a>` whose href is resolved later; value = index into
    RenderedBody.wikilinks), "label" (the title of that link's target, for a wikilink
    written without a label; value = the same index) or "figure" (value = index of the
    article's image). `plain` says whether entity auto-links may go here (not in links,
    headings or code); it is False only for some text pieces.
    """

    kind: str
    value: str
    plain: bool = True


# One character per piece in RenderedBody.kinds.
HTML, TEXT, TEXT_NOT_PLAIN, BREAK, WIKILINK, LABEL, FIGURE = "h", "t", "u", "b", "w", "l", "f"
CODE_OF_KIND = {"html": HTML, "text": TEXT, "break": BREAK, "wikilink": WIKILINK, "label": LABEL, "figure": FIGURE}
KIND_OF_CODE = {code: kind for kind, code in CODE_OF_KIND.items()} | {TEXT_NOT_PLAIN: "text"}
SIZE_FORMAT: Final = "I"  # RenderedBody.sizes: native unsigned 32-bit integers


class WikiRef(NamedTuple):
    """A `[[target#heading|label]]` as written, with where it stands."""

    target: str
    heading: str | None
    label: str | None
    line: int
    text_offset: int  # position in RenderedBody.text, for the backlink's context sentence


class Heading(NamedTuple):
    level: int
    text: str
    id: str


@dataclass(frozen=True, slots=True)
class ReservedIds:
    """The element ids a theme's pages use themselves, which headings must not take: whole
    ids (`main`, `search`) and the starts of ids made per item (`note-`, `margin-`)."""

    ids: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def clash(self, heading_id: str) -> bool:
        """Whether `heading_id`, or an id made from it by adding `-2`, `-3`..., may be one of these."""
        return heading_id in self.ids or (heading_id + "-").startswith(self.prefixes)


NO_RESERVED_IDS = ReservedIds()


class RenderedBody(NamedTuple):
    """A Markdown body turned into pieces, plus the plain text that quotes anchor against.

    The pieces are packed into a handful of objects, so that pickling a body (to or from
    a worker, into a cache) costs little more than its text:

    - `kinds`: one character per piece: "h" html, "t" text (plain), "u" text that is not
      plain, "b" break, "w" wikilink, "l" label, "f" figure;
    - `sizes`: one native uint32 per piece (`sizes_view()` reads them): the length of an
      html piece in `markup`, of a text or break piece in `text`, or the index of a
      wikilink, label or figure;
    - `markup`: every html piece, in order, joined;
    - `text`: every text and break piece, in order, joined: it IS the plain text.

    `pieces`/`iter_pieces()` give the pieces back one by one; hot loops read `kinds` and
    `sizes_view()` directly and slice `text` and `markup`.
    """

    kinds: str
    sizes: bytes
    markup: str
    text: str
    wikilinks: tuple[WikiRef, ...]
    headings: tuple[Heading, ...]

    @classmethod
    def from_pieces(cls, pieces, wikilinks: tuple[WikiRef, ...] = (), headings: tuple[Heading, ...] = ()) -> RenderedBody:
        """Pack `pieces` (Piece or (kind, value[, plain]) tuples); the text is their text and break pieces."""
        kinds: list[str] = []
        sizes = array(SIZE_FORMAT)
        markup: list[str] = []
        text: list[str] = []
        for kind, value, *plain in (tuple(piece) for piece in pieces):
            code = CODE_OF_KIND[kind]
            if code == TEXT and plain and not plain[0]:
                code = TEXT_NOT_PLAIN
            kinds.append(code)
            if code == HTML:
                markup.append(value)
            elif code in (TEXT, TEXT_NOT_PLAIN, BREAK):
                text.append(value)
            sizes.append(len(value) if code in (HTML, TEXT, TEXT_NOT_PLAIN, BREAK) else int(value))
        return cls("".join(kinds), sizes.tobytes(), "".join(markup), "".join(text), tuple(wikilinks), tuple(headings))

    def sizes_view(self) -> memoryview:
        """`sizes` as a sequence of ints."""
        return memoryview(self.sizes).cast(SIZE_FORMAT)

    def iter_pieces(self) -> Iterator[Piece]:
        """Every piece, in order."""
        text, markup = self.text, self.markup
        offset = markup_offset = 0
        for code, size in zip(self.kinds, self.sizes_view()):
            if code == HTML:
                yield Piece("html", markup[markup_offset : markup_offset + size])
                markup_offset += size
            elif code == TEXT or code == TEXT_NOT_PLAIN or code == BREAK:
                yield Piece(KIND_OF_CODE[code], text[offset : offset + size], code != TEXT_NOT_PLAIN)
                offset += size
            else:
                yield Piece(KIND_OF_CODE[code], str(size))

    def plain_spans(self) -> list[tuple[int, int]]:
        """(start, end) in `text` of every plain text piece (where entity auto-links may go), in order."""
        spans: list[tuple[int, int]] = []
        offset = 0
        for code, size in zip(self.kinds, self.sizes_view()):
            if code == TEXT:
                spans.append((offset, offset + size))
                offset += size
            elif code == TEXT_NOT_PLAIN or code == BREAK:
                offset += size
        return spans

    def wikilink_places(self) -> list[tuple[bool, int, int]]:
        """(is_label, wikilink index, offset in `text`) of every wikilink and label piece, in order."""
        if WIKILINK not in self.kinds:
            return []
        places: list[tuple[bool, int, int]] = []
        offset = 0
        for code, size in zip(self.kinds, self.sizes_view()):
            if code == TEXT or code == TEXT_NOT_PLAIN or code == BREAK:
                offset += size
            elif code == WIKILINK or code == LABEL:
                places.append((code == LABEL, size, offset))
        return places

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """Every piece, in order (built on each call: loops that run often read the packed fields)."""
        return tuple(self.iter_pieces())


# --- anchoring and linking --------------------------------------------------------


class Anchor(NamedTuple):
    """Where a note's quote landed in its article's plain text.

    tier is "exact", "normalized", "fuzzy", "orphan" (not found) or "none" (the note has
    no quote). start/end are offsets into the article's RenderedBody.text, or, when
    `figure` is a number, into the caption of the article's image of that index, or, when
    `standfirst`, into the article's subtitle.
    """

    note: str
    article: str
    tier: str
    start: int = 0
    end: int = 0
    similarity: float = 100.0
    figure: int | None = None
    standfirst: bool = False


class Backlink(NamedTuple):
    """A document that links to another, with the sentence holding the link.

    A named tuple, as wikilinks are: the analysis cache holds one per link (18,625 at 5,000 articles)."""

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


DocKey = tuple[str, str]  # (kind, slug): an article, note or entity


@dataclass(frozen=True, slots=True)
class Config:
    """The site's settings, from the optional sitegen.yaml (config.py reads and checks it)."""

    title: str = "Reading archive"
    description: str = "Articles I have read, with my highlights and notes."
    base_url: str = "/"
    language: str = "en"
    theme: str = "default"
    author: str | None = None
    cname: str | None = None
    entity_autolink: bool = True
    allow_html: bool = False
    home_items: int = 10
    feed_items: int = 50
    search: bool = True
    fuzzy_threshold: float = 90.0

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/' ('/repo/')."""
        return _base_path(self.base_url)

    @property
    def origin(self) -> str:
        """'https://example.org' when base_url is absolute, '' when it is only a path."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


@lru_cache(maxsize=8)
def _base_path(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


StatSignature = tuple[int, int, int]  # (mtime_ns, size, inode)


class ScannedFile(NamedTuple):
    """A content file found on disk: its text when it had to be read, its content hash
    unless it was left for the processing stage to read (`scan_content`'s `leave_unread`).
    A named tuple: every build makes one per file, and a tuple is made fastest."""

    path: str
    collection: str
    digest: str | None  # None: not read yet; known once processed (`with_digests`)
    text: str | None  # None: unchanged since the cached result, or not read yet
    signature: StatSignature | None = None  # to record with a new result, if the file was stable


@dataclass(frozen=True, slots=True)
class TextLink:
    """An `<a>` over text inside one text piece (entity auto-links)."""

    start: int
    end: int
    href: str
    title: str


@dataclass(frozen=True, slots=True)
class Taxon:
    """An author, outlet or tag: its display name and what is filed under it."""

    slug: str
    name: str
    articles: tuple[str, ...]
    notes: tuple[str, ...] = ()
    author: Author | None = None


@dataclass(frozen=True, slots=True)
class LinkGraph:
    """Everything the pages need to know about how documents connect. Read-only.

    The indexes by document are dicts, or read from the analysis on disk entry by entry
    (analysis_cache.StoredIndex)."""

    wikilinks: Mapping[DocKey, tuple[tuple[str, str], ...]]  # doc -> (href, title) per WikiRef index
    backlinks: Mapping[DocKey, tuple[Backlink, ...]]
    links_from: Mapping[DocKey, tuple[DocKey, ...]]  # doc -> the documents its wikilinks point to
    notes_by_article: Mapping[str, tuple[str, ...]]
    mentions: Mapping[str, tuple[tuple[str, int], ...]]  # entity -> (article, count), most mentions first
    entities_in: Mapping[str, tuple[str, ...]]  # article -> entities it mentions
    autolinks: Mapping[str, tuple[TextLink, ...]]  # article -> entity links on first mentions (see EntityLinks)
    authors: dict[str, Taxon]
    outlets: dict[str, Taxon]
    tags: dict[str, Taxon]
    entity_of_author: dict[str, str]  # author slug -> entity slug, for authors who are also entities
    titles: dict[DocKey, str]  # every document's title: an article's, a note's (note_title), an entity's name


@dataclass(frozen=True, slots=True)
class Analysis:
    """The archive understood: records, rendered bodies, anchors and the link graph."""

    config: Config
    archive: Archive
    bodies: Mapping[DocKey, RenderedBody]  # a dict, or StoredBodies (analysis_cache.py)
    anchors: dict[str, Anchor]  # by note slug
    graph: LinkGraph
    assets: tuple[tuple[str, bytes], ...]  # content files that are not Markdown: (path, bytes)
    warnings: tuple[Problem, ...]


# The page keys of a build (incremental.py), kept for the next one by the memo (memo.py).


@dataclass(frozen=True, slots=True)
class KeyedPages:
    """Every page's key, and for the pages of documents and taxa (authors, outlets, tags)
    what each key was computed from; below, "document" covers both.

    `facts` holds, per document, a digest of everything any key computation reads of it
    (its hash, title, listed digest and its entries in the link graph: as digests they load
    far quicker than the values they stand for); `listed` what lists show of each
    (listed_digest), so that a build changing a few documents makes only theirs again;
    `inputs` the documents each document page's key read. A later build (serve's next one,
    or a command-line build from the analysis on disk) computes again only the keys of pages
    that read a document whose facts changed: every other key would read the very same values
    and come out the same. The inputs are packed as numbers (some 200,000 at 5,000 articles):
    as sets of documents they took longer to load from disk than the keys take to compute.
    """

    setup: str
    keys: dict[str, str]  # output file path -> key, every page
    document_keys: dict[DocKey, str]  # the keys of the document pages, by document
    facts: dict[DocKey, str]
    listed: dict[DocKey, str]
    numbered: tuple[DocKey, ...]  # every document by its number in `inputs` (later builds add new ones at the end)
    inputs: dict[DocKey, bytes]  # document page -> the numbers of the documents its key read (incremental.NUMBER_FORMAT)
    lists: ListDigests  # what the keys of the pages listing whole collections read
    templates: dict[str, str] = field(default_factory=dict)  # the template digests `combined` was made with
    combined: dict[str, str] = field(default_factory=dict)  # each key with its templates (with_templates)


class ListDigests(NamedTuple):
    """What the pages listing a whole collection show, as digests: made again only when a
    document they read changed (a note edit changes none of them unless it changes what lists show)."""

    articles: str  # every article whole
    listed: str  # what lists show of every document (listed_digest)
    newest_notes: tuple[DocKey, ...]  # the notes the notes feed shows whole
