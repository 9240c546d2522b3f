"""Page-level incremental builds: a page is rendered again only when something it shows changed.

Each document page gets a key: a hash of the setup (config, theme files, version), of the
templates it is rendered with (an edit to note.html renders only note pages again)
and of what the page shows of each document. Some it shows whole: its own source, the
notes beside an article, the entities an article mentions, the articles listed on an
entity, author, outlet or tag page. Of a document its wikilinks name, or one linking to
it, it shows the title (a link label, a backlink's title), and the backlink's quoted
sentence, which is hashed itself. Of a document a page only lists (the notes on a tag
page, everything on the home page and the indexes) the key holds what the list shows
(listed_digest). When a page's key is the one recorded for the site now in the output
folder, the page is not rendered again: the build writes only the pages that changed
into the output folder (see write.apply_patch). Feeds, the sitemap and the
bibliographies are keyed like pages; ready files (assets, theme files) are written only
when their bytes differ. This holds for the templates sitegen ships: a page rendered with a
template of the archive's own (in `templates/` or an archive's theme), which may show
anything, is rendered again by every build (unkeyed_templates).

The record of the last build into an output folder lives in .sitegen-cache/, with the build's
warnings (shown again when a build is skipped as up to date); deleting it only costs a
full build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import uuid
from array import array
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from generator.cache_damage import discard_unreadable
from generator.documents import ScannedFile
from generator.emit.bodies import BODY_TEMPLATES
from generator.emit.citations import BIBLIOGRAPHY_FILES
from generator.emit.feeds import ARTICLES_FEED, NOTES_FEED, feed_notes
from generator.emit.sitemap import ROBOTS, SITEMAP
from generator.errors import Problem, SourceLoc
from generator.fingerprint import SHIPPED
from generator.records import KeyedPages, ListDigests
from generator.urls import output_file, page_path
from generator.write import replace_file

DocKey = tuple[str, str]
CACHE = Path(".sitegen-cache")
NUMBER_FORMAT: Final = "I"  # KeyedPages.inputs: native unsigned 32-bit integers
KIND_OF_COLLECTION = {"articles": "article", "notes": "note", "entities": "entity"}


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last successful build left: its setup, its output's fingerprint, its warnings
    and the key of every page. Usable only while the output folder is still that output."""

    setup: str
    site: str
    warnings: tuple[Problem, ...]
    keys: dict[str, str]  # output file path -> key

    def pages(self) -> frozenset[str]:
        """The files it rendered (each has a key), as opposed to the files it copied (key "")."""
        return frozenset(path for path, key in self.keys.items() if key)


def document_hashes(files: tuple[ScannedFile, ...]) -> dict[DocKey, str]:
    """Each document's content hash (every file has one by now: documents.with_digests)."""
    return {(KIND_OF_COLLECTION[f.collection], f.path.rsplit("/", 1)[-1].removesuffix(".md")): f.digest for f in files if f.digest is not None}


