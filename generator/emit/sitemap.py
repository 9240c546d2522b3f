"""`sitemap.xml` (the sitemaps.org protocol) and a `robots.txt` that points to it.

The sitemap lists every HTML page the build emitted, so a new page kind is listed
without touching this module. `lastmod` is given only where a content date says when a
page last changed (an article's archive date or its newest note; a note's date), never
the build time, so the file is the same on every build of the same archive.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from html import escape

from generator.config import Config
from generator.records import Archive, Date, Page
from generator.urls import absolute_url, page_path

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP, ROBOTS = "sitemap.xml", "robots.txt"
NOT_LISTED = {"404.html"}


def sitemap_pages(config: Config, archive: Archive, pages: Iterable[Page]) -> list[Page]:
    """`sitemap.xml` for the emitted HTML pages and `robots.txt`."""
    lastmod = _lastmod_by_path(archive)
    paths = sorted(_site_path(page.path) for page in pages if page.path.endswith(".html") and page.path not in NOT_LISTED)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for path in paths:  # written as text: an element tree of 10,000 URLs takes ten times longer
        lines.append(f"  <url>\n    <loc>{escape(absolute_url(config, path), quote=False)}</loc>")
        if path in lastmod:
            lines.append(f"    <lastmod>{lastmod[path].isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    sitemap = "\n".join(lines).encode("utf-8")
    return [Page(SITEMAP, sitemap), Page(ROBOTS, robots_txt(config).encode("utf-8"))]


def robots_txt(config: Config) -> str:
    """Allow everything and name the sitemap.

    Crawlers read robots.txt only at a host's root: under a subpath (/repo/) this file is
    harmless but unread, and the sitemap is best submitted to search consoles directly.
    """
    return f"User-agent: *\nDisallow:\n\nSitemap: {absolute_url(config, SITEMAP)}\n"


def _site_path(output_file: str) -> str:
    """'articles/x/index.html' -> 'articles/x/'; 'index.html' -> ''."""
    return output_file.removesuffix("index.html")


def _lastmod_by_path(archive: Archive) -> dict[str, datetime.date]:
    lastmod: dict[str, datetime.date] = {}
    for article in archive.articles:
        day = article.archived or article.published
        if day is not None:
            lastmod[page_path("article", article.slug)] = _as_date(day)
    for note in archive.notes:
        if note.created is None:
            continue
        lastmod[page_path("note", note.slug)] = note.created
        if note.article:
            key = page_path("article", note.article)
            lastmod[key] = max(lastmod.get(key, note.created), note.created)
    return lastmod


def _as_date(value: Date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
