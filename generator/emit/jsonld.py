"""schema.org JSON-LD for article pages, safe to embed in a `<script>` element.

Search engines and citation tools read `NewsArticle` markup to learn who wrote a piece,
who published it and whose photograph it shows. The archive republishes other people's
work, so the markup credits them: the outlet is the publisher, the original URL is what
the page `isBasedOn`, and every image carries its credit. A date is given only when the
source stated one; nothing is guessed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from generator.config import Config
from generator.names import cited_name
from generator.records import Article, Author, Image
from generator.urls import absolute_url, page_path

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script_safe_json(data: Any) -> Markup:
    """JSON that cannot end its `<script>` element early: `<`, `>` and `&` become \\u escapes.

    The escapes are still the same characters to a JSON parser, so the data is unchanged.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escape)
    return Markup(text)


def article_jsonld(config: Config, article: Article, shown: Callable[[Image], bool]) -> dict[str, Any]:
    """A schema.org `NewsArticle` describing the archived copy and the original it is based on.
    An image gets a `contentUrl` only when `shown` (its file is there to fetch); its credit either way."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": absolute_url(config, page_path("article", article.slug)),
        "mainEntityOfPage": absolute_url(config, page_path("article", article.slug)),
        "inLanguage": article.language or config.language,
    }
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle
    if article.authors:
        data["author"] = [_author(config, author, article.outlet) for author in article.authors]
    if article.outlet:
        data["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.published:
        data["datePublished"] = article.published.isoformat()
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.images:
        data["image"] = [_image(config, image, shown(image)) for image in article.images]
    return data


def _author(config: Config, author: Author, outlet: str | None) -> dict[str, Any]:
    """A `Person`, with given and family name where citations split them (generator/names.py), or
    an `Organization` when the reader marked the author as one."""
    data: dict[str, Any] = {"@type": "Organization" if author.organization else "Person", "name": author.name}
    data["url"] = absolute_url(config, page_path("author", author.slug))
    name = cited_name(author, outlet)
    if not author.organization and name.literal is None:
        data["givenName"] = name.given
        data["familyName"] = name.full_family
        if name.suffix:
            data["honorificSuffix"] = name.suffix
    if author.role and not author.organization:
        data["jobTitle"] = author.role
    return data


def _image(config: Config, image: Image, shown: bool) -> dict[str, Any]:
    """An `ImageObject` with its credit; the copyright holder is the agency, else the photographer."""
    data: dict[str, Any] = {"@type": "ImageObject"}
    if image.src and shown:
        data["contentUrl"] = image_url(config, image.src)
    if image.title:
        data["name"] = image.title
    if image.caption:
        data["caption"] = image.caption
    data["creditText"] = image.credit
    if image.photographer:
        data["creator"] = {"@type": "Person", "name": image.photographer}
    if image.agency:
        data["copyrightHolder"] = {"@type": "Organization", "name": image.agency}
    elif image.photographer:
        data["copyrightHolder"] = {"@type": "Person", "name": image.photographer}
    return data


def image_url(config: Config, src: str) -> str:
    """An image's full URL: remote sources as they are, archive files under the site's base URL."""
    return src if src.startswith(("http://", "https://")) else absolute_url(config, src)


def jsonld_globals(config: Config) -> dict[str, Any]:
    """Template helpers for the article page's head: its JSON-LD and full image URLs."""
    return {
        "article_jsonld": lambda article, shown: script_safe_json(article_jsonld(config, article, shown)),
        "image_url": lambda src: image_url(config, src),
    }