def page_keys(
    analysis, doc_hashes: dict[DocKey, str], setup: str, last: KeyedPages | None = None, touched: frozenset[DocKey] | None = None
) -> KeyedPages:
    """The key of every page; with `last` (the previous build's, in memory), only the pages of
    documents, authors, outlets and tags that read a changed one get a new one.

    `touched` names the only documents whose facts may differ from `last`'s (note_edits.py
    knows them): the facts of the others are not made again, a pass over every document less.

    A page depends on a document whole (its hash), or on its title only: the label of a
    wikilink to it, the title of a backlink from it. A backlink's quoted sentence is
    hashed itself, so an edit elsewhere in the linking note leaves the linked page alone.
    """
    graph, archive = analysis.graph, analysis.archive
    from_touched = touched is not None and last is not None and last.setup == setup  # note edits add and remove no document
    since = touched if from_touched and touched is not None else frozenset()  # `touched`, when from_touched
    links_from = graph.links_from
    archive_notes = archive.note_of
    whole = OnDemand(lambda key: f"{key[0]}/{key[1]}={doc_hashes[key]}")
    titled = OnDemand(lambda key: f"{key[0]}/{key[1]}:{graph.titles[key]!r}")
    listed = OnDemand(lambda key: listed_digest(key, archive_notes, analysis.anchors, graph.titles, whole))
    if from_touched and last is not None:
        listed.update((key, value) for key, value in last.listed.items() if key not in since)
    taxa = {"author": graph.authors, "outlet": graph.outlets, "tag": graph.tags}
    authored: dict[str, set[DocKey]] = {}
    for author, entity in graph.entity_of_author.items():
        authored.setdefault(entity, set()).update(("article", a) for a in graph.authors[author].articles)

    def linked(keys: Iterable[DocKey]) -> set[DocKey]:
        """The documents these link to (their titles are link labels)."""
        return {target for key in keys for target in links_from.get(key, ())}

    def linking_to(key: DocKey) -> tuple[set[DocKey], str]:
        """The documents linking here (their titles are shown) and the backlinks (their sentences)."""
        backlinks = graph.backlinks.get(key, ())
        return {(link.source_kind, link.source_slug) for link in backlinks}, repr(backlinks)

    def mentioned(key: DocKey) -> object:
        """The mentions a page counts: of an entity in each article, of each entity in an
        article. They follow from other documents too (an alias another entity claims)."""
        kind, slug = key
        return graph.mentions.get(slug) if kind == "entity" else graph.entities_in.get(slug) if kind == "article" else None

    def digest_of(parts) -> str:
        return hashlib.sha1((setup + "\n" + "\n".join(parts)).encode()).hexdigest()

    def digest(shown: set[DocKey], titles: Set[DocKey] = frozenset(), listed_notes: Iterable[DocKey] = (), sentences: str = "") -> str:
        """The digest of the documents a page shows whole, of those it shows the title of,
        of the notes it only lists, and of the backlink sentences it quotes."""
        parts = [*map(whole.__getitem__, shown), *map(titled.__getitem__, titles), *map(listed.__getitem__, listed_notes)]
        return digest_of([*sorted(parts), sentences])

    def document_key(own: DocKey) -> tuple[str, frozenset[DocKey]]:
        """A document page's key and the documents it read (the facts of each, see document_fact)."""
        kind, slug = own
        sources, sentences = linking_to(own)
        if kind == "article":
            around = {("note", note) for note in graph.notes_by_article.get(slug, ())}
            shown = {own} | around | {("entity", e) for e in graph.entities_in.get(slug, ())}
        elif kind == "note":
            around = {own}
            article = archive_notes[slug].article
            shown = {own, ("article", article)} if article else {own}
        elif kind == "entity":
            around = {own}
            shown = {own} | {("article", a) for a, _ in graph.mentions.get(slug, ())} | authored.get(slug, set())
        else:  # an author, outlet or tag page lists articles whole and notes under their article's title
            taxon = taxa[kind][slug]
            notes = {("note", note) for note in taxon.notes}
            shown = {("article", a) for a in taxon.articles}
            shown |= {("article", archive_notes[note].article) for note in taxon.notes if archive_notes[note].article}
            if kind == "author" and slug in graph.entity_of_author:
                shown.add(("entity", graph.entity_of_author[slug]))
            return digest(shown, listed_notes=notes), frozenset(shown | notes | {own})
        titles = linked(around) | sources
        sentences += repr(mentioned(own))
        return digest(shown, titles, sentences=sentences), frozenset(shown | titles | around)

    def fact(key: DocKey) -> str:
        return document_fact(key, graph, whole, titled, listed, authored)

    if last is None or last.setup != setup:
        facts = {key: fact(key) for key in doc_hashes} | taxon_facts(graph, taxa)
        numbered = list(facts)
        number = {doc: index for index, doc in enumerate(numbered)}
        doc_keys: dict[DocKey, str] = {}
        inputs: dict[DocKey, bytes] = {}
        todo: Iterable[DocKey] = facts
    else:
        if from_touched:
            facts = last.facts | {key: fact(key) for key in since}
            changed_docs = [doc for doc in since if last.facts.get(doc) != facts[doc]]
        else:
            facts = {key: fact(key) for key in doc_hashes} | taxon_facts(graph, taxa)
            changed_docs = [doc for doc, value in facts.items() if last.facts.get(doc) != value] + list(last.facts.keys() - facts.keys())
        numbered = list(last.numbered)
        number = {doc: index for index, doc in enumerate(numbered)}
        for doc in facts.keys() - number.keys():
            number[doc] = len(numbered)
            numbered.append(doc)
        changed = {number[doc] for doc in changed_docs}
        if from_touched:
            doc_keys, inputs = dict(last.document_keys), dict(last.inputs)
        else:
            doc_keys = {doc: key for doc, key in last.document_keys.items() if doc in facts}
            inputs = {doc: read for doc, read in last.inputs.items() if doc in facts}
        # The pages that read a changed document: a pass over every page's inputs costs
        # less than keeping the inverse index (which has some 200,000 entries at 5,000 articles).
        todo = [doc for doc in facts if doc not in inputs or not changed.isdisjoint(memoryview(inputs[doc]).cast(NUMBER_FORMAT))]
    for doc in todo:
        doc_keys[doc], read = document_key(doc)
        inputs[doc] = array(NUMBER_FORMAT, map(number.__getitem__, read)).tobytes()
    if from_touched and last is not None:  # the same pages as last time: only those in todo have new keys
        keys = dict(last.keys)
        keys.update((output_file(page_path(*doc)), doc_keys[doc]) for doc in todo)
        listed_now = last.listed | {key: listed[key] for key in since}
    else:
        keys = {output_file(page_path(*doc)): key for doc, key in doc_keys.items()}
        listed_now = {key: listed[key] for key in doc_hashes}
    if from_touched and last is not None and not any(kind == "article" or listed_now[(kind, slug)] != last.listed.get((kind, slug)) for kind, slug in changed_docs):
        lists = last.lists  # what lists read of each document is what it was (see ListDigests)
    else:
        newest_notes = feed_notes(archive.notes, archive.article_of, analysis.config.feed_items)
        lists = ListDigests(
            articles=digest({key for key in doc_hashes if key[0] == "article"}),
            listed=digest_of(listed_now[key] for key in sorted(doc_hashes)),
            newest_notes=tuple(("note", note.slug) for note in newest_notes),
        )
    newest = set(lists.newest_notes)
    keys.update(
        listing_keys(
            articles=lists.articles,
            listed=lists.listed,
            articles_feed=digest_of((lists.articles, lists.listed)),
            notes_feed=digest_of((lists.listed, digest(newest, linked(newest)))),
            nothing=digest(set()),
        )
    )
    if not analysis.config.origin:  # no sitemap without a host (emit.sitemap)
        keys.pop(output_file(SITEMAP))
    return KeyedPages(setup, keys, doc_keys, facts, listed_now, tuple(numbered), inputs, lists)


