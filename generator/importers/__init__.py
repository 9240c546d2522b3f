"""Import a saved article (plain text or HTML) into the archive's article format.

`import_source` is pure: bytes in, an `ImportedArticle` out, so it can be tested and benchmarked without files.
`command.run_import` does the file handling around it. Fields the source does not state stay None: an archive
that guesses authors or dates cannot be trusted on the ones it gets right.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

import yaml

from generator.languages import canonical_language
from generator.slugs import readable_slug

from . import detect
from .language import detect_language

MAX_SLUG = 60  # characters of an article's file name made from its headline


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    slug: str
    front_matter: dict
    body: str
    image_sources: tuple[str | None, ...] = ()  # each image's src as the page wrote it (saved_images.py)


def import_source(
    data: bytes,
    *,
    origin: str,
    today: datetime.date,
    source_url: str | None = None,
    tags: tuple[str, ...] = (),
) -> ImportedArticle:
    """Read one article from `data`; raises SiteError (naming `origin`) when it cannot be imported."""
    text = detect.decode(data, origin)
    if detect.looks_like_html(text):
        from .html import read_html

        draft = read_html(text, origin, source_url)
    else:
        from .text import read_text

        draft = read_text(text, origin)
    body = "\n\n".join(block.text for block in draft.blocks)
    front_matter = {
        "title": draft.title,
        "subtitle": draft.subtitle,
        "authors": [author.as_dict() for author in draft.authors],
        "outlet": draft.outlet,
        "source_url": source_url or draft.source_url,
        "published": draft.published,
        "archived": today.isoformat(),
        "language": _language(draft.language) or detect_language((draft.title or "") + "\n" + body),
        "tags": list(tags),
        "images": [image.as_dict() for image in draft.images],
    }
    slug = readable_slug(draft.title, MAX_SLUG) if draft.title else "untitled-" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:8]
    return ImportedArticle(slug, front_matter, body, tuple(image.written_src for image in draft.images))


def _language(declared: str | None) -> str | None:
    """The page's declared language when it is a BCP 47 tag the build will accept, else None
    (then the language is guessed from the text): an import never writes a file the build refuses."""
    return canonical_language(declared) if declared else None


def article_file_text(article: ImportedArticle) -> str:
    """The article file: YAML front-matter between '---' lines, a blank line, then the Markdown body."""
    front = yaml.safe_dump(article.front_matter, sort_keys=False, allow_unicode=True, width=100000)
    return f"---\n{front}---\n\n{article.body}\n"


__all__ = ["ImportedArticle", "article_file_text", "import_source"]
