"""What the archive holds already, keyed by normalised source URL.

The key makes every import idempotent and a stopped bulk import resumable: a link whose article is in
content/articles/ (under its own URL or the one its redirects end at) is skipped, not fetched again. Kept
apart from the rest of the bulk import so that a one-file `sitegen import` can ask it cheaply.
"""

from __future__ import annotations

from pathlib import Path

from generator.content.frontmatter import split_front_matter
from generator.errors import SiteError, SourceLoc
from generator.source_urls import url_key


def archived_urls(articles: Path) -> dict[str, str]:
    """url_key → the article file that has it as `source_url`. A file that does not parse is the build's
    to report; here it only holds no URL."""
    found: dict[str, str] = {}
    if not articles.is_dir():
        return found
    for path in sorted(articles.rglob("*.md")):
        try:
            meta = split_front_matter(path.read_text(encoding="utf-8"), SourceLoc(str(path))).meta
        except (SiteError, OSError, UnicodeDecodeError):
            continue
        url = meta.value.get("source_url") if meta is not None and isinstance(meta.value, dict) else None
        if isinstance(url, str) and url:
            found.setdefault(url_key(url), str(path))
    return found