class OnDemand(dict):
    """A dict whose missing values are made from their keys when first read."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


def taxon_facts(graph, taxa) -> dict[DocKey, str]:
    """Per author, outlet and tag: a digest of what its page's key reads of it (see KeyedPages)."""
    return {
        (kind, slug): _digest((taxon, graph.entity_of_author.get(slug) if kind == "author" else None))
        for kind, of_kind in taxa.items()
        for slug, taxon in of_kind.items()
    }


def document_fact(key: DocKey, graph, whole, titled, listed, authored) -> str:
    """A digest of everything a document page's key may read of one document (see KeyedPages)."""
    kind, slug = key
    return _digest((
        whole[key],
        titled[key],
        listed[key],
        graph.links_from.get(key),
        graph.backlinks.get(key),
        graph.notes_by_article.get(slug) if kind == "article" else None,
        graph.entities_in.get(slug) if kind == "article" else None,
        graph.mentions.get(slug) if kind == "entity" else None,
        tuple(sorted(authored.get(slug, ()))) if kind == "entity" else None,
    ))


def _digest(value: tuple) -> str:
    """A digest of a tuple of strings, numbers, tuples and records (their reprs are their values)."""
    return hashlib.sha1(repr(value).encode()).hexdigest()


def listed_digest(key: DocKey, notes: dict[str, Any], anchors, titles: dict[DocKey, str], whole) -> str:
    """What the pages listing a whole collection show of one document, as a digest.

    Lists show an article's or entity's metadata and, through mention counts, an article's
    text, so those count whole; of a note they show its front-matter, its title (which may
    come from its first line) and whether its quote is orphaned, not its body, so editing a
    note's text does not make the home page, the indexes and the sitemap again.
    A field added to Note that a list shows must be added here.
    """
    kind, slug = key
    if kind != "note":
        return whole[key]
    note, anchor = notes[slug], anchors.get(slug)
    shown = (note.article, note.quote, note.prefix, note.suffix, note.title, note.tags, note.created, titles[key], anchor.tier if anchor else "")
    return f"note/{slug}={shown!r}"


