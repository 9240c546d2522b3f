"""The image files of content/ that articles show: whether each is there, and its pixel size.

A page gives each such `<img>` its width and height, so the browser keeps the image's room
while it loads and the text below does not jump; a figure whose file content/ does not hold
says so in the page (the build warns too). Both depend on the file, not on the article's
Markdown, so the article's key (incremental.py) holds them as well: replacing an image
with one of another size, or adding a missing one, renders its article again.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from collections.abc import Iterable
from typing import NamedTuple

import imagesize

from generator.records import Article

SIZED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # the formats whose size the header gives


class ImageFile(NamedTuple):
    """An image file of content/ that an article shows; width and height are None when its
    header gives no size (another format, or a damaged file): it is then shown unsized."""

    width: int | None
    height: int | None


def is_remote(src: str) -> bool:
    return src.startswith(("http://", "https://"))


def content_path(src: str) -> str:
    """The path in content/ an image's `src` names (as the published assets are keyed)."""
    return posixpath.normpath(src)


def image_files(articles: Iterable[Article], assets: tuple[tuple[str, bytes], ...]) -> dict[str, ImageFile]:
    """Every image file the articles show and content/ holds, by its path in content/;
    an image whose file is absent is not in it."""
    wanted = {content_path(image.src) for article in articles for image in article.images if image.src and not is_remote(image.src)}
    return {path: image_file(path, data) for path, data in assets if path in wanted}


def image_file(path: str, data: bytes) -> ImageFile:
    if not path.lower().endswith(SIZED_SUFFIXES):
        return ImageFile(None, None)
    width, height = imagesize.get(io.BytesIO(data))
    return ImageFile(width, height) if width > 0 and height > 0 else ImageFile(None, None)


def with_image_files(hashes: dict[tuple[str, str], str], articles: Iterable[Article], files: dict[str, ImageFile]) -> dict[tuple[str, str], str]:
    """The documents' hashes, with each article's own mixed with the state of its image files
    (there, and how large), so that a change to one gives its article another key."""
    mixed = dict(hashes)
    for article in articles:
        paths = [content_path(image.src) for image in article.images if image.src and not is_remote(image.src)]
        if paths:
            states = repr([(path, files.get(path)) for path in paths])
            mixed[("article", article.slug)] = hashlib.sha1(f"{hashes[('article', article.slug)]}\n{states}".encode()).hexdigest()
    return mixed
