"""HTML pages: one Jinja template per page kind, fed with records and the link graph."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2
from markupsafe import Markup

from generator.anchor import NONE, ORPHAN, anchored_text, sentence_around, text_fragment
from generator.config import Config
from generator.graph import newest_first, shortened
from generator.image_files import ImageFile, content_path, image_files, is_remote
from generator.records import Analysis, Anchor, Article, Author, Entity, Heading, Image, Note, Page
from generator.slugs import taxon_slug
from generator.urls import SECTION_OF_KIND, absolute_url, output_file, page_path, url_for

if TYPE_CHECKING:
    from generator.emit.bodies import ComposedBodies

DocKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class SiteData:
    """Everything the templates may read: the analysed archive and the asset URLs."""

    analysis: Analysis
    assets: dict[str, str]  # static path -> fingerprinted URL

    @property
    def articles_by_slug(self) -> Mapping[str, Article]:
        return self.analysis.archive.article_of

    @property
    def notes_by_slug(self) -> Mapping[str, Note]:
        return self.analysis.archive.note_of

    @property
    def entities_by_slug(self) -> Mapping[str, Entity]:
        return self.analysis.archive.entity_of


def template_globals(site: SiteData) -> dict[str, Any]:
    config = site.analysis.config

    # Every page asks for the same few asset and section URLs, and list pages for the same
    # documents' URLs over and over (an entity page for hundreds of articles): each is worked out once.
    @functools.cache
    def href(kind: str, slug: str) -> str:
        return url_for(config, page_path(kind, slug))

    @functools.cache
    def asset(path: str) -> str:
        return site.assets.get(path) or url_for(config, path)

    @functools.cache
    def url(path: str = "") -> str:
        return url_for(config, path)

    titles = site.analysis.graph.titles
    files = image_files(site.analysis.archive.articles, site.analysis.assets)

    def image_file(src: str) -> ImageFile | None:
        """The file of content/ an image's `src` names (its size), None when content/ does not hold it."""
        return files.get(content_path(src))

    def image_shown(image: Image) -> bool:
        """Whether a figure shows its image: a remote one, or one whose file content/ holds. Only
        such an image may be named as the page's picture (og:image, JSON-LD, the search result's)."""
        return image.src is not None and (is_remote(image.src) or content_path(image.src) in files)

    def first_shown_image(article: Article) -> Image | None:
        return next((image for image in article.images if image_shown(image)), None)

    def note_title_of(note: Note) -> str:
        """`graph.note_title(note)`, as the link graph worked it out once for every note: pages show
        the titles of notes without one (made from the quote) thousands of times."""
        return titles[("note", note.slug)]

    return {
        "site": config,
        "url": url,
        "abs_url": lambda path="": absolute_url(config, path),
        "href": href,
        "asset": asset,
        "note_title": note_title_of,
        "image_file": image_file,
        "image_shown": image_shown,
        "first_shown_image": first_shown_image,
        "articles": site.articles_by_slug,
        "notes": site.notes_by_slug,
        "entities": site.entities_by_slug,
        "graph": site.analysis.graph,
        "anchors": site.analysis.anchors,
    }


@functools.lru_cache(maxsize=4096, typed=True)  # list pages show the same few hundred dates thousands of times
def human_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%-d %B %Y, %H:%M")
    return value.strftime("%-d %B %Y")


def iso_date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def names(people: Iterable[Author]) -> str:
    """'Ann Lee, Bo Park': the `names` filter, for a list item's authors. The same text as
    `map(attribute='name') | join(', ')`, which list pages ran for every item and which cost
    more than the rest of the item (Jinja's filters look up their attribute getter each time)."""
    return ", ".join(person.name for person in people)