def listing_keys(*, articles: str, listed: str, articles_feed: str, notes_feed: str, nothing: str) -> dict[str, str]:
    """Keys of the pages and files that list a whole collection (indexes, feeds, sitemap, bibliographies),
    given the digests of all articles, of what lists show of every document (listed_digest), of
    what each feed shows, and of nothing: any change to what they show makes them again."""
    keyed = {"articles/": articles, "authors/": articles, "outlets/": articles, "search/": nothing, "404.html": nothing, ROBOTS: nothing}
    for path in ("", "notes/", "entities/", "tags/", "orphans/", SITEMAP):
        keyed[path] = listed
    keyed[ARTICLES_FEED] = articles_feed
    keyed[NOTES_FEED] = notes_feed
    for path in BIBLIOGRAPHY_FILES.values():
        keyed[path] = articles
    return {output_file(path): key for path, key in keyed.items()}


def record_path(root: Path, out: Path) -> Path:
    """One record per output folder: `serve` (which builds into its own) and `build` keep theirs.

    In marshal's format: of the ways tried to read and write every page's key, the quickest
    (JSON was slower both ways), and like the rest of the cache it is only ever read back by the
    same sitegen on the same Python (any other reads garbage, and builds the site whole)."""
    name = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:12]
    return root / CACHE / f"last-build-{name}.marshal"


def with_templates(keyed: KeyedPages, template_of: dict[str, str | None], digests: dict[str, str], last: KeyedPages | None = None) -> KeyedPages:
    """`keyed` with each key combined with the digest of the templates its page is rendered with.

    A page names its template (template_of); any page may show a composed body, whose
    partials count for all; a file made without a template of its own (feeds) counts
    every template. A page's template follows from its path, so when `last` was combined
    with the same digests, a key that is the one it had there is combined as it was.
    """
    every = hashlib.sha1("".join(f"{name}={value}" for name, value in sorted(digests.items())).encode()).hexdigest()
    bodies = "".join(digests.get(name, "") for name in BODY_TEMPLATES)
    same = last is not None and last.templates == digests
    combined = {}
    for path, key in keyed.keys.items():
        kept = last.combined.get(path) if same and last is not None and last.keys.get(path) == key else None
        if kept is not None:
            combined[path] = kept
            continue
        template = template_of.get(path)
        used = digests.get(template, every) if template is not None else every
        combined[path] = hashlib.sha1(f"{key}{used}{bodies}".encode()).hexdigest()
    return dataclasses.replace(keyed, templates=digests, combined=combined)


def unkeyed_templates(digests: dict[str, str]) -> dict[str, str]:
    """The template digests for this build: a template that is not, with all it uses, the one
    sitegen ships (fingerprint.template_digests) gets a digest of this build alone.

    page_keys knows what the shipped templates show; a template of the archive's own may show
    anything of the records (every template can reach all of them), so a page rendered with
    one (or a feed, or a page showing a composed body, when one is a body's partial) is
    rendered again by every build."""
    build = uuid.uuid4().hex
    return {name: digest if digest.startswith(SHIPPED) else f"{digest}:{build}" for name, digest in digests.items()}


def load_last_build(root: Path, out: Path) -> LastBuild | None:
    """The record of the last build into `out`; None when there is none or it cannot be read
    (then discarded: the build makes the site whole and records it anew)."""
    path = record_path(root, out)
    try:
        setup, site, warnings, pages = marshal.loads(path.read_bytes())
        problems = tuple(Problem(SourceLoc(file, line), message) for file, line, message in warnings)
        if not (isinstance(setup, str) and isinstance(site, str) and isinstance(pages, dict)):
            raise ValueError("a record of another shape")
        return LastBuild(setup, site, problems, pages)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, TypeError):
        discard_unreadable(root, path.relative_to(root))
        return None


def save_last_build(root: Path, out: Path, build: LastBuild) -> None:
    warnings = [(w.loc.path, w.loc.line, w.message) for w in build.warnings]
    replace_file(record_path(root, out), marshal.dumps((build.setup, build.site, warnings, build.keys)))
