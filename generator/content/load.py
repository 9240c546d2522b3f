"""The load stage: the only code that reads the archive's content files."""

from __future__ import annotations

import operator
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from generator.content.published import IGNORED_NAME, is_ignored, unpublished_reason
from generator.content.unprintable import UNPRINTABLE, unprintable_name
from generator.errors import ProblemLog, SiteError, SourceLoc
from generator.records import SourceFile

COLLECTIONS = ("articles", "notes", "entities")
MAX_FILE_BYTES = 5 * 1024 * 1024


def load_content(root: Path) -> tuple[tuple[SourceFile, ...], tuple[tuple[str, bytes], ...]]:
    """The archive's Markdown sources and its other files, with every unreadable file reported together."""
    log = ProblemLog()
    walk = walk_content(root)
    sources = load_sources(root, walk, log)
    assets = load_assets(root, root / "content", log, walk.others)
    log.raise_errors()
    return sources, assets


def load_sources(root: Path, walk: ContentWalk, log: ProblemLog) -> tuple[SourceFile, ...]:
    """Read every `*.md` under content/<collection>/, in collection then path order.

    Paths are project-relative so that messages and records do not depend on where
    the archive lives.
    """
    sources: list[SourceFile] = []
    for collection, rel, _ in walk.markdown:
        try:
            text = read_text(root / rel, root, rel)
        except SiteError as error:
            log.absorb(error)
            continue
        sources.append(SourceFile(rel, collection, text))
    return tuple(sources)


