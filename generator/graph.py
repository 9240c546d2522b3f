"""The link stage: wikilinks resolved, backlinks, entity mentions and taxonomies collected.

The graph is computed once per build and handed, read-only, to the emit stage, so every
page sees the same answer to "who links here".
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from generator.anchor import sentence_at, sentence_boundaries
from generator.config import Config
from generator.errors import ProblemLog, did_you_mean
from generator.markdown.render import heading_slug
from generator.memo import Memo
from generator.records import (
    Archive,
    Article,
    Author,
    Backlink,
    Entity,
    LinkGraph,
    LinkTarget,
    Note,
    RenderedBody,
    Taxon,
    TextLink,
    WikiRef,
)
from generator.slugs import taxon_slug
from generator.urls import page_path, url_for

DocKey = tuple[str, str]  # (kind, slug)


def document_keys(archive: Archive) -> list[tuple[DocKey, str]]:
    keys = [(("article", a.slug), a.title) for a in archive.articles]
    keys += [(("note", n.slug), note_title(n)) for n in archive.notes]
    keys += [(("entity", e.slug), e.name) for e in archive.entities]
    return keys


def note_title(note: Note) -> str:
    """A note's title: its own, else its quote as a quotation, else its first line shortened."""
    if note.title:
        return note.title
    if note.quote:
        return quotation(note.quote)
    source = next((line.strip("# ") for line in note.body.splitlines() if line.strip()), note.slug)
    words = " ".join(source.split()).split(" ")
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


QUOTATION_LIMIT = 80  # characters of the passage a quotation title keeps: about half a line of a list
QUOTE_MARKS = "\"'“”‘’«»„"


