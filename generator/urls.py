"""The one place where site paths become URLs, so the site works under any base path."""

from __future__ import annotations

from generator.config import Config

SECTION_OF_KIND = {
    "article": "articles",
    "note": "notes",
    "entity": "entities",
    "author": "authors",
    "outlet": "outlets",
    "tag": "tags",
}


def page_path(kind: str, slug: str) -> str:
    """The site-relative path of a document page: 'articles/<slug>/'."""
    return f"{SECTION_OF_KIND[kind]}/{slug}/"


def url_for(config: Config, path: str) -> str:
    """A root-relative URL for a site path, under base_url's path ('/repo/articles/x/')."""
    return config.base_path + path.lstrip("/")


def absolute_url(config: Config, path: str) -> str:
    """A full URL when base_url has a host (feeds, sitemaps, canonical links need one)."""
    return config.origin + url_for(config, path)


def output_file(path: str) -> str:
    """The file that serves a site path: 'articles/x/' is written as 'articles/x/index.html'."""
    return path + "index.html" if path.endswith("/") or path == "" else path
