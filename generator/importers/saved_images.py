"""The image files a saved page keeps beside it, copied into the archive with the article.

A browser's "Web page, complete" writes the page and a folder of its files (`Page_files/`),
and points each `<img>` at its copy there. Importing only the page would leave the article
pointing at the outlet's server, or, joined with the page's address, at a file the outlet
never had; the copies are the reader's own, so they go into `content/images/` and the
article names them there: the published archive then keeps working when the outlet deletes
the picture. Only a file inside the saved page's folder is read, and only an image:
a page's markup cannot make the import copy any other file into the archive.
"""

from __future__ import annotations

import dataclasses
import io
import pathlib
from urllib.parse import unquote, urlsplit

import imagesize

from .. import image_files
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
        found = saved_file(page, written)
        if found is None:
            continue
        data = found.read_bytes()
        name = f"{slug}-{number}{found.suffix.lower()}"
        copies.append(CopiedImage(content / IMAGES / name, data))
        image["src"] = f"{IMAGES}/{name}"
    front_matter = {**article.front_matter, "images": images}
    return dataclasses.replace(article, front_matter=front_matter), copies


def saved_file(page: pathlib.Path, written: str | None) -> pathlib.Path | None:
    """The image file that `written` (an `<img src>` of the saved page at `page`) names inside the
    page's folder, or None: a URL, a path out of the folder, a missing file or one that is no image."""
    if not written or urlsplit(written).scheme or written.startswith("/"):
        return None
    folder = page.parent.resolve()
    candidate = (folder / unquote(urlsplit(written).path)).resolve()
    if not candidate.is_relative_to(folder) or not candidate.is_file():
        return None
    if candidate.suffix.lower() not in image_files.SIZED_SUFFIXES:
        return None
    width, height = imagesize.get(io.BytesIO(candidate.read_bytes()))
    return candidate if width > 0 and height > 0 else None