def shortened(text: str, limit: int) -> str:
    """`text` (its spaces collapsed) cut at the last word boundary within `limit` characters,
    with an ellipsis for what is left out: never a word cut in two."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:–—-(" + QUOTE_MARKS + " ") + "…"


def quotation(passage: str, limit: int = QUOTATION_LIMIT) -> str:
    """An untitled note's passage as a title that reads as a quotation, not as a heading someone
    wrote: in typographic quotes, cut at a word boundary with an ellipsis, and opened with one when
    the passage starts mid-sentence (in lower case). The passage's own words stay as they are; its
    double quotes become single ones, as a quotation inside a quotation is written."""
    text = " ".join(passage.split()).strip(QUOTE_MARKS + " ")
    text = shortened(re.sub(r'(^|(?<=[\s(\[]))"', "‘", text).replace('"', "’").replace("“", "‘").replace("”", "’"), limit)
    if text[:1].islower():
        text = "…" + text
    return f"“{text}”"


def build_graph(
    archive: Archive,
    bodies: dict[DocKey, RenderedBody],
    config: Config,
    log: ProblemLog,
    found: dict[str, ArticleMentions],
    memo: Memo | None = None,
    unsound: frozenset[DocKey] = frozenset(),
) -> LinkGraph:
    """`found` holds each article's entity mentions (see find_mentions). `unsound` names the
    documents whose files have problems of their own (not in `archive`): a link to one is not
    reported as unknown, since it would resolve once that file is mended.

    What the last build (in `memo`) made from the very same records and bodies is reused:
    a document's links, and everything made of the articles alone.
    """
    memo = memo if memo is not None else Memo()
    keys = document_keys(archive)
    targets = memo.reuse("link targets", (), (keys, config), lambda: LinkTargets(dict(keys), config))
    wikilinks, backlinks, links_from = _resolve_wikilinks(archive, bodies, targets, log, memo, unsound)
    articles = archive.articles
    mentions, entities_in, autolinks = memo.reuse(
        "mentions",
        (*articles, *(found.get(a.slug, NO_MENTIONS) for a in articles), *archive.entities),
        (config,),
        lambda: _entity_mentions(archive, config, found),
    )
    rank, authors, outlets = memo.reuse("by article", articles, (), lambda: _article_taxa(archive))
    _warn_of_shared_names(archive.entities, log)
    _warn_of_unmarked_organisations(archive, log)
    return LinkGraph(
        wikilinks=wikilinks,
        backlinks=backlinks,
        links_from=links_from,
        notes_by_article=_notes_by_article(archive),
        mentions=mentions,
        entities_in=entities_in,
        autolinks=autolinks,
        authors=authors,
        outlets=outlets,
        tags=_tags(archive, rank),
        entity_of_author=_entities_of_authors(archive),
        titles=dict(keys),
    )


class LinkTargets(Mapping):
    """What a wikilink's target may name, and the document it finds: 'section/slug' always
    (`articles/x`), a bare slug only when one document alone has it (None marks an ambiguous one).

    Each name is looked up in the titles when first asked for, so a build that resolves the
    links of a few edited notes does not index 10,500 documents first; iterating gives
    every name, in document order, each document's 'section/slug' before its slug.
    """

    def __init__(self, titles: dict[DocKey, str], config: Config) -> None:
        self.titles = titles  # every document's title, in document order (document_keys)
        self.config = config
        self.found: dict[str, object] = {}  # name -> target, None (ambiguous) or _MISSING
        self._every: dict[str, None] | None = None

    def get(self, name: str, default=None):
        target = self.found.get(name, _UNLOOKED)
        if target is _UNLOOKED:
            target = self.found[name] = self._look_up(name)
        return default if target is _MISSING else target

    def __getitem__(self, name: str) -> LinkTarget | None:
        target = self.get(name, _MISSING)
        if target is _MISSING:
            raise KeyError(name)
        return target

    def _look_up(self, name: str):
        section, slash, slug = name.partition("/")
        if slash:
            kind = KIND_OF_SECTION.get(section)
            return self._target(kind, slug) if kind is not None and (kind, slug) in self.titles else _MISSING
        kinds = [kind for kind in KIND_OF_SECTION.values() if (kind, name) in self.titles]
        if not kinds:
            return _MISSING
        return self._target(kinds[0], name) if len(kinds) == 1 else None

    def _target(self, kind: str, slug: str) -> LinkTarget:
        path = page_path(kind, slug)
        return LinkTarget(kind, slug, self.titles[(kind, slug)], url_for(self.config, path))

    def __iter__(self) -> Iterator[str]:
        if self._every is None:
            every: dict[str, None] = {}
            for kind, slug in self.titles:
                every[page_path(kind, slug).rstrip("/")] = every[slug] = None
            self._every = every
        return iter(self._every)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def retitled(self, titles: dict[DocKey, str]) -> LinkTargets:
        """The targets with new `titles` for some documents (which keep their places)."""
        return LinkTargets({**self.titles, **titles}, self.config)


KIND_OF_SECTION = {"articles": "article", "notes": "note", "entities": "entity"}  # in document order
_UNLOOKED, _MISSING = object(), object()


def _article_taxa(archive: Archive) -> tuple[dict[str, int], dict[str, Taxon], dict[str, Taxon]]:
    """Each article's place newest first, and the authors and outlets: made of the articles alone."""
    rank = {article.slug: place for place, article in enumerate(newest_first(archive.articles))}
    return rank, _authors(archive, rank), _outlets(archive, rank)


@dataclass(frozen=True, slots=True)
class DocumentLinks:
    """What one document's wikilinks resolve to, and the backlinks they give other documents."""

    resolved: tuple[tuple[str, str], ...]  # (href, title) per WikiRef
    targets: tuple[DocKey, ...]  # the documents linked to, in order of first link
    backlinks: tuple[tuple[DocKey, Backlink], ...]  # (target, backlink to this document)
    problems: ProblemLog


