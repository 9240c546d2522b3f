"""Static output: theme assets (fingerprinted), content images, and GitHub Pages files."""

from __future__ import annotations

from pathlib import Path

from generator.config import Config
from generator.records import Page
from generator.theme import fingerprint, static_files
from generator.urls import url_for


def theme_assets(root: Path, config: Config) -> tuple[list[Page], dict[str, str]]:
    """The theme's static files, and their URLs with a content hash for cache-busting."""
    pages, urls = [], {}
    for site_path, file in static_files(root, config):
        data = file.read_bytes()
        pages.append(Page(site_path, data))
        urls[site_path] = url_for(config, site_path) + "?v=" + fingerprint(data)
    return pages, urls


def content_assets(assets: tuple[tuple[str, bytes], ...]) -> list[Page]:
    return [Page(path, data) for path, data in assets]


def pages_files(config: Config) -> list[Page]:
    """`.nojekyll` (serve files as they are) and `CNAME` when a custom domain is set."""
    files = [Page(".nojekyll", b"")]
    if config.cname:
        files.append(Page("CNAME", (config.cname.strip() + "\n").encode()))
    return files
