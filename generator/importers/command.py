"""`sitegen import`: read inputs, import each, and write article files without ever leaving half a file.

Every input is attempted and every failure reported, so importing a folder of saved pages shows all problems
at once; if any input fails, nothing is written, so the command can simply be run again once they are fixed.
A file is written to a temporary name in the target folder and then renamed over the final name, which is
atomic on one filesystem: an interrupted import leaves either no article or a whole one.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import sys
from collections.abc import Callable

from ..bring.fetch import IMAGE_TYPES, fetch, make_pool
from ..bring.known import archived_urls
from ..content.load import slugs_in
from ..content.parse import parse_article
from ..errors import Problem, ProblemLog, SiteError, SourceLoc
from ..records import SourceFile
from ..source_urls import url_key
from ..write import replace_file
from . import article_file_text, import_source
from .detect import check_size
from .saved_images import CopiedImage, with_fetched_images, with_saved_images


def run_import(
    paths: list[str],
    *,
    out_dir: pathlib.Path,
    to_stdout: bool,
    slug: str | None,
    tags: tuple[str, ...],
    source_url: str | None,
    force: bool,
    today: datetime.date,
    fetch_images: bool = False,
) -> list[pathlib.Path]:
    """Import `paths` ("-" is standard input) into `out_dir`, or print them with `to_stdout`; return the files
    written. Raises SiteError with one problem per failing input, after trying them all."""
    if slug is not None and len(paths) > 1:
        raise SiteError.at(SourceLoc(paths[1]), "--slug names one article; import one file at a time with it")
    problems: list[Problem] = []
    planned: dict[pathlib.Path, tuple[str, str]] = {}
    copies: dict[pathlib.Path, tuple[str, CopiedImage]] = {}
    archived = {} if force or to_stdout else archived_urls(out_dir)
    collection = _collection_folder(out_dir)
    existing = slugs_in(collection)
    content = collection.parent if collection.name == "articles" and collection.parent.name == "content" and not to_stdout else None  # where images/ is
    download = _downloader() if fetch_images and content is not None else None
    for path in paths:
        origin = "<stdin>" if path == "-" else path
        try:
            article = import_source(_read(path), origin=origin, today=today, source_url=source_url, tags=tags)
        except SiteError as error:
            problems.extend(error.problems)
            continue
        found = archived.get(url_key(article.front_matter["source_url"] or ""))
        if article.front_matter["source_url"] and found:  # importing a page twice is not an error
            print(f"skipped {origin}: already in the archive as {found}")
            continue
        target = out_dir / f"{slug or article.slug}.md"
        elsewhere = existing.get(target.stem.lower(), target)
        if target in planned:
            problems.append(Problem(SourceLoc(origin), f"same slug as {planned[target][0]}; import it with --slug"))
        elif elsewhere != target and not to_stdout:
            problems.append(Problem(SourceLoc(origin), f"an article with this slug exists already: {elsewhere}; import it with --slug"))
        elif target.exists() and not force and not to_stdout:
            problems.append(Problem(
                SourceLoc(origin), f"{target} already exists; pass --force to replace it or --slug to rename"
            ))
        else:
            if content is not None:
                saved: list[CopiedImage] = []
                if path != "-":
                    article, saved = with_saved_images(article, pathlib.Path(path), content, target.stem)
                if download is not None:
                    article, fetched, failed = with_fetched_images(article, content, target.stem, download)
                    saved += fetched
                    for reason in failed:
                        print(f"warning: {origin}: not fetched, the article keeps its address: {reason}", file=sys.stderr)
                for copy in saved:
                    problem = _image_clash(copy, copies, force)
                    if problem:
                        problems.append(Problem(SourceLoc(origin), problem))
                    copies[copy.target] = (origin, copy)
            planned[target] = (origin, article_file_text(article))
    if problems:
        raise SiteError(problems)
    if to_stdout:
        sys.stdout.write("".join(text for _, text in planned.values()))
        return []
    for target, (origin, copy) in copies.items():  # before the articles that name them
        try:
            replace_file(target, copy.data)
            print(f"copied {target} (the saved page's own copy of an image)")
        except OSError as error:
            problems.append(Problem(SourceLoc(origin), f"cannot write {target}: {error.strerror}"))
    if problems:
        raise SiteError(problems)
    for target, (origin, text) in planned.items():
        try:
            replace_file(target, text.encode("utf-8"))
        except OSError as error:
            problems.append(Problem(SourceLoc(origin), f"cannot write into {out_dir}: {error.strerror}"))
    if problems:
        raise SiteError(problems)
    return list(planned)


def _downloader() -> Callable[[str], bytes]:
    """Image bytes by URL, within the limits bulk imports fetch pages with (bring/fetch.py)."""
    pool = make_pool(1)
    return lambda url: fetch(pool, url, types=IMAGE_TYPES).data


def _image_clash(copy: CopiedImage, copies: dict[pathlib.Path, tuple[str, CopiedImage]], force: bool) -> str | None:
    """Why `copy` cannot be written: another file holds its name (one copied now, or one in
    content/images/ already, unless `--force` or the very same bytes), else None."""
    if copy.target in copies:
        return f"{copy.target} is also the copy of an image of {copies[copy.target][0]}; import it with --slug"
    try:
        there = copy.target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot read {copy.target}: {error.strerror}"
    if there == copy.data or force:
        return None
    return f"{copy.target} already exists; pass --force to replace it or --slug to rename"


def _collection_folder(out_dir: pathlib.Path) -> pathlib.Path:
    """content/articles when `out_dir` is it or one of its subfolders, whose slugs must all differ; else `out_dir`."""
    return next((folder for folder in (out_dir, *out_dir.parents) if folder.name == "articles" and folder.parent.name == "content"), out_dir)


def gaps(path: pathlib.Path) -> list[Problem]:
    """What a written article still lacks: a field the source did not give (an outlet, an author, an
    image's credit) stays empty rather than invented, so the reader is told where. The archive builds
    with these unknown (an uncredited image is left out), and errors, if any, would stop it."""
    log = ProblemLog()
    try:
        article = parse_article(SourceFile(str(path), "articles", path.read_text(encoding="utf-8")), log)
    except SiteError as error:
        return list(error.problems)
    unknown = [] if article is None else [Problem(article.loc.at_line(line), message) for line, message in article.unknown]
    return list(log.errors) + unknown


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        check_size(os.stat(path).st_size, path)
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise SiteError.at(SourceLoc(path), "is a folder; name the article files to import") from None
    except OSError as error:
        raise SiteError.at(SourceLoc(path), f"cannot read: {error.strerror}") from None
