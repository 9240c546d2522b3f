"""The parse stage: source files become checked Article, Note and Entity records."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, NamedTuple

from generator.content.frontmatter import FENCE, split_front_matter
from generator.content.schema import (
    Field,
    boolean,
    check_mapping,
    checked_values,
    describe,
    language_tag,
    non_negative_int,
    nonempty_text,
    one_of,
    optional_date,
    optional_day,
    optional_text,
    raw_text,
    text_list,
    web_url,
)
from generator.content.yamlsafe import KeyPath, YamlDoc
from generator.errors import ProblemLog, SiteError, SourceLoc
from generator.records import Archive, Article, Author, Entity, Image, Note, SourceFile
from generator.slugs import is_valid_slug, slugify, taxon_slug

UNTITLED = "Untitled"  # what a page shows for an article whose title is written as unknown (`title: null`)
ARTICLE_FIELDS = {
    "title": Field(optional_text, doc=f"the headline, as the source prints it; `null` when unknown (a warning; the page says '{UNTITLED}')"),
    "subtitle": Field(optional_text, doc="the standfirst"),
    "authors": Field(lambda v: v, default=[], shape="a list of names or of [author mappings](#authors)",
                     doc="who wrote it, as the byline names them; empty is a warning until filled in or `anonymous: true`"),
    "anonymous": Field(boolean, default=False, doc="`true` for an article the source publishes without a byline"),
    "outlet": Field(optional_text, doc="the publication; empty is a warning until filled in"),
    "source_url": Field(web_url, doc="the original's address"),
    "published": Field(optional_date, doc="when the source says it was published; never guessed"),
    "archived": Field(optional_day, doc="when you saved it"),
    "language": Field(language_tag, doc="the article's language (default: `language` of `sitegen.yaml`); a right-to-left one makes the page `dir=\"rtl\"`"),
    "tags": Field(text_list, default=(), doc="words to file it under; each has a page at `/tags/<slug>/`"),
    "images": Field(lambda v: v, default=[], shape="a list of [image mappings](#images)", doc="the article's pictures, with their captions and credits"),
}
AUTHOR_FIELDS = {
    "name": Field(nonempty_text, required=True, doc="the name as the source prints it"),
    "role": Field(optional_text, doc="the author's role, shown after the name in the byline and on their page (`Staff writer`)"),
    "bio": Field(optional_text, doc="a line about the author, shown under the article and on their page"),
    "organization": Field(boolean, default=False, doc="`true` when the author is an organisation: its name is never split into given and family name in citations"),
}
IMAGE_FIELDS = {
    "title": Field(optional_text, doc="the image's title, shown before its caption"),
    "caption": Field(optional_text, doc="the caption, shown under the picture; a note can highlight a passage of it"),
    "credit": Field(optional_text, doc="who made it, as printed (`Photo: Jane Doe/Agency`); an image without a credit is not published"),
    "photographer": Field(optional_text, doc="the photographer's name, in the page's schema.org data"),
    "agency": Field(optional_text, doc="the agency holding its copyright, in the page's schema.org data"),
    "src": Field(optional_text, doc="an http(s) URL, or a path inside `content/` such as `images/bridge.jpg`"),
    "alt": Field(optional_text, doc="the text read out in place of the picture (default: its caption, else its title)"),
    "after_paragraph": Field(non_negative_int, doc="show it after this paragraph of the text (default: a lead image at the top)"),
}
NOTE_FIELDS = {
    "title": Field(optional_text, doc="the note's title (default: its quote, shortened, or its first line)"),
    "article": Field(optional_text, doc="the slug of the article the note is about; none for a note that stands alone"),
    "quote": Field(raw_text, doc="the passage highlighted, as copied from the article; none for a note on the whole article"),
    "prefix": Field(raw_text, doc="text just before the quote, to pick one of several places it occurs"),
    "suffix": Field(raw_text, doc="text just after the quote, to pick one of several places it occurs"),
    "tags": Field(text_list, default=(), doc="words to file it under; each has a page at `/tags/<slug>/`"),
    "created": Field(optional_day, doc="when the note was written"),
    "annotation_id": Field(optional_text, doc="the annotation's id in the tool it came from (`sitegen import-annotations` skips an annotation a note already holds)"),
}
ENTITY_FIELDS = {
    "name": Field(nonempty_text, required=True, doc="the name articles mention it by"),
    "kind": Field(one_of("person", "organization", "place"), required=True, doc="what it is"),
    "aliases": Field(text_list, default=(), doc="other names it goes by; a mention of any of them counts"),
    "url": Field(web_url, doc="its website, linked from its page"),
    "wikidata": Field(optional_text, doc="its Wikidata id (`Q42`), linked from its page"),
}


def parse_archive(sources: tuple[SourceFile, ...]) -> Archive:
    """Parse every source, reporting all problems together, then check slugs are unique."""
    log = ProblemLog()
    records = []
    for source in sources:
        try:
            record = parse_source(source, log)
        except SiteError as error:
            log.absorb(error)
            continue
        if record is not None:
            records.append(record)
    archive = assemble_archive(records, log)
    log.raise_errors()
    return archive


def parse_source(source: SourceFile, log: ProblemLog) -> Article | Note | Entity | None:
    """One file's record; None when its problems went to `log`."""
    parser = {"articles": parse_article, "notes": parse_note, "entities": parse_entity}[source.collection]
    return parser(source, log)