def _resolve_wikilinks(archive, bodies, targets, log, memo, unsound=frozenset()):
    """Every document's links; a document whose record, body, link lookups and the bodies its
    heading links point into are those of the last build keeps its links."""
    wikilinks: dict[DocKey, tuple[tuple[str, str], ...]] = {}
    backlinks: dict[DocKey, dict[DocKey, Backlink]] = defaultdict(dict)
    links_from: dict[DocKey, tuple[DocKey, ...]] = {}
    for record, kind in _all_documents(archive):
        key = (kind, record.slug)
        links = links_of(record, kind, bodies[key], targets, bodies, memo, unsound)
        log.extend(links.problems)
        wikilinks[key] = links.resolved
        links_from[key] = links.targets
        for target_key, backlink in links.backlinks:
            backlinks[target_key][key] = backlink
    return wikilinks, {target: tuple(sources.values()) for target, sources in backlinks.items()}, links_from


NO_LINKS = DocumentLinks((), (), (), ProblemLog())  # a document without wikilinks


def links_of(
    record, kind: str, body: RenderedBody, targets: LinkTargets, bodies: dict[DocKey, RenderedBody], memo: Memo, unsound: frozenset[DocKey] = frozenset()
) -> DocumentLinks:
    """One document's links; those of the last build (in `memo`) when made from the same
    record, body, lookups and bodies its heading links point into."""
    if not body.wikilinks:
        return NO_LINKS
    lookups = Lookups(targets, body.wikilinks)
    return memo.reuse(
        ("links", (kind, record.slug)),
        (record, body, *_headed_bodies(lookups, bodies)),
        (lookups, unsound),
        lambda: _document_links(record, kind, body, lookups.found(), targets, bodies, unsound),
    )


def relinked(graph: LinkGraph, edited: dict[DocKey, DocumentLinks]) -> LinkGraph:
    """`graph` with the links of the `edited` documents put in place of their old ones; the
    backlinks they give stay in document order, as _resolve_wikilinks gives them (articles,
    notes, entities, each by slug)."""
    # Dicts, or StoredIndex (analysis_cache.py), whose copy unpickles only the entries read: both copy.
    wikilinks = graph.wikilinks.copy()  # type: ignore[attr-defined]
    links_from = graph.links_from.copy()  # type: ignore[attr-defined]
    backlinks = graph.backlinks.copy()  # type: ignore[attr-defined]
    touched: set[DocKey] = set()
    for key, links in edited.items():
        touched.update(graph.links_from[key], links.targets)
        wikilinks[key], links_from[key] = links.resolved, links.targets
    for target in touched:
        given = [link for link in backlinks.get(target, ()) if (link.source_kind, link.source_slug) not in edited]
        given += [link for links in edited.values() for linked, link in links.backlinks if linked == target]
        if given:
            backlinks[target] = tuple(sorted(given, key=lambda link: (KIND_ORDER[link.source_kind], link.source_slug)))
        else:
            backlinks.pop(target, None)
    return dataclasses.replace(graph, wikilinks=wikilinks, links_from=links_from, backlinks=backlinks)


KIND_ORDER = {"article": 0, "note": 1, "entity": 2}  # the order of _all_documents


def _headed_bodies(lookups: Lookups, bodies: dict[DocKey, RenderedBody]) -> tuple[RenderedBody, ...]:
    """The bodies that a document's `[[target#heading]]` links point into: their headings decide whether such a link is sound."""
    if not any(ref.heading for ref in lookups.refs):
        return ()
    return tuple(bodies[(t.kind, t.slug)] for ref, t in zip(lookups.refs, lookups.found()) if ref.heading and t)


