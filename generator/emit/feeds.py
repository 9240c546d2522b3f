"""Atom feeds: `feed.xml` for articles and `notes.xml` for notes.

Feeds are built with xml.etree, so every text and attribute is escaped by the XML
serialiser rather than by hand. Output is deterministic: an entry's date is when it was
published, else when it was archived (or, for a note, written); a feed's `updated` is its
newest entry's. The build time is never used, so two builds of the same archive give the
same bytes. When no date is known at all, FALLBACK_DATE stands in (see docs/publishing.md).
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Mapping

import jinja2

from generator import __version__
from generator.config import Config
from generator.emit.pages import SiteData
from generator.graph import newest_first, note_title
from generator.markdown.compose import Weaving, compose_html
from generator.records import Article, Date, Note, Page
from generator.slugs import taxon_slug
from generator.urls import absolute_url, page_path

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FALLBACK_DATE = datetime.date(2000, 1, 1)
ARTICLES_FEED, NOTES_FEED = "feed.xml", "notes.xml"

DocKey = tuple[str, str]


def atom_date(value: Date | None) -> str:
    """RFC 3339 for Atom: a bare date is midnight UTC; a datetime without a zone is read as UTC."""
    if value is None:
        value = FALLBACK_DATE
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.isoformat().replace("+00:00", "Z")


def absolute_iri(config: Config, path: str) -> str:
    """An id that must be an absolute IRI (Atom, W3C annotations): the page's URL, or a
    `urn:sitegen:` name when base_url has no host to make a URL from."""
    return absolute_url(config, path) if config.origin else "urn:sitegen:" + path


def feed_pages(site: SiteData, html: Mapping[DocKey, str], env: jinja2.Environment) -> list[Page]:
    """Both feeds, limited to `feed_items` newest entries each. `html` is each document's composed body."""
    config, articles_by_slug = site.analysis.config, site.articles_by_slug
    limit = config.feed_items
    newest_articles = newest_first(site.analysis.archive.articles)[:limit]
    newest_notes = feed_notes(site.analysis.archive.notes, articles_by_slug, limit)
    article_entries = [_article_entry(config, article, _plain_article_html(site, article, env)) for article in newest_articles]
    note_entries = [_note_entry(config, note, html[("note", note.slug)], articles_by_slug) for note in newest_notes]
    return [
        Page(ARTICLES_FEED, _feed(config, ARTICLES_FEED, f"{config.title}: articles", "articles/", article_entries)),
        Page(NOTES_FEED, _feed(config, NOTES_FEED, f"{config.title}: notes", "notes/", note_entries)),
    ]


def feed_notes(notes: tuple[Note, ...], articles_by_slug: Mapping[str, Article], limit: int) -> list[Note]:
    """The notes the notes feed shows in full: the `limit` newest."""
    return sorted(notes, key=lambda n: (_note_day(n, articles_by_slug) or FALLBACK_DATE, n.slug), reverse=True)[:limit]


def _feed(config: Config, path: str, title: str, html_path: str, entries: list[ET.Element]) -> bytes:
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.language})
    _text(feed, "id", absolute_iri(config, path))
    _text(feed, "title", title)
    if config.description:
        _text(feed, "subtitle", config.description)
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": absolute_url(config, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": absolute_url(config, html_path)})
    _text(feed, "updated", max((entry.findtext("updated") or "" for entry in entries), default=atom_date(None)))
    author = ET.SubElement(feed, "author")
    _text(author, "name", config.author or config.title)
    _text(feed, "generator", "sitegen", {"version": __version__})
    feed.extend(entries)
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"


def _article_entry(config: Config, article: Article, body_html: str) -> ET.Element:
    path = page_path("article", article.slug)
    entry = ET.Element("entry")
    _text(entry, "title", article.title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": absolute_url(config, path)})
    if article.source_url:
        ET.SubElement(entry, "link", {"rel": "related", "type": "text/html", "href": article.source_url, "title": f"Original at {article.outlet or 'the source'}"})
    _text(entry, "id", absolute_iri(config, path))
    if article.published:
        _text(entry, "published", atom_date(article.published))
    _text(entry, "updated", atom_date(article.published or article.archived))
    for author in article.authors:
        element = ET.SubElement(entry, "author")
        _text(element, "name", author.name)
        _text(element, "uri", absolute_url(config, page_path("author", author.slug)))
    if article.outlet is not None and article.outlet_slug is not None:
        _category(entry, config, article.outlet_slug, article.outlet, "outlets/")
    for tag in article.tags:
        _category(entry, config, taxon_slug(tag), tag, "tags/")
    byline = ", ".join(author.name for author in article.authors)
    _text(entry, "summary", article.subtitle or " · ".join(part for part in (article.outlet, byline) if part))
    _text(entry, "content", body_html, {"type": "html"})
    source = ET.SubElement(entry, "source")  # the entry is a copy of the outlet's article
    if article.outlet is not None:
        _text(source, "title", article.outlet)
    if article.source_url:
        ET.SubElement(source, "link", {"rel": "alternate", "href": article.source_url})
    return entry


def _plain_article_html(site: SiteData, article: Article, env: jinja2.Environment) -> str:
    """The article as its outlet printed it: text, links and credited figures, without the reader's
    highlights and margin notes (their `#note-` links would point into the feed, not the page)."""
    key = ("article", article.slug)
    figure = env.get_template("partials/figure.html")
    weaving = Weaving(
        wikilink_href=site.analysis.graph.wikilinks[key].__getitem__,
        links=site.analysis.graph.autolinks.get(article.slug, ()),
        figure_html=lambda index: figure.render(image=article.images[index], article=article),
    )
    return compose_html(site.analysis.bodies[key], weaving)


def _note_entry(config: Config, note: Note, body_html: str, articles_by_slug: Mapping[str, Article]) -> ET.Element:
    path = page_path("note", note.slug)
    article = articles_by_slug.get(note.article) if note.article else None
    entry = ET.Element("entry")
    _text(entry, "title", note_title(note))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": absolute_url(config, path)})
    if article is not None:
        ET.SubElement(entry, "link", {"rel": "related", "type": "text/html", "href": absolute_url(config, page_path("article", article.slug)), "title": article.title})
    _text(entry, "id", absolute_iri(config, path))
    _text(entry, "updated", atom_date(_note_day(note, articles_by_slug)))
    if article is not None:
        if article.outlet is not None and article.outlet_slug is not None:
            _category(entry, config, article.outlet_slug, article.outlet, "outlets/")
        _text(entry, "summary", f"On “{article.title}”" + (f" ({article.outlet})" if article.outlet else ""))
    for tag in note.tags:
        _category(entry, config, taxon_slug(tag), tag, "tags/")
    quote = ET.Element("blockquote")
    quote.text = note.quote
    content = (ET.tostring(quote, encoding="unicode") if note.quote else "") + body_html
    _text(entry, "content", content, {"type": "html"})
    return entry


def _note_day(note: Note, articles_by_slug: Mapping[str, Article]) -> Date | None:
    """A note's date: when it was written, else when its article was archived."""
    article = articles_by_slug.get(note.article) if note.article else None
    return note.created or (article.archived if article else None)


def _category(entry: ET.Element, config: Config, term: str, label: str, section: str) -> None:
    ET.SubElement(entry, "category", {"term": term, "label": label, "scheme": absolute_url(config, section)})


def _text(parent: ET.Element, tag: str, text: str, attrs: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs or {})
    element.text = text
    return element