def assemble_archive(records: list[Article | Note | Entity], log: ProblemLog) -> Archive:
    """The records as an Archive, each collection sorted by slug; duplicate slugs go to `log`."""
    parsed: dict[type, list] = {Article: [], Note: [], Entity: []}
    for record in records:
        parsed[type(record)].append(record)
    parsed = {kind: check_unique_slugs(same_kind, log) for kind, same_kind in parsed.items()}
    return Archive(
        articles=tuple(sorted(parsed[Article], key=lambda r: r.slug)),
        notes=tuple(sorted(parsed[Note], key=lambda r: r.slug)),
        entities=tuple(sorted(parsed[Entity], key=lambda r: r.slug)),
    )


def check_unique_slugs(records: list, log: ProblemLog) -> list:
    """The records with each slug once (the first by path); the others go to `log` as duplicates
    and are left out, so that later stages, run for their own problems, see one document per slug."""
    first_by_slug: dict[str, Any] = {}
    for record in sorted(records, key=lambda r: r.loc.path):
        key = record.slug.lower()
        if key in first_by_slug:
            log.error(record.loc.at_line(1), f"duplicate slug '{record.slug}' (also {first_by_slug[key].loc.path})")
        else:
            first_by_slug[key] = record
    return list(first_by_slug.values())


def slug_of(source: SourceFile) -> str:
    slug = file_stem(source.path)
    if not is_valid_slug(slug):
        raise SiteError.at(
            SourceLoc(source.path, 1),
            f"invalid slug '{slug}': file names use lowercase letters, digits and '-' (try '{slugify(slug)}')",
        )
    return slug


def file_stem(path: str) -> str:
    """`PurePosixPath(path).stem`, without parsing the path (once per file of every build)."""
    name = path.rpartition("/")[2]
    if name in ("", "."):  # a path pathlib would normalize first (a trailing "/" or ".")
        return PurePosixPath(path).stem
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def front_matter(source: SourceFile, what: str) -> tuple[dict, YamlDoc, str, int]:
    """Every file of a collection has front-matter from line 1: read without it, its YAML would
    become body text (a '---' title, a rule, a 'title: x' line) and a note's highlight be lost."""
    loc = SourceLoc(source.path, 1)
    if not source.text.strip():
        raise SiteError.at(loc, f"empty file: {what} needs front-matter between '---' lines")
    split = split_front_matter(source.text, loc)
    if split.meta is None:
        if source.text.lstrip().partition("\n")[0].rstrip() == FENCE:
            raise SiteError.at(loc, "front-matter must start on line 1: remove the blank lines before '---'")
        raise SiteError.at(loc, f"missing front-matter: {what} starts with a '---' line, then YAML, then '---'")
    return split.meta.value or {}, split.meta, split.body, split.body_line


class CheckedFile(NamedTuple):
    """A content file's slug, front-matter checked against its schema, and body: what every record is built from.
    Unless `sound`, a problem went to the log and the record is not made; its values are still
    checked further (authors, images), so that one run lists every problem of the file."""

    slug: str
    loc: SourceLoc
    values: dict[str, Any]
    doc: YamlDoc
    body: str
    body_line: int
    sound: bool