class Lookups:
    """What a document's wikilinks find in the target index, compared by value with the last
    build's: equal when each finds the same target (a new document elsewhere changes nothing),
    and, when one is unknown, the whole index is the same (its hint names the closest target).
    The index is usually the very object of the last build (memo), which settles it at once."""

    __slots__ = ("targets", "refs", "_found")

    def __init__(self, targets: LinkTargets, refs: tuple[WikiRef, ...]) -> None:
        self.targets = targets
        self.refs = refs
        self._found: tuple[LinkTarget | None | Literal[False], ...] | None = None

    def found(self) -> tuple[LinkTarget | None | Literal[False], ...]:
        """Per wikilink: its target, None when ambiguous, False when unknown."""
        if self._found is None:
            self._found = tuple(self.targets.get(ref.target.strip("/"), False) for ref in self.refs)
        return self._found

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lookups):
            return NotImplemented
        if self.targets is other.targets and self.refs is other.refs:
            return True
        found = self.found()
        if found != other.found():
            return False
        return False not in found or list(self.targets) == list(other.targets)

    __hash__ = None  # type: ignore[assignment]  # compared, never a key


def _document_links(record, kind, body, looked_up, targets, bodies, unsound=frozenset()) -> DocumentLinks:
    key = (kind, record.slug)
    problems = ProblemLog()
    resolved = []
    targets_of_doc: dict[DocKey, int] = {}  # target -> index of the first link to it
    heading_ids: dict[DocKey, dict[str, str]] = {}  # target -> what a link's heading may say -> the heading's id
    for index, (ref, target) in enumerate(zip(body.wikilinks, looked_up)):
        if target is False and _names_any(ref.target, unsound):
            resolved.append(("#", ref.target))
            continue
        if target is False:
            hint = did_you_mean(ref.target, [t for t in targets if "/" not in t])
            problems.error(record.loc.at_line(ref.line), f"unknown wikilink target '{ref.target}'{hint}")
            resolved.append(("#", ref.target))
            continue
        if target is None:
            choices = [f"[[{section}/{ref.target}]]" for section in ("articles", "notes", "entities") if f"{section}/{ref.target}" in targets]
            problems.error(record.loc.at_line(ref.line), f"wikilink '{ref.target}' is ambiguous: write {', '.join(choices[:-1])} or {choices[-1]}")
            resolved.append(("#", ref.target))
            continue
        href = target.url
        if ref.heading:
            target_key = (target.kind, target.slug)
            if target_key not in heading_ids:
                heading_ids[target_key] = linkable_headings(bodies[target_key])
            wanted = heading_slug(ref.heading)
            heading_id = heading_ids[target_key].get(wanted)
            if heading_id is None:
                problems.error(record.loc.at_line(ref.line), f"wikilink '{ref.target}#{ref.heading}': no such heading in {target.kind} '{target.slug}'")
            href += "#" + (heading_id or wanted)
        resolved.append((href, target.title))
        targets_of_doc.setdefault((target.kind, target.slug), index)
    given: list[tuple[DocKey, Backlink]] = []
    if any(target_key != key for target_key in targets_of_doc):
        text, link_offsets = _text_with_labels(body, resolved)
        boundaries = sentence_boundaries(text)
        for target_key, index in targets_of_doc.items():
            if target_key != key:
                given.append((target_key, Backlink(kind, record.slug, sentence_at(text, link_offsets[index], boundaries))))
    return DocumentLinks(tuple(resolved), tuple(targets_of_doc), tuple(given), problems)


def _names_any(name: str, documents: frozenset[DocKey]) -> bool:
    """Whether a wikilink's target `name` ('slug' or 'section/slug') may be one of `documents`."""
    section, slash, slug = name.strip("/").partition("/")
    if slash:
        return (KIND_OF_SECTION.get(section), slug) in documents
    return any((kind, section) in documents for kind in KIND_OF_SECTION.values())


def linkable_headings(body: RenderedBody) -> dict[str, str]:
    """What `[[doc#heading]]` may name, made a slug, -> the id of the heading it finds: a
    heading's id, else the slug of a heading's title (the first such heading). A title
    whose slug the theme uses for an element of its own gets another id (render.py), and
    a link written with the title finds it there."""
    found = {heading_slug(heading.text): heading.id for heading in reversed(body.headings)}
    found.update((heading.id, heading.id) for heading in body.headings)
    return found