def count(number: int, singular: str, plural: str | None = None) -> str:
    """'1 article', '2 articles': the `count` filter, so no page says '1 articles'."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})
RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa"})


def is_rtl(language: str) -> bool:
    """Whether text in `language` (a BCP 47 tag: 'fa', 'ar-EG', 'ku-Arab') runs right to left: the
    page then says dir="rtl", which lang alone does not imply."""
    primary, *subtags = language.strip().lower().split("-")
    return primary in RTL_LANGUAGES or any(subtag in RTL_SCRIPTS for subtag in subtags)


def prepare_environment(env: jinja2.Environment, site: SiteData) -> None:
    """Give templates the site's globals and filters (needed before bodies are composed).

    `url`, `asset`, `href` and `note_title` are filters too, and the bundled theme writes them
    so (`'feed.xml' | url`, `note.slug | href('note')`): Jinja calls a filter directly, where a
    call of a global goes through the context, which first asks the callable whether it wants
    the context passed in, and a page makes dozens of these calls (the measure is in
    benchmarks/README.md). The globals stay, for templates that call them.
    """
    helpers = template_globals(site)
    href = helpers["href"]
    env.globals.update(helpers)
    env.filters["human_date"] = human_date
    env.filters["iso_date"] = iso_date
    env.filters["names"] = names
    env.filters["count"] = count
    env.filters["is_rtl"] = is_rtl
    env.filters["shortened"] = shortened
    env.filters["slug"] = taxon_slug  # a tag's page (tag_links): the slug authors' and outlets' pages have too
    env.filters["lookup"] = lambda key, table: table[key]
    env.filters["url"] = at_render(helpers["url"])
    env.filters["asset"] = at_render(helpers["asset"])
    env.filters["href"] = at_render(lambda slug, kind: href(kind, slug))
    env.filters["note_title"] = at_render(helpers["note_title"])


def at_render(helper: Callable[..., Any]) -> Callable[..., Any]:
    """`helper` as a filter that Jinja calls when the page renders, never when it compiles the
    template. Jinja works out a filter whose arguments are constants while compiling
    (`'static/style.css' | asset`), and compiled templates are kept between builds
    (theme.TemplateCache, keyed by the template's source): a URL holding this build's base URL or
    a theme file's hash would be the one of the build that compiled it. A filter that is given
    the context (`pass_context`) is left to the render; the context itself is not needed."""

    @jinja2.pass_context
    def filter_at_render(_context: jinja2.runtime.Context, *args: Any) -> Any:
        return helper(*args)

    return filter_at_render


class PageJob(NamedTuple):
    """A page whose output path is known now and whose bytes are rendered when asked for.

    Knowing every path first lets the sitemap be written from the list, and lets worker
    processes each render a share of the pages. A named tuple: every build makes one per
    page (11,000 at 5,000 articles), a one-note rebuild too, and a tuple is made fastest.
    """

    path: str
    render: Callable[[], Page]
    template: str | None = None  # None: made without a page template of its own (feeds, sitemap, ...)


def page_jobs(site: SiteData, html: ComposedBodies, env: jinja2.Environment, only: frozenset[str] | None = None) -> list[PageJob]:
    """Every HTML page of the site, in a fixed order; or only the pages whose files are in
    `only` (serve makes the pages its tabs show first), without a pass over every record.
    `html` is each document's composed body (`embedded` where another page shows it)."""
    env.globals["body_html"] = lambda kind, slug: Markup(html.embedded((kind, slug)))  # a body shown on another page
    render = _renderer(env, site.analysis.config)
    archive, graph = site.analysis.archive, site.analysis.graph
    jobs: list[PageJob] = []

    # The lists are sorted when a page that shows them is rendered: most rebuilds render none.
    @functools.cache
    def articles() -> list[Article]:
        return newest_first(archive.articles)

    @functools.cache
    def notes() -> list[Note]:
        return sorted(archive.notes, key=lambda n: (n.created is None, -(n.created.toordinal() if n.created else 0), n.slug))

    def orphans() -> list[Note]:
        return [n for n in archive.notes if site.analysis.anchors.get(n.slug, Anchor(n.slug, "", NONE)).tier == ORPHAN]

    def job(template: str, path: str, context: Callable[[], dict[str, Any]] = dict) -> None:
        file = output_file(path)
        if only is None or file in only:
            jobs.append(PageJob(file, functools.partial(render, template, path, context), template))

    home_items = site.analysis.config.home_items
    job("home.html", "", lambda: {"reading_log": reading_log(site, articles()[:home_items]), "latest_notes": notes()[:home_items]})
    job("articles.html", "articles/", lambda: {"items": articles()})
    job("notes.html", "notes/", lambda: {"items": notes()})
    job("entities.html", "entities/", lambda: {"items": archive.entities, "article_counts": entity_article_counts(site)})
    job("taxonomy.html", "authors/", lambda: {"kind": "author", "heading": "Authors", "taxa": list(graph.authors.values())})
    job("taxonomy.html", "outlets/", lambda: {"kind": "outlet", "heading": "Outlets", "taxa": list(graph.outlets.values())})
    job("taxonomy.html", "tags/", lambda: {"kind": "tag", "heading": "Tags", "taxa": list(graph.tags.values())})
    job("orphans.html", "orphans/", lambda: {"items": orphans()})
    job("search.html", "search/")
    job("404.html", "404.html")
    documents = (
        ("article", archive.articles, site.articles_by_slug, article_view),
        ("note", archive.notes, site.notes_by_slug, note_view),
        ("entity", archive.entities, site.entities_by_slug, entity_view),
    )
    for kind, records, by_slug, view in documents:
        for record in _among(kind, records, by_slug, only):
            job(f"{kind}.html", page_path(kind, record.slug), functools.partial(view, site, html, record))
    for kind, taxa in (("author", graph.authors), ("outlet", graph.outlets), ("tag", graph.tags)):
        for taxon in _among(kind, taxa.values(), taxa, only):
            job(f"{kind}.html", page_path(kind, taxon.slug), functools.partial(dict, taxon=taxon))
    return jobs


def _among(kind: str, items: Iterable[Any], by_slug: Mapping[str, Any], only: frozenset[str] | None) -> Iterable[Any]:
    """`items` (records or taxa of `kind`), or only those whose page files are in `only`."""
    if only is None:
        return items
    section, page = SECTION_OF_KIND[kind] + "/", "/index.html"
    slugs = [path[len(section) : -len(page)] for path in only if path.startswith(section) and path.endswith(page)]
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def _renderer(env: jinja2.Environment, config: Config) -> Callable[..., Page]:
    templates: dict[str, jinja2.Template] = {}

    def render(template_name: str, path: str, context: Callable[[], dict[str, Any]]) -> Page:
        template = templates.get(template_name)
        if template is None:
            template = templates[template_name] = env.get_template(template_name)
        canonical = absolute_url(config, path) if config.origin else ""  # a relative canonical link names no page
        html = template.render(page_path=path, canonical=canonical, **context())
        return Page(output_file(path), html.encode("utf-8"))

    return render


def highlights_in(site: SiteData, article: Article) -> list[Note]:
    """The notes whose quotes were found in `article`, in the order of their passages."""
    anchors = site.analysis.anchors
    found = [site.notes_by_slug[slug] for slug in site.analysis.graph.notes_by_article.get(article.slug, ()) if anchors[slug].tier not in (NONE, ORPHAN)]
    return sorted(found, key=lambda note: (anchors[note.slug].start, note.slug))


def reading_log(site: SiteData, articles: list[Article]) -> list[tuple[Article, list[Note], int]]:
    """The home page's entries: each recent article with its highlights (the first one's passage
    is shown) and its count of notes."""
    notes_by_article = site.analysis.graph.notes_by_article
    return [(article, highlights_in(site, article), len(notes_by_article.get(article.slug, ()))) for article in articles]


def backlinks_of(site: SiteData, kind: str, slug: str) -> list[dict[str, str]]:
    views = []
    titles = site.analysis.graph.titles
    for link in site.analysis.graph.backlinks.get((kind, slug), ()):
        title = titles[(link.source_kind, link.source_slug)]
        views.append({"kind": link.source_kind, "title": title, "url": url_for(site.analysis.config, page_path(link.source_kind, link.source_slug)), "context": link.context})
    return sorted(views, key=lambda v: (v["kind"], v["title"]))


TOC_MIN_HEADINGS = 3  # an article with fewer sections is short enough to scan without a table of contents


def table_of_contents(headings: Iterable[Heading]) -> list[tuple[Heading, list[Heading]]]:
    """An article's sections for its table of contents, each with its subsections: headings of
    level 1 or 2 open a section, level 3 ones go under the section before them, deeper ones
    are left out. Empty for an article of fewer than TOC_MIN_HEADINGS such headings."""
    sections: list[tuple[Heading, list[Heading]]] = []
    for heading in headings:
        if heading.level == 3 and sections:
            sections[-1][1].append(heading)
        elif heading.level <= 3:
            sections.append((heading, []))
    return sections if sum(1 + len(subsections) for _, subsections in sections) >= TOC_MIN_HEADINGS else []


def highlights_overlap(anchors: Iterable[Anchor]) -> bool:
    """Whether two of an article's highlights share words (in its text, its standfirst or one
    caption): the shared words are marked twice, in a darker colour the page then explains."""
    ends: dict[tuple[bool, int | None], int] = {}
    for anchor in sorted(anchors, key=lambda a: (a.standfirst, a.figure is not None, a.figure or 0, a.start)):
        text = (anchor.standfirst, anchor.figure)  # offsets count within one text only
        if anchor.start < ends.get(text, -1):
            return True
        ends[text] = max(ends.get(text, -1), anchor.end)
    return False


def article_view(site: SiteData, html: ComposedBodies, article: Article) -> dict[str, Any]:
    note_slugs = site.analysis.graph.notes_by_article.get(article.slug, ())
    notes = [site.notes_by_slug[slug] for slug in note_slugs]
    entities = sorted((site.entities_by_slug[slug] for slug in site.analysis.graph.entities_in.get(article.slug, ())), key=lambda e: e.name)
    highlighted = [n for n in notes if site.analysis.anchors[n.slug].tier not in (NONE, ORPHAN)]
    return {
        "article": article,
        "body": Markup(html[("article", article.slug)]),
        "contents": table_of_contents(site.analysis.bodies[("article", article.slug)].headings),
        "highlights_overlap": highlights_overlap(site.analysis.anchors[n.slug] for n in highlighted),
        "standfirst": html.standfirst(article.slug),
        "highlight_notes": highlighted,
        "article_notes": [n for n in notes if n.quote is None],
        "orphan_notes": [n for n in notes if site.analysis.anchors[n.slug].tier == ORPHAN],
        "backlinks": backlinks_of(site, "article", article.slug),
        "mentioned_entities": entities,
    }


def note_view(site: SiteData, html: Mapping[DocKey, str], note: Note) -> dict[str, Any]:
    anchor = site.analysis.anchors.get(note.slug, Anchor(note.slug, "", NONE))
    article = site.articles_by_slug.get(note.article) if note.article else None
    context = None
    passage_url = source_passage_url = None
    if article is not None and anchor.tier not in (NONE, ORPHAN):
        text = anchored_text(anchor, site.analysis.bodies[("article", article.slug)].text, article)
        context = sentence_around(text, anchor.start, anchor.end)
        passage_url = url_for(site.analysis.config, page_path("article", article.slug)) + f"#note-{note.slug}"
        if article.source_url:
            source_passage_url = article.source_url.split("#")[0] + text_fragment(context[1])
    return {
        "note": note,
        "body": Markup(html[("note", note.slug)]),
        "article": article,
        "anchor": anchor,
        "context": context,
        "passage_url": passage_url,
        "source_passage_url": source_passage_url,
        "backlinks": backlinks_of(site, "note", note.slug),
    }


def authored_by(site: SiteData, entity: Entity) -> list[Article]:
    """The articles written by the author who is `entity` (newest first, as the author's list)."""
    return [
        site.articles_by_slug[slug]
        for author_slug, entity_slug in sorted(site.analysis.graph.entity_of_author.items())
        if entity_slug == entity.slug
        for slug in site.analysis.graph.authors[author_slug].articles
    ]


def entity_article_counts(site: SiteData) -> dict[str, int]:
    """How many articles each entity's page lists: those that mention it and those it wrote,
    so the index never says '0 articles' of an author whose articles the page shows."""
    graph = site.analysis.graph
    articles: dict[str, set[str]] = {entity.slug: {slug for slug, _ in graph.mentions.get(entity.slug, ())} for entity in site.analysis.archive.entities}
    for author_slug, entity_slug in graph.entity_of_author.items():
        articles[entity_slug].update(graph.authors[author_slug].articles)
    return {slug: len(found) for slug, found in articles.items()}


def entity_view(site: SiteData, html: Mapping[DocKey, str], entity: Entity) -> dict[str, Any]:
    authored = authored_by(site, entity)
    return {
        "entity": entity,
        "body": Markup(html[("entity", entity.slug)]),
        "mentions": [(site.articles_by_slug[slug], count) for slug, count in site.analysis.graph.mentions.get(entity.slug, ())],
        "authored": authored,
        "backlinks": backlinks_of(site, "entity", entity.slug),
    }
