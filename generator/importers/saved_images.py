"""The article's images in the archive: the files a saved page keeps beside it, or, asked for, the
pictures downloaded from the web.

A browser's "Web page, complete" writes the page and a folder of its files (`Page_files/`),
and points each `<img>` at its copy there. Importing only the page would leave the article
pointing at the outlet's server, or, joined with the page's address, at a file the outlet
never had; the copies are the reader's own, so they go into `content/images/` and the
article names them there: the published archive then keeps working when the outlet deletes
the picture. Only a file inside the saved page's folder is read, and only an image:
a page's markup cannot make the import copy any other file into the archive.

With `--fetch-images`, the pictures still named by their web address are downloaded (within the
limits of bring/fetch.py) and copied in the same way; one that cannot be had keeps its address,
and the import says why.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pathlib
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import imagesize

from ..bring.fetch import FetchFailed
from . import ImportedArticle

IMAGES = "images"  # the folder of content/ that copied images go to, as `src: images/<name>` names them


@dataclasses.dataclass(frozen=True, slots=True)
class CopiedImage:
    target: pathlib.Path
    data: bytes


def with_saved_images(article: ImportedArticle, page: pathlib.Path, content: pathlib.Path, slug: str) -> tuple[ImportedArticle, list[CopiedImage]]:
    """`article` with each image whose file the saved page at `page` holds beside it named by
    its copy in `content`/images/ (`<slug>-<n>.<ext>`), and the copies to write."""
    images = [dict(image) for image in article.front_matter["images"]]
    copies: list[CopiedImage] = []
    for number, (image, written) in enumerate(zip(images, article.image_sources, strict=True), start=1):
        found = saved_image(page, written)
        if found is None:
            continue
        data, suffix = found
        name = f"{slug}-{number}{suffix}"
        copies.append(CopiedImage(content / IMAGES / name, data))
        image["src"] = f"{IMAGES}/{name}"
    front_matter = {**article.front_matter, "images": images}
    return dataclasses.replace(article, front_matter=front_matter), copies


def saved_image(page: pathlib.Path, written: str | None) -> tuple[bytes, str] | None:
    """The bytes and suffix of the image file that `written` (an `<img src>` of the saved page at
    `page`) names inside the page's folder, or None: a URL, a path out of the folder, a missing file
    or one that is no image."""
    if not written or urlsplit(written).scheme or written.startswith("/"):
        return None
    folder = page.parent.resolve()
    candidate = (folder / unquote(urlsplit(written).path)).resolve()
    if not candidate.is_relative_to(folder) or not candidate.is_file():
        return None
    data = candidate.read_bytes()
    suffix = image_suffix(data)
    return (data, suffix) if suffix is not None else None


def with_fetched_images(
    article: ImportedArticle, content: pathlib.Path, slug: str, download: Callable[[str], bytes], *, by_content: bool = False
) -> tuple[ImportedArticle, list[CopiedImage], list[str]]:
    """`article` with each image still named by its web address named by a copy downloaded with
    `download` (which raises FetchFailed saying why there is none), the copies to write, and why
    each image that keeps its address does. `by_content` names a copy by a digest of its bytes
    rather than `<slug>-<n>`: when the article's file name is settled only as it is written (a
    bulk import), a name that holds the slug could clash, one that holds the content cannot."""
    images = [dict(image) for image in article.front_matter["images"]]
    copies: list[CopiedImage] = []
    failed: list[str] = []
    for number, image in enumerate(images, start=1):
        url = image["src"]
        if not url or not url.startswith(("http://", "https://")):
            continue
        try:
            data = download(url)
        except FetchFailed as error:
            failed.append(f"image {number} ({url}): {error}")
            continue
        suffix = image_suffix(data)
        if suffix is None:
            failed.append(f"image {number} ({url}): not a PNG, JPEG, GIF or WebP image")
            continue
        name = f"{hashlib.sha256(data).hexdigest()[:16] if by_content else f'{slug}-{number}'}{suffix}"
        copies.append(CopiedImage(content / IMAGES / name, data))
        image["src"] = f"{IMAGES}/{name}"
    return dataclasses.replace(article, front_matter={**article.front_matter, "images": images}), copies, failed


def image_suffix(data: bytes) -> str | None:
    """The file suffix of a PNG, JPEG, GIF or WebP image from its first bytes (what a server calls it
    is not trusted), None for anything else or an image whose header gives no size."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        suffix = ".png"
    elif data.startswith(b"\xff\xd8\xff"):
        suffix = ".jpg"
    elif data.startswith((b"GIF87a", b"GIF89a")):
        suffix = ".gif"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        suffix = ".webp"
    else:
        return None
    width, height = imagesize.get(io.BytesIO(data))
    return suffix if width > 0 and height > 0 else None