def _text_with_labels(body: RenderedBody, resolved: list[tuple[str, str]]) -> tuple[str, list[int]]:
    """The body's text as a reader sees it, with the titles of label-less wikilinks filled in,
    and where each wikilink starts in it (for the sentence a backlink quotes)."""
    parts: list[str] = []
    offsets: list[int] = []
    copied = 0  # body.text[:copied] is in parts
    added = 0  # characters of titles in parts
    for is_label, index, offset in body.wikilink_places():
        if is_label:
            title = resolved[index][1]
            parts += (body.text[copied:offset], title)
            copied = offset
            added += len(title)
        else:
            offsets.append(offset + added)
    parts.append(body.text[copied:])
    return "".join(parts), offsets


def _all_documents(archive: Archive):
    yield from ((a, "article") for a in archive.articles)
    yield from ((n, "note") for n in archive.notes)
    yield from ((e, "entity") for e in archive.entities)


def _warn_of_shared_names(entities: tuple[Entity, ...], log: ProblemLog) -> None:
    """A name or alias that two entities give finds mentions for the first of them by slug
    (NameMatcher): a reader who added the second would otherwise never know why its page
    lists none."""
    owners: dict[str, Entity] = {}
    for entity in sorted(entities, key=lambda e: e.slug):
        for name in dict.fromkeys((entity.name, *entity.aliases)):
            first = owners.setdefault(name, entity)
            if first is not entity:
                log.warn(entity.loc, f"'{name}' also names entity '{first.slug}': its mentions count for '{first.slug}' only")


def _warn_of_unmarked_organisations(archive: Archive, log: ProblemLog) -> None:
    """An author named like an organisation entity, but not marked `organization: true`, is cited
    as a person ("Press, Associated"): the entity says what the reader knows, the flag is what
    citations read (an article's citation does not depend on the entities, so an entity edit
    never has to rebuild every article page)."""
    organisations: dict[str, str] = {}
    for entity in archive.entities:
        if entity.kind == "organization":
            for name in (entity.name, *entity.aliases):
                organisations.setdefault(taxon_slug(name), entity.slug)
    for article in archive.articles:
        for author in article.authors:
            organisation = organisations.get(author.slug)
            if organisation and not author.organization:
                log.warn(article.loc.at_line(author.line), f"author '{author.name}' is the organization entity '{organisation}': add 'organization: true' to the author so citations keep the name whole")


class NameMatcher:
    """Finds entity names and aliases in text, longest name first, never overlapping.

    One regex run in C does it. A plain alternation of hundreds of names tries every name
    at every position; here the names form a trie (`Jo(?:e Biden|hn Kirby)`), so at most
    one branch per character is followed, and the word-start check comes after the first
    character (`J(?<!\\w.)`), so the engine can skip ahead to the letters names begin with.
    Within the trie a longer name is tried before a shorter one it starts with.
    """

    def __init__(self, entities: tuple[Entity, ...]) -> None:
        self.entity_of: dict[str, Entity] = {}
        for entity in entities:
            for name in (entity.name, *entity.aliases):
                if _WORD.match(name):  # a name must begin with a word character to begin a word
                    self.entity_of.setdefault(name, entity)
        trie: dict[str, dict] = {}
        for name in self.entity_of:
            node = trie
            for char in name:
                node = node.setdefault(char, {})
            node[""] = {}  # a name ends here
        starts = [re.escape(char) + r"(?<!\w.)" + _alternatives(rest) for char, rest in sorted(trie.items())]
        self.pattern = re.compile("(?:" + "|".join(starts) + r")(?!\w)") if starts else None
        self.slug_of = {name: entity.slug for name, entity in self.entity_of.items()}  # find_mentions' lookup per match

    def __bool__(self) -> bool:
        return self.pattern is not None

    def find(self, text: str) -> Iterator[tuple[int, int, Entity]]:
        """(start, end, entity) of each whole-word mention, left to right, never overlapping."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            yield match.start(), match.end(), self.entity_of[match.group()]


def _alternatives(node: dict[str, dict]) -> str:
    """The regex for the rest of the names below a trie node: longer ones first, the name ending here last."""
    branches = [re.escape(char) + _alternatives(rest) for char, rest in sorted(node.items()) if char]
    if "" in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_WORD = re.compile(r"\w+")


def _entity_mentions(archive: Archive, config: Config, found_in: dict[str, ArticleMentions]):
    """Each entity's mentions in every article, and the links on first mentions in plain text."""
    counts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    entities_in: dict[str, tuple[str, ...]] = {}
    first_mentions: dict[str, tuple[Mention, ...]] = {}
    for article in archive.articles:
        found = found_in.get(article.slug, NO_MENTIONS)
        for slug, count in found.counts:
            counts[slug].append((article.slug, count))
        entities_in[article.slug] = tuple(slug for slug, _ in found.counts)
        if config.entity_autolink and found.counts:
            first_mentions[article.slug] = found.first
    mentions = {slug: tuple(sorted(pairs, key=lambda p: (-p[1], p[0]))) for slug, pairs in counts.items()}
    return mentions, entities_in, EntityLinks(first_mentions, {e.slug: e.name for e in archive.entities}, config)