def checked_file(source: SourceFile, kind: str, schema: dict[str, Field], log: ProblemLog) -> CheckedFile:
    """Slug, front-matter checked against `schema` (problems go to `log`), and body; a
    SiteError when the front-matter cannot be read at all (with the file name's problem, if any)."""
    slug_log = ProblemLog()
    try:
        slug = slug_of(source)
    except SiteError as error:
        slug_log.absorb(error)
        slug = ""
    article = "an" if kind[0] in "aeiou" else "a"
    try:
        mapping, doc, body, body_line = front_matter(source, f"{article} {kind}")
    except SiteError as error:
        slug_log.absorb(error)
        slug_log.raise_errors()
    log.extend(slug_log)
    loc = SourceLoc(source.path)
    values, sound = checked_values(mapping, schema, doc, (), loc, log, kind)
    return CheckedFile(slug, loc, values, doc, body, body_line, sound and not slug_log.errors)


def parse_article(source: SourceFile, log: ProblemLog) -> Article | None:
    checked = checked_file(source, "article", ARTICLE_FIELDS, log)
    slug, loc, values, doc, body, body_line, sound = checked
    title_problem = _title_problem(doc.value or {})
    if title_problem:
        log.error(loc.at_line(doc.line_of(("title",))), title_problem)
        sound = False
    authors = parse_authors(values["authors"], doc, loc, log)
    images = parse_images(values["images"], doc, loc, log)
    if not sound or authors is None or images is None:
        return None
    unknown = unknown_fields(values, authors, images, doc)
    return Article(
        slug=slug,
        loc=loc,
        title=values["title"] or UNTITLED,
        subtitle=values["subtitle"],
        authors=authors,
        anonymous=values["anonymous"],
        outlet=values["outlet"],
        outlet_slug=None if values["outlet"] is None else taxon_slug(values["outlet"]),
        source_url=values["source_url"],
        published=values["published"],
        archived=values["archived"],
        language=values["language"],
        tags=distinct_tags(values["tags"]),
        images=tuple(image for _, image in images if image.credit is not None),
        body=body,
        body_line=body_line,
        unknown=unknown,
        withheld=tuple(image.src for _, image in images if image.credit is None and image.src),
    )


def _title_problem(front: dict) -> str | None:
    """An article names its title: `title: null` says it is unknown (an import that could not tell the headline),
    but no title key, or an empty text, is a title missing by mistake."""
    written = front.get("title", "")
    return "article is missing required field 'title'" if written is not None and not str(written).strip() else None


def unknown_fields(values: dict[str, Any], authors: tuple[Author, ...], images: tuple[tuple[KeyPath, Image], ...], doc: YamlDoc) -> tuple[tuple[int, str], ...]:
    """(line, warning) for each field an import left empty (`title: null` included, when the headline of a copied
    page could not be told) because the source did not say: the
    archive builds with it unknown rather than with a guess, and `sitegen check` lists where to fill it in.
    An image without a credit is kept off the site until it has one: publishing it would pass someone's
    work off as nobody's."""
    unknown = []
    if values["title"] is None:
        unknown.append((doc.line_of(("title",)), f"title unknown: add the article's headline; until then the page is titled '{UNTITLED}'"))
    if not authors and not values["anonymous"]:
        unknown.append((doc.line_of(("authors",)), "authors unknown: add them, or set 'anonymous: true' if the article has none"))
    if values["outlet"] is None:
        unknown.append((doc.line_of(("outlet",)), "outlet unknown: add the publication the article comes from"))
    for path, image in images:
        if image.credit is None:
            name = image.src or image.title or image.caption or f"image {int(path[1]) + 1}"
            unknown.append((doc.line_of(path), f"image '{name[:80]}' has no credit, so it is not published: add its 'credit'"))
    return tuple(unknown)


def distinct_tags(tags: list[str]) -> tuple[str, ...]:
    """The tags, each once: of two spellings of one tag (`C#`, `c#`: one page, see taxon_slug) the first."""
    first: dict[str, str] = {}
    for tag in tags:
        first.setdefault(taxon_slug(tag), tag)
    return tuple(first.values())