def relative_name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: str | Path, root: Path, rel: str, info: os.stat_result | None = None) -> str:
    """Read one file as UTF-8 text with LF line ends, refusing what could hurt the build.

    `info` is the file's lstat when the caller has it (from the walk of content/): two
    system calls fewer per file, which a large archive feels."""
    loc = SourceLoc(rel)
    try:
        info = info if info is not None else os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if not Path(path).resolve().is_relative_to(root.resolve()):
                raise SiteError.at(loc, "symlink points outside the archive")
            info = os.stat(path)
        if info.st_size > MAX_FILE_BYTES:
            raise SiteError.at(loc, f"file is {info.st_size // 1_000_000} MB; the limit is {MAX_FILE_BYTES // 1_000_000} MB")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise unreadable(loc, error) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SiteError.at(
            loc.at_line(line), f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} (save the file as UTF-8)"
        ) from None
    if "\x00" in text:
        raise SiteError.at(loc.at_line(text.count("\n", 0, text.index("\x00")) + 1), "file contains NUL bytes (binary?)")
    if data.translate(None, _NOT_CONTROL) and (found := _CONTROL.search(text)):  # in UTF-8 these bytes are only ever these characters
        line = text.count("\n", 0, found.start()) + 1
        raise SiteError.at(loc.at_line(line), f"control character U+{ord(found[0]):04X}: remove it (HTML and feeds cannot carry it)")
    if any(pair in data for pair in _NONCHARACTER_BYTES):
        found = UNPRINTABLE.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            raise SiteError.at(loc.at_line(line), f"{unprintable_name(found[0])}: remove it (HTML and feeds cannot carry it)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unreadable(loc: SourceLoc, error: OSError) -> SiteError:
    """A content file that could not be read, at its project-relative path (the system's
    message names the path as it was opened, `./content/...` when building in place)."""
    if isinstance(error, FileNotFoundError):
        return SiteError.at(loc, "file was deleted while the build read it (build again)")
    return SiteError.at(loc, f"cannot read the file: {error.strerror or error}")


# C0 control characters other than tab and line ends, and DEL: XML 1.0 forbids them (a feed
# holding one does not parse) and HTML calls them errors. A byte table finds them far quicker
# than the regex does; the regex then names the first, in the rare file that has one.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))
# Byte pairs that every noncharacter's UTF-8 holds (U+FDD0..U+FDEF start EF B7, the last two of a
# plane end BF BE or BF BF): one search for each skips the regex for nearly every file.
_NONCHARACTER_BYTES = (b"\xef\xb7", b"\xbf\xbe", b"\xbf\xbf")


def load_assets(root: Path, content_dir: Path, log: ProblemLog, files: list[Path]) -> tuple[tuple[str, bytes], ...]:
    """The files under content/ that are published (images, PDF, audio, video; `files`, from
    walk_content, are all its files that are not Markdown), as (site path, bytes).

    Every other file is named in a warning, so that leaving one out is never silent (see
    published.py). Symlinks that lead outside the archive are refused: a content folder must
    never publish files from elsewhere on the machine, nor, through a link, the ignored ones.
    """
    assets = []
    archive_root = content_dir.resolve()
    for path in files:
        rel = relative_name(path, root)
        reason = unpublished_reason(path.name)
        if reason is not None:
            log.warn(SourceLoc(rel), reason)
            continue
        target = path.resolve()
        if not target.is_relative_to(archive_root):
            log.error(SourceLoc(rel), "symlink points outside the archive")
            continue
        if is_ignored(target.relative_to(archive_root).as_posix()):
            log.error(SourceLoc(rel), "symlink points to an ignored file (a hidden one, or an editor's leftover)")
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            log.absorb(unreadable(SourceLoc(rel), error))
            continue
        assets.append((path.relative_to(content_dir).as_posix(), data))
    return tuple(assets)


def slugs_in(folder: Path) -> dict[str, Path]:
    """The Markdown files under `folder` and all its subfolders by slug (in lower case, as duplicate
    slugs are found), the ignored ones left out as the build leaves them out.

    A command adding a file to a collection checks them all: a slug taken in another subfolder
    would fail the next build as a duplicate."""
    found: dict[str, Path] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            if path.is_file() and not is_ignored(path.relative_to(folder).as_posix()):
                found.setdefault(path.stem.lower(), path)
    return found


class ContentWalk(NamedTuple):
    """content/ walked once: Markdown files by collection, with their lstat, and all other files,
    leaving out the ignored ones (published.is_ignored)."""

    markdown: list[tuple[str, str, os.stat_result]]  # (collection, project-relative path, lstat), in path order
    others: list[Path]  # sorted


def walk_content(root: Path) -> ContentWalk:
    """One pass over content/ with os.scandir: on a large archive, far cheaper than a glob per kind of file.

    Each folder's entries are sorted by name as they are listed and folders are walked
    where they sort, which gives the order of _sorted_walk without sorting 10,000 paths
    by their parts. Paths stay strings until needed: making 10,000 Path objects costs more
    than the walk.
    """
    by_collection: dict[str, list[tuple[str, str, os.stat_result]]] = {collection: [] for collection in COLLECTIONS}
    others: list[Path] = []
    ignored = IGNORED_NAME.match

    def walk(folder: str, collection: str | None) -> None:
        """`collection`: the one the folder is in, None outside content/<collection>/."""
        with os.scandir(root / folder) as listing:
            entries = sorted(listing, key=_name)
        markdown = by_collection[collection] if collection is not None else None
        for entry in entries:
            name = entry.name
            if ignored(name):
                continue
            if entry.is_dir(follow_symlinks=False):  # a linked folder is never walked into
                walk(f"{folder}/{name}", collection if folder != "content" else name if name in by_collection else None)
            elif name.endswith(".md") and markdown is not None and collection is not None:
                if entry.is_file():
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except FileNotFoundError:  # deleted since the folder was listed: not part of this build
                        continue
                    markdown.append((collection, f"{folder}/{name}", info))
            elif entry.is_file():  # Markdown outside the collections too: load_assets names it in a warning
                others.append(root / f"{folder}/{name}")

    if (root / "content").is_dir():
        walk("content", None)
    return ContentWalk([item for collection in COLLECTIONS for item in by_collection[collection]], others)


_name = operator.attrgetter("name")


def _sorted_walk(markdown: list[tuple[str, str, os.stat_result]], others: list[Path]) -> ContentWalk:
    markdown.sort(key=lambda item: (COLLECTIONS.index(item[0]), item[1].split("/")))
    others.sort()
    return ContentWalk(markdown, others)


def walk_changes(root: Path, last: ContentWalk, changed: set[str]) -> ContentWalk | None:
    """content/ as `last` walked it, with the files in `changed` (project-relative paths a
    file watcher reported since) looked at again; None when a folder changed (walk again).

    On a large archive this spares `serve` the walk of every file after every edit.
    """
    markdown = {rel: (collection, rel, info) for collection, rel, info in last.markdown}
    others = {path.relative_to(root).as_posix(): path for path in last.others}
    for rel in changed:
        if not rel.startswith("content/") or is_ignored(rel):
            continue
        if rel.endswith("/"):
            return None
        try:
            info = os.lstat(root / rel)
        except FileNotFoundError:
            info = None
        except OSError:
            return None
        if info is not None and stat.S_ISDIR(info.st_mode):
            return None
        markdown.pop(rel, None)
        others.pop(rel, None)
        if info is None:
            if any(known.startswith(rel + "/") for known in (*markdown, *others)):
                return None  # a folder was removed
            continue
        if not (root / rel).is_file():  # as walk_content: a link to a file counts, a link to a folder does not
            continue
        collection = rel.split("/", 2)[1] if rel.count("/") >= 2 else ""
        if rel.endswith(".md") and collection in COLLECTIONS:
            markdown[rel] = (collection, rel, info)
        else:
            others[rel] = root / rel
    return _sorted_walk(list(markdown.values()), list(others.values()))