class EntityLinks(Mapping):
    """Article slug -> the links on its entities' first plain mentions, made when asked for.

    Only the bodies being composed need them; making them for every article on every
    build was the largest part of the link stage of a one-note rebuild.
    """

    def __init__(self, first_mentions: Mapping[str, tuple[Mention, ...]], names: dict[str, str], config: Config) -> None:
        self.first_mentions = first_mentions
        self.names = names
        self.config = config
        self.urls = {entity: url_for(config, page_path("entity", entity)) for entity in names}

    def __getitem__(self, slug: str) -> tuple[TextLink, ...]:
        names, urls = self.names, self.urls
        return tuple(TextLink(start, end, urls[entity], names[entity]) for start, end, entity in self.first_mentions[slug])

    def __iter__(self) -> Iterator[str]:
        return iter(self.first_mentions)

    def __len__(self) -> int:
        return len(self.first_mentions)


# Where an entity is named in an article's plain text: (start, end, entity slug). A plain tuple, not a
# NamedTuple: plain tuples pickle in C, and every article's are kept in the document cache.
Mention = tuple[int, int, str]


@dataclass(frozen=True)  # no __slots__: pickled with every article in the document cache (see records.py)
class ArticleMentions:
    """What the site needs of the entity names found in one article: how often each is
    named, and where each is first named in plain text (where it gets its link). Kept
    instead of every mention (about 80 per article), which only cost loading and counting."""

    counts: tuple[tuple[str, int], ...]  # (entity slug, mentions), by slug
    first: tuple[Mention, ...]  # each entity's first mention outside links, headings and code, left to right


def find_mentions(body: RenderedBody, matcher: NameMatcher, captions: tuple[str, ...] = ()) -> ArticleMentions:
    """The mentions of entities in `body` and in its figures' `captions`, counted, with each
    entity's first one in plain text. A caption is printed on the article's page, so a place
    named only there is mentioned by the article as its page shows it; captions get no links.

    The matches are taken from the regex directly rather than through `NameMatcher.find`:
    some 90 per article, and the generator's tuples were an eighth of this stage's time."""
    pattern = matcher.pattern
    if pattern is None:
        return NO_MENTIONS
    slug_of = matcher.slug_of
    counts: dict[str, int] = {}
    first: list[Mention] = []
    linked: set[str] = set()
    plain_spans: list[tuple[int, int]] | None = None
    for match in pattern.finditer(body.text):
        slug = slug_of[match[0]]
        counts[slug] = counts.get(slug, 0) + 1
        if slug in linked:
            continue
        if plain_spans is None:
            plain_spans = body.plain_spans()
            span_starts = [start for start, _ in plain_spans]
        start, end = match.span()
        index = bisect.bisect_right(span_starts, start) - 1
        if index >= 0 and end <= plain_spans[index][1]:
            linked.add(slug)
            first.append((start, end, slug))
    for caption in captions:
        for match in pattern.finditer(caption):
            slug = slug_of[match[0]]
            counts[slug] = counts.get(slug, 0) + 1
    if not counts:
        return NO_MENTIONS
    return ArticleMentions(tuple(sorted(counts.items())), tuple(first))


