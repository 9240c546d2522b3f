"""Omnivore's export zip: `metadata_<from>_to_<to>.json` (lists of title, author, url, labels, savedAt,
publishedAt, slug), `content/<slug>.html` (the article as Omnivore stored it) and `highlights/<slug>.md`.

A highlights file holds each highlight as a Markdown blockquote (later paragraphs of one quote are
separated by a `> ` line, not a blank one), then optionally a line of `#label`s, then the reader's note;
highlights are separated by blank lines. Text before the first quote is a note on the whole article.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path, PurePosixPath

from generator.bring.records import Entry, Highlight
from generator.bring.services.exports import clean_tags, iso_datetime, iso_day, list_at, text_at
from generator.errors import Problem, SiteError, SourceLoc
from generator.importers.detect import MAX_BYTES

WHAT = "an Omnivore export"
MAX_METADATA_BYTES = 64 * 1024 * 1024
_METADATA = re.compile(r"(?:.*/)?metadata_[^/]*\.json")
_LABELS = re.compile(r"(?:#\S+\s*)+")
_BACKLINK = re.compile(r"\s*\[⤴️?\]\([^)]*\)\s*$")  # some exports end a quote with a link back to Omnivore


def read(path: Path) -> list[Entry]:
    loc = SourceLoc(str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SiteError.at(loc, f"not {WHAT}: not a readable zip file (truncated or damaged?): {_why(error)}") from None
    with archive:
        names = {info.filename: info for info in archive.infolist()}
        metadata = sorted(name for name in names if _METADATA.fullmatch(name))
        if not metadata:
            raise SiteError.at(loc, f"not {WHAT}: no metadata_*.json file in the zip")
        root = str(PurePosixPath(metadata[0]).parent).removeprefix(".")
        prefix = f"{root}/" if root else ""
        entries, problems = [], []
        for name in metadata:
            items = _json(archive, names[name], path)
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise SiteError.at(SourceLoc(f"{path}:{name}"), f"not {WHAT}: expected a list of items, found {type(items).__name__}")
            for number, item in enumerate(items, start=1):
                url, slug = item.get("url"), item.get("slug")
                if not isinstance(url, str) or not url or not isinstance(slug, str):
                    problems.append(Problem(SourceLoc(f"{path}:{name}"), f"item {number}: no 'url' or 'slug'"))
                    continue
                html = _member(archive, names.get(f"{prefix}content/{slug}.html"), path)
                notes = _member(archive, names.get(f"{prefix}highlights/{slug}.md"), path)
                entries.append(_entry(item, url, f"{path}:{name}#{number}", html, notes))
        if problems:
            raise SiteError(problems)
        return entries


def _entry(item: dict, url: str, origin: str, html: str | None, notes: str | None) -> Entry:
    labels = list_at(item, "labels")
    author = item.get("author")
    return Entry(
        url=url,
        origin=origin,
        tags=clean_tags(label for label in labels if isinstance(label, str)),
        saved=iso_day(item.get("savedAt")),
        html=html or None,
        title=text_at(item, "title"),
        authors=(author.strip(),) if isinstance(author, str) and author.strip() else (),
        published=iso_datetime(item.get("publishedAt")),
        highlights=tuple(highlights(notes or "", iso_day(item.get("savedAt")))),
    )


def highlights(text: str, saved) -> list[Highlight]:
    """The highlights of one `highlights/<slug>.md` file, in order."""
    found: list[Highlight] = []
    quote: str | None = None
    labels: list[str] = []
    note: list[str] = []

    def close() -> None:
        if quote is not None or note:
            found.append(Highlight(quote=quote, note="\n\n".join(note), tags=clean_tags(labels), created=saved))

    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()):
        if block.startswith(">"):
            close()
            lines = (line.removeprefix(">").strip() for line in block.splitlines())
            quote, labels, note = _BACKLINK.sub("", " ".join(line for line in lines if line)), [], []
        elif quote is not None and not note and not labels and _LABELS.fullmatch(block.strip()):
            labels = [label.lstrip("#") for label in block.split()]
        elif block.strip():
            note.append(block.strip())
    close()
    return [highlight for highlight in found if highlight.quote or highlight.note]


def _json(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path):
    loc = SourceLoc(f"{path}:{info.filename}")
    if info.file_size > MAX_METADATA_BYTES:
        raise SiteError.at(loc, f"not {WHAT}: {info.file_size // 1048576} MB of metadata")
    try:
        return json.loads(archive.read(info).decode("utf-8-sig"))
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SiteError.at(loc, f"cannot read from the zip (truncated or damaged?): {_why(error)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SiteError.at(loc, f"not {WHAT}: invalid JSON: {_why(error)}") from None


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, path: Path) -> str | None:
    """A content or highlights file as text; None when the export has none for the item."""
    if info is None:
        return None
    loc = SourceLoc(f"{path}:{info.filename}")
    if info.file_size > MAX_BYTES:
        raise SiteError.at(loc, f"{info.file_size / 1048576:.1f} MB, over the {MAX_BYTES // 1048576} MB import limit")
    try:
        return archive.read(info).decode("utf-8-sig")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SiteError.at(loc, f"cannot read from the zip (truncated or damaged?): {_why(error)}") from None
    except UnicodeDecodeError as error:
        raise SiteError.at(loc, f"not UTF-8: byte 0x{error.object[error.start]:02x} at offset {error.start}") from None


def _why(error: BaseException) -> str:
    return str(error) or type(error).__name__