def parse_authors(value: Any, doc: YamlDoc, loc: SourceLoc, log: ProblemLog) -> tuple[Author, ...] | None:
    value = doc.as_written(value, ("authors",))  # a name is text: `authors: [1.20]` is "1.20"
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        log.error(loc.at_line(doc.line_of(("authors",))), f"field 'authors' must be a list, not {describe(value)}")
        return None
    authors = []
    sound = True
    for index, item in enumerate(value):
        path = ("authors", index)
        if isinstance(item, str) and item.strip():
            authors.append(Author(name=item.strip(), slug=taxon_slug(item), line=doc.line_of(path)))
            continue
        if not isinstance(item, dict):
            log.error(loc.at_line(doc.line_of(path)), f"each author is a name or a mapping with 'name', not {describe(item)}")
            sound = False
            continue
        values = check_mapping(item, AUTHOR_FIELDS, doc, path, loc, log, "author")
        if values is None:
            sound = False
            continue
        authors.append(Author(name=values["name"], slug=taxon_slug(values["name"]), role=values["role"], bio=values["bio"], organization=values["organization"], line=doc.line_of(path)))
    return tuple(authors) if sound else None


def parse_images(value: Any, doc: YamlDoc, loc: SourceLoc, log: ProblemLog) -> tuple[tuple[KeyPath, Image], ...] | None:
    """Each image with where it is written; an uncredited one has credit None (see unknown_fields)."""
    if not isinstance(value, list):
        log.error(loc.at_line(doc.line_of(("images",))), f"field 'images' must be a list, not {describe(value)}")
        return None
    images = []
    sound = True
    for index, item in enumerate(value):
        path = ("images", index)
        if not isinstance(item, dict):
            log.error(loc.at_line(doc.line_of(path)), f"each image is a mapping with at least 'credit', not {describe(item)}")
            sound = False
            continue
        values = check_mapping(item, IMAGE_FIELDS, doc, path, loc, log, "image")
        if values is None:
            sound = False
            continue
        problem = unsafe_image_src(values["src"]) if values["src"] is not None else None
        if problem:
            log.error(loc.at_line(doc.line_of(path + ("src",))), problem)
            sound = False
            continue
        images.append((path, Image(**values, line=doc.line_of(path + ("src",)))))
    return tuple(images) if sound else None


def unsafe_image_src(src: str) -> str | None:
    """Why an image `src` may not be used, or None: remote http(s), or a path inside content/."""
    if src.startswith(("http://", "https://")):
        return None
    if ":" in src.split("/")[0] or src.startswith(("/", "\\")):
        return f"image src '{src}' must be an http(s) URL or a path inside content/"
    if any(part == ".." for part in PurePosixPath(src.replace("\\", "/")).parts):
        return f"image src '{src}' escapes the archive"
    return None


def parse_note(source: SourceFile, log: ProblemLog) -> Note | None:
    slug, loc, values, doc, body, body_line, sound = checked_file(source, "note", NOTE_FIELDS, log)
    quote = values["quote"]
    if quote is not None:
        if not quote.strip():
            log.error(loc.at_line(doc.line_of(("quote",))), "field 'quote' is empty (remove it for an article-level note)")
            return None
        if values["article"] is None and ("article",) not in doc.lines:  # not when 'article' is written but mistaken
            log.error(loc.at_line(doc.line_of(("quote",))), "a note with a 'quote' needs an 'article'")
            return None
    if not sound:
        return None
    return Note(
        slug=slug,
        loc=loc,
        body=body,
        body_line=body_line,
        article=values["article"],
        article_line=doc.line_of(("article",)),
        quote=quote,
        quote_line=doc.line_of(("quote",)),
        prefix=values["prefix"],
        suffix=values["suffix"],
        title=values["title"],
        tags=distinct_tags(values["tags"]),
        created=values["created"],
        annotation_id=values["annotation_id"],
    )


def parse_entity(source: SourceFile, log: ProblemLog) -> Entity | None:
    checked = checked_file(source, "entity", ENTITY_FIELDS, log)
    if not checked.sound:
        return None
    return Entity(slug=checked.slug, loc=checked.loc, body=checked.body, body_line=checked.body_line, **checked.values)