NO_MENTIONS = ArticleMentions((), ())


def _notes_by_article(archive: Archive) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for note in archive.notes:
        if note.article:
            grouped[note.article].append(note.slug)
    return {slug: tuple(notes) for slug, notes in grouped.items()}


def _by_date(articles: list[Article], rank: dict[str, int]) -> tuple[str, ...]:
    """Slugs newest first; `rank` is every article's place in newest_first(all articles)."""
    return tuple(sorted((a.slug for a in articles), key=rank.__getitem__))


def newest_first(articles) -> list[Article]:
    """Newest first by published date; the articles whose source states none come after every
    dated one, newest saved first. The day a copy was saved says nothing of when it was written,
    so it must not put an undated 2010 article above this week's. Ties by slug."""

    def stamp(article: Article) -> tuple[bool, str, str]:
        published, archived = article.published, article.archived
        return (published is not None, published.isoformat() if published else "", archived.isoformat() if archived else "")

    return sorted(sorted(articles, key=lambda a: a.slug), key=stamp, reverse=True)


def _authors(archive: Archive, rank: dict[str, int]) -> dict[str, Taxon]:
    grouped: dict[str, list[Article]] = defaultdict(list)
    first: dict[str, Author] = {}
    for article in archive.articles:
        for author in article.authors:
            listed = grouped[author.slug]
            if not listed or listed[-1] is not article:  # two spellings of one name (taxon_slug): the article once
                listed.append(article)
            known = first.get(author.slug)
            if known is None or (not known.bio and author.bio) or (not known.role and author.role):
                first[author.slug] = Author(
                    name=author.name,
                    slug=author.slug,
                    role=(known.role if known and known.role else author.role),
                    bio=(known.bio if known and known.bio else author.bio),
                )
    return {slug: Taxon(slug, first[slug].name, _by_date(arts, rank), author=first[slug]) for slug, arts in sorted(grouped.items())}


def _outlets(archive: Archive, rank: dict[str, int]) -> dict[str, Taxon]:
    grouped: dict[str, list[Article]] = defaultdict(list)
    names: dict[str, str] = {}
    for article in archive.articles:
        if article.outlet is None or article.outlet_slug is None:  # unknown: filed under no outlet
            continue
        grouped[article.outlet_slug].append(article)
        names.setdefault(article.outlet_slug, article.outlet)
    return {slug: Taxon(slug, names[slug], _by_date(arts, rank)) for slug, arts in sorted(grouped.items())}


def _tags(archive: Archive, rank: dict[str, int]) -> dict[str, Taxon]:
    articles: dict[str, list[Article]] = defaultdict(list)
    notes: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for article in archive.articles:
        for tag in article.tags:  # each tag once (parse.distinct_tags)
            articles[taxon_slug(tag)].append(article)
            names.setdefault(taxon_slug(tag), tag)
    for note in archive.notes:
        for tag in note.tags:
            notes[taxon_slug(tag)].append(note.slug)
            names.setdefault(taxon_slug(tag), tag)
    return {slug: Taxon(slug, names[slug], _by_date(articles[slug], rank), tuple(notes[slug])) for slug in sorted(names)}


def _entities_of_authors(archive: Archive) -> dict[str, str]:
    by_name: dict[str, str] = {}
    for entity in archive.entities:
        if entity.kind == "person":
            for name in (entity.name, *entity.aliases):
                by_name.setdefault(taxon_slug(name), entity.slug)
    return {author.slug: by_name[author.slug] for article in archive.articles for author in article.authors if author.slug in by_name}
