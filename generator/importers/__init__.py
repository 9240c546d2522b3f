"""Import a saved article (plain text or HTML) into the archive's article format.

`import_source` is pure: bytes in, an `ImportedArticle` out, so it can be tested and benchmarked without files.
`command.run_import` does the file handling around it. Fields the source does not state stay None: an archive
that guesses authors or dates cannot be trusted on the ones it gets right.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import yaml

from generator.languages import canonical_language

from . import detect
from .language import detect_language

MAX_SLUG = 60
_TRANSLITERATE = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
                                "đ": "d", "Đ": "d", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d", "ı": "i"})


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    slug: str
    front_matter: dict
    body: str


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
    slug = slugify(draft.title) if draft.title else "untitled-" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:8]
    return ImportedArticle(slug, front_matter, body)


def _language(declared: str | None) -> str | None:
    """The page's declared language when it is a BCP 47 tag the build will accept, else None
    (then the language is guessed from the text): an import never writes a file the build refuses."""
    return canonical_language(declared) if declared else None


def article_file_text(article: ImportedArticle) -> str:
    """The article file: YAML front-matter between '---' lines, a blank line, then the Markdown body."""
    front = yaml.safe_dump(article.front_matter, sort_keys=False, allow_unicode=True, width=100000)
    return f"---\n{front}---\n\n{article.body}\n"


def slugify(title: str) -> str:
    """A URL slug from a title; titles written mostly in other scripts get a stable hash-based slug.

    Not generator.slugs.slugify, on purpose: this names a new article file once, from a headline,
    so it drops apostrophes (`Don't` is `dont`, not `don-t`), spells out letters NFKD cannot
    (`Łódź` is `lodz`, `Straße` is `strasse`), stops at a word boundary within MAX_SLUG characters,
    and gives a headline mostly in another script an `article-` hash rather than its few Latin
    words (`東京 2024` is not `2024`). slugs.slugify is the rule for addresses that must stay put
    (tags, authors, headings); changing this one only renames files that later imports write."""
    ascii_title = unicodedata.normalize("NFKD", title.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()
    letters = [c for c in title if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or unicodedata.name(c, "").startswith("LATIN"))
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", "").replace("’", ""))
    if not words or latin < len(letters) / 2:
        return "article-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    slug = words[0][:MAX_SLUG]
    for word in words[1:]:
        if len(slug) + 1 + len(word) > MAX_SLUG:
            break
        slug += "-" + word
    return slug


__all__ = ["ImportedArticle", "article_file_text", "import_source", "slugify"]
