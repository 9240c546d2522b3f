"""wallabag's JSON export: a list of entries with `title`, `url`, `content` (the article's HTML),
`published_by`, `published_at`, `created_at`, `language`, `tags` and `annotations`.

An annotation (the Annotator format) holds the `quote`, the reader's `text`, and `ranges` giving where the
quote starts and ends in `content` as an XPath below the article (`/p[3]`) and a character offset. The text
just around that place becomes the note's prefix and suffix, which pick the right passage when the same
words occur twice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.etree
import lxml.html

from generator.bring.records import Entry, Highlight
from generator.bring.services.exports import clean_tags, iso_datetime, iso_day, list_at, read_text, text_at
from generator.errors import Problem, SiteError, SourceLoc

WHAT = "a wallabag JSON export"
CONTEXT = 32  # characters of prefix and suffix, as Hypothesis keeps
_RANGE_PATH = re.compile(r"(?:/[a-z][a-z0-9]*\[\d+\])+")  # only plain child steps are evaluated


def read(path: Path) -> list[Entry]:
    loc = SourceLoc(str(path))
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise SiteError.at(loc.at_line(error.lineno), f"not {WHAT}: invalid JSON: {error.msg}") from None
    if not isinstance(data, list):
        raise SiteError.at(loc, f"not {WHAT}: expected a list of entries, found {_kind(data)}")
    entries, problems = [], []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("url"), str) or not item["url"]:
            problems.append(Problem(loc, f"not {WHAT}: entry {number} is {_kind(item)} without a 'url'"))
            continue
        entries.append(_entry(item, f"{path}#{number}"))
    if problems:
        raise SiteError(problems)
    return entries


def _entry(item: dict, origin: str) -> Entry:
    content = text_at(item, "content")
    saved = iso_day(item.get("created_at"))
    authors = list_at(item, "published_by")
    tags = list_at(item, "tags")
    annotations = list_at(item, "annotations")
    return Entry(
        url=item["url"],
        origin=origin,
        tags=clean_tags(tag.get("label", "") if isinstance(tag, dict) else tag for tag in tags if isinstance(tag, (str, dict))),
        saved=saved,
        html=content if content and content.strip() else None,
        title=text_at(item, "title"),
        authors=tuple(author.strip() for author in authors if isinstance(author, str) and author.strip()),
        published=iso_datetime(item.get("published_at")),
        language=text_at(item, "language"),
        highlights=tuple(_highlight(note, content, saved) for note in annotations if isinstance(note, dict) and (note.get("quote") or note.get("text"))),
    )


def _highlight(annotation: dict, content: str | None, saved) -> Highlight:
    quote = annotation.get("quote") if isinstance(annotation.get("quote"), str) and annotation["quote"].strip() else None
    prefix = suffix = None
    ranges = annotation.get("ranges")
    if quote and content and isinstance(ranges, list) and ranges and isinstance(ranges[0], dict):
        prefix, suffix = context(content, ranges[0])
    return Highlight(
        quote=quote,
        note=text_at(annotation, "text") or "",
        created=iso_day(annotation.get("created_at")) or saved,
        prefix=prefix,
        suffix=suffix,
    )


def context(content: str, place: dict) -> tuple[str | None, str | None]:
    """The text just before the range's start and just after its end in `content`; None where the range
    does not lead to an element of it (the page was re-fetched, or the range is malformed)."""
    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return None, None
    before = _text_at(root, place.get("start"), place.get("startOffset"))
    after = _text_at(root, place.get("end"), place.get("endOffset"))
    prefix = _words(before[0][: before[1]].split()[::-1])[::-1] if before else None
    suffix = _words(after[0][after[1] :].split()) if after else None
    return " ".join(prefix or ()) or None, " ".join(suffix or ()) or None


def _words(words: list[str]) -> list[str]:
    """The first words, up to CONTEXT characters (at least one word): context cut inside a word would
    match the article's text less well."""
    taken: list[str] = []
    size = 0
    for word in words:
        if taken and size + 1 + len(word) > CONTEXT:
            break
        taken.append(word)
        size += len(word) + (1 if size else 0)
    return taken


def _text_at(root, path, offset) -> tuple[str, int] | None:
    try:
        offset = int(offset)
    except (TypeError, ValueError):
        return None
    if not isinstance(path, str) or not _RANGE_PATH.fullmatch(path):
        return None
    found = root.xpath("." + path)
    if len(found) != 1:
        return None
    text = found[0].text_content()
    return (text, offset) if 0 <= offset <= len(text) else None


def _kind(value) -> str:
    kinds: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}
    return kinds.get(type(value), type(value).__name__)
