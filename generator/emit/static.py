"""Static output: theme assets (fingerprinted), content images, and GitHub Pages files."""

from __future__ import annotations

from generator.config import Config
from generator.errors import ProblemLog, SourceLoc
from generator.records import Page
from generator.search import BUNDLE as SEARCH_BUNDLE
from generator.theme import fingerprint
from generator.urls import url_for


def theme_assets(files: list[tuple[str, bytes]], config: Config) -> tuple[list[Page], dict[str, str]]:
    """The theme's static files (theme.static_files), and their URLs with a content hash for cache-busting."""
    pages, urls = [], {}
    for site_path, data in files:
        pages.append(Page(site_path, data))
        urls[site_path] = url_for(config, site_path) + "?v=" + fingerprint(data)
    return pages, urls


def content_assets(assets: tuple[tuple[str, bytes], ...], generated: set[str]) -> list[Page]:
    """The published files of content/ as output files.

    One that would stand where the build writes a file of its own (`generated`: pages, feeds,
    theme files; or the search index's folder) is an error naming both: copied over it, which
    of the two the site ended with would depend on whether the build was incremental."""
    log = ProblemLog()
    for path, _ in assets:
        if path in generated:
            log.error(SourceLoc(f"content/{path}"), f"would be published as {path}, a file the build writes itself; rename or move it")
        elif path.startswith(f"{SEARCH_BUNDLE}/"):
            log.error(SourceLoc(f"content/{path}"), f"would be published in {SEARCH_BUNDLE}/, the search index's folder; rename or move it")
    log.raise_errors()
    return [Page(path, data) for path, data in assets]


def pages_files(config: Config) -> list[Page]:
    """`.nojekyll` (serve files as they are) and `CNAME` when a custom domain is set."""
    files = [Page(".nojekyll", b"")]
    if config.cname:
        files.append(Page("CNAME", (config.cname.strip() + "\n").encode()))
    return files
