"""`sitemap.xml` (the sitemaps.org protocol) and a `robots.txt` that points to it.

The sitemap lists every HTML page the build emitted, so a new page kind is listed
without touching this module. `lastmod` is given only where a content date says when a
page last changed (an article's archive date or its newest note; a note's date), never
the build time, so the file is the same on every build of the same archive.

A sitemap's every `<loc>` must be an absolute URL: with a base URL that is only a path
(`/repo/`) there is none to give, so no sitemap is written (and the build warns, see
`path_only_warning`) rather than one that fails the protocol's schema.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from html import escape

from generator.config import Config
from generator.errors import Problem, SourceLoc
from generator.records import Archive, Date, Page
from generator.urls import absolute_url, page_path

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP, ROBOTS = "sitemap.xml", "robots.txt"
NOT_LISTED = {"404.html"}


def sitemap_pages(config: Config, archive: Archive, pages: Iterable[str]) -> list[Page]:
    """`sitemap.xml` for the emitted HTML pages (`pages`: every output file's path) and `robots.txt` (only the latter without a host)."""
    if not config.origin:
        return [Page(ROBOTS, robots_txt(config).encode("utf-8"))]
    lastmod = _lastmod_by_path(archive)
    paths = sorted(_site_path(path) for path in pages if path.endswith(".html") and path not in NOT_LISTED)
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
    rules = "User-agent: *\nDisallow:\n"
    return rules + f"\nSitemap: {absolute_url(config, SITEMAP)}\n" if config.origin else rules


def path_only_warning(config: Config) -> tuple[Problem, ...]:
    """The warning of a build whose base URL is a path (`/repo/`): what its pages go without.
    The default `/` is a local build's (a preview, a first try), which is not published as it
    is; warning on every one of them would teach readers to skip the warnings."""
    if config.origin or config.base_url == "/":
        return ()
    return (
        Problem(
            SourceLoc("sitegen.yaml"),
            f"base_url '{config.base_url}' has no host: pages get no canonical or og:url link and no sitemap.xml is written;"
            " set a full URL such as https://user.github.io/repo/ (sitegen.yaml or --base-url)",
        ),
    )


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
