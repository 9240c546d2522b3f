"""Reading other tools' annotation exports: Hypothesis JSON, Readwise CSV, W3C Web Annotations.

Each format becomes the same `ExportedHighlight` records, so matching them to articles and
writing notes (annotations_import.py) does not care where they came from. An export is
machine-written: a file of another shape is refused whole, with one line naming the file
and what is wrong, rather than half-read. Replies and other readers' annotations are
counted and skipped, never imported as the reader's own notes.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.unprintable import UNPRINTABLE
from generator.errors import Problem, SiteError, SourceLoc

# What no page may carry (a note holding one would not build), and C1 controls too: the build
# allows them, as XML does, but no one highlights one. An export may carry them escaped in JSON (`\u000b`).
_UNSAFE = re.compile(f"{UNPRINTABLE.pattern}|[\x80-\x9f]")
MAX_LISTED = 5  # records of another shape named one by one; a file with more is summed up
MAX_SELECTOR_DEPTH = 20  # refinedBy chains deeper than this are not an export anyone wrote


@dataclass(frozen=True, slots=True)
class ExportedHighlight:
    """One annotation as another tool exported it, before it is matched to an article."""

    where: SourceLoc  # the export file, at the record's line when the format has lines
    label: str  # "annotation 3" in a JSON export; "" when `where` has the line
    urls: tuple[str, ...]  # where it was made, most specific first (Hypothesis `uri`, W3C target `source`)
    title: str | None
    quote: str | None
    prefix: str | None
    suffix: str | None
    position: tuple[int, int] | None  # start and end in the annotated text (W3C TextPositionSelector)
    note: str
    tags: tuple[str, ...]
    created: datetime.date | None
    id: str | None


@dataclass(frozen=True, slots=True)
class Export:
    """What an export file holds for this reader, and what was left out on purpose."""

    highlights: tuple[ExportedHighlight, ...]
    replies: int = 0
    others: int = 0  # annotations by other users (a group's export holds everyone's)


class Malformed(Exception):
    """A record that is not shaped as its format says."""


def clean_text(text: str) -> str:
    """`text` without the characters no note may hold, with LF line ends."""
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def read_export(path: Path) -> Export:
    """The highlights of a Hypothesis JSON, Readwise CSV or W3C Web Annotation export, told apart by content."""
    loc = SourceLoc(str(path))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise SiteError.at(loc, f"cannot read the export: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise SiteError.at(loc, f"not UTF-8: byte 0x{error.object[error.start]:02x} at offset {error.start}") from None
    if text.lstrip().startswith(("[", "{")):
        return json_export(_parsed_json(text, loc), loc)
    return Export(tuple(readwise_highlights(text, loc)))


def _parsed_json(text: str, loc: SourceLoc) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SiteError.at(loc.at_line(error.lineno), f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise SiteError.at(loc, "JSON nested too deeply to be an annotation export") from None


def json_export(data: Any, loc: SourceLoc) -> Export:
    """Tell the JSON shapes apart: W3C (typed objects), Hypothesis (API search results, the sidebar's export)."""
    if _is_w3c(data):
        return w3c_export(data, loc)
    if isinstance(data, dict) and isinstance(data.get("annotations"), list):
        user = data.get("export_userid")
        return hypothesis_export(data["annotations"], loc, user if isinstance(user, str) else None)
    if isinstance(data, dict) and "rows" in data:
        return hypothesis_export(data["rows"], loc, None)
    if isinstance(data, list):
        return hypothesis_export(data, loc, None)
    raise SiteError.at(
        loc,
        "not an annotation export: expected Hypothesis JSON ({\"annotations\": [...]}, {\"rows\": [...]} or a list) "
        "or W3C Web Annotations (an Annotation, a list of them or an AnnotationCollection)",
    )


def _is_w3c(data: Any) -> bool:
    """JSON-LD annotations name their type; Hypothesis rows never do."""
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and ("@context" in first or "type" in first)


# --- Hypothesis ------------------------------------------------------------------------


def hypothesis_export(rows: Any, loc: SourceLoc, user: str | None) -> Export:
    """The reader's own top-level annotations; replies and, when the export names its user, other users' are counted apart."""
    if not isinstance(rows, list):
        raise SiteError.at(loc, "not a Hypothesis export: expected a list of annotations or {'rows': [...]}")
    highlights, problems, replies, others = [], [], 0, 0
    for number, row in enumerate(rows, start=1):
        try:
            row = _object(row, "an annotation")
            if _shaped(row.get("references"), list, "'references'", "a list"):
                replies += 1
            elif user is not None and row.get("user") not in (None, user):
                others += 1
            else:
                highlights.append(_hypothesis_highlight(row, loc, f"annotation {number}"))
        except Malformed as malformed:
            problems.append(Problem(loc, f"annotation {number}: {malformed}"))
    if problems:
        raise _refused(problems, len(rows), loc)
    return Export(tuple(highlights), replies, others)


def _hypothesis_highlight(row: dict, loc: SourceLoc, label: str) -> ExportedHighlight:
    quote = prefix = suffix = None
    position = None
    sources = []
    for target in _shaped(row.get("target"), list, "'target'", "a list") or ():
        target = _object(target, "a target")
        source = _shaped(target.get("source"), str, "'source'", "text")
        if source:
            sources.append(source)
        for selector in _shaped(target.get("selector"), list, "'selector'", "a list") or ():
            selector = _object(selector, "a selector")
            if selector.get("type") == "TextQuoteSelector":
                quote, prefix, suffix = (_shaped(selector.get(key), str, f"'{key}'", "text") for key in ("exact", "prefix", "suffix"))
            elif selector.get("type") == "TextPositionSelector":
                position = _position(selector)
    titles = _shaped(_shaped(row.get("document"), dict, "'document'", "an object", {}).get("title"), list, "'title'", "a list") or []
    uri = _shaped(row.get("uri"), str, "'uri'", "text")
    return ExportedHighlight(
        where=loc,
        label=label,
        urls=tuple(dict.fromkeys(([uri] if uri else []) + sources)),
        title=_shaped(titles[0], str, "'title'", "a list of text") if titles else None,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        position=position,
        note=_shaped(row.get("text"), str, "'text'", "text") or "",
        tags=tuple(tag for tag in _shaped(row.get("tags"), list, "'tags'", "a list") or () if _shaped(tag, str, "'tags'", "a list of text") is not None),  # a null in the list is no tag
        created=_day(row.get("created")),
        id=_shaped(row.get("id"), str, "'id'", "text"),
    )


def _refused(problems: list[Problem], records: int, loc: SourceLoc) -> SiteError:
    """The error for records of another shape: when none of several reads, the file is of
    another kind and one line says so; otherwise the first few are named."""
    if len(problems) == records > 1:
        return SiteError.at(loc, f"not an annotation export: none of its {records} records is an annotation ({problems[0].message})")
    if len(problems) > MAX_LISTED:
        problems = problems[:MAX_LISTED] + [Problem(loc, f"... and {len(problems) - MAX_LISTED} more annotations of another shape")]
    return SiteError(problems)


def _shaped(value, kind: type, what: str, described: str, default=None):
    """`value` when it is of `kind` (None gives `default`), else Malformed."""
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Malformed(f"{what} must be {described}, not {type(value).__name__}")
    return value


def _object(value: Any, what: str) -> dict:
    """`value` when it is a JSON object, else Malformed (None included: a record must be there)."""
    if not isinstance(value, dict):
        raise Malformed(f"{what} must be an object, not {type(value).__name__}")
    return value


def _position(selector: dict) -> tuple[int, int] | None:
    start = _shaped(selector.get("start"), int, "'start'", "a whole number")
    end = _shaped(selector.get("end"), int, "'end'", "a whole number")
    return (start, end) if start is not None and end is not None and 0 <= start < end else None


# --- Readwise --------------------------------------------------------------------------

READWISE_COLUMNS = ("Highlight", "Book Title")


def readwise_highlights(text: str, loc: SourceLoc) -> Iterator[ExportedHighlight]:
    """The rows of a Readwise CSV export. It names no URL, so highlights are matched by title
    (a `URL` or `Source URL` column, as some tools add, is used when present)."""
    reader = csv.DictReader(io.StringIO(text))
    highlights = []
    line = 1
    try:
        fields = reader.fieldnames
        missing = [column for column in READWISE_COLUMNS if column not in (fields or ())]
        if missing:
            raise SiteError.at(loc.at_line(1), f"not a Readwise CSV export: no {' or '.join(repr(c) for c in missing)} column")
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            highlights.append(_readwise_highlight(row, loc.at_line(line)))
    except csv.Error as error:
        raise SiteError.at(loc.at_line(line), f"not a readable CSV file: {_csv_reason(error)}") from None  # where the bad row starts
    return iter(highlights)


def _csv_reason(error: csv.Error) -> str:
    reason = str(error)
    if "field larger than field limit" in reason:
        return f"a field runs past {csv.field_size_limit():,} characters (a quote left open?)"
    return reason


def _readwise_highlight(row: dict, where: SourceLoc) -> ExportedHighlight:
    def field(name: str) -> str:
        value = row.get(name)
        return value if isinstance(value, str) else ""  # a short row leaves None; a long one puts a list under None

    return ExportedHighlight(
        where=where,
        label="",
        urls=tuple(url for url in (field("URL"), field("Source URL")) if url),
        title=field("Book Title") or field("Title") or None,
        quote=field("Highlight") or None,
        prefix=None,
        suffix=None,
        position=None,
        note=field("Note"),
        tags=tuple(field("Tags").split(",")),
        created=_day(field("Highlighted at")),
        id=None,
    )


def _day(value) -> datetime.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


# --- W3C Web Annotation ----------------------------------------------------------------


def w3c_export(data: Any, loc: SourceLoc) -> Export:
    """An Annotation, a list of them, or an AnnotationCollection (or AnnotationPage) with embedded pages."""
    highlights, problems, replies, number = [], [], 0, 0
    for number, item in enumerate(_w3c_items(data, loc), start=1):
        try:
            item = _object(item, "an annotation")
            if "Annotation" not in _types(item):
                raise Malformed(f"type must be 'Annotation', not {item.get('type')!r}")
            if "replying" in _strings(item.get("motivation")):
                replies += 1
                continue
            highlights.append(_w3c_highlight(item, loc, f"annotation {number}"))
        except Malformed as malformed:
            problems.append(Problem(loc, f"annotation {number}: {malformed}"))
    if problems:
        raise _refused(problems, number, loc)
    return Export(tuple(highlights), replies)


def _w3c_items(data: Any, loc: SourceLoc) -> list:
    if isinstance(data, list):
        return data
    types = _types(data)
    if "Annotation" in types:
        return [data]
    if "AnnotationCollection" in types:
        page = data.get("first")
        if page is None:
            return []
    elif "AnnotationPage" in types:
        page = data
    else:
        raise SiteError.at(loc, f"not a W3C annotation export: type {data.get('type')!r} is not Annotation, AnnotationCollection or AnnotationPage")
    items: list = []
    seen = 0
    while page is not None:
        if not isinstance(page, dict):
            raise SiteError.at(loc, f"W3C annotation page {seen + 1} is a link ({page!r}), not embedded: save a collection with its pages in it")
        page_items = page.get("items", [])
        if not isinstance(page_items, list):
            raise SiteError.at(loc, f"W3C annotation page {seen + 1}: 'items' must be a list")
        items.extend(page_items)
        seen += 1
        page = page.get("next")
    return items


def _types(item: Any) -> set[str]:
    """The type names of a JSON-LD node, with any `oa:` prefix dropped."""
    if not isinstance(item, dict):
        return set()
    return {name.removeprefix("oa:") for name in _strings(item.get("type", item.get("@type")))}


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def _w3c_highlight(item: dict, loc: SourceLoc, label: str) -> ExportedHighlight:
    notes: list[str] = []
    tags: list[str] = []
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    for body in _listed(item.get("body")):
        if isinstance(body, str):
            continue  # a body that is only an IRI: a linked resource, no text to keep
        body = _object(body, "a body")
        value = body.get("value")
        if not isinstance(value, str) or not ({"TextualBody"} >= _types(body)):
            continue  # not text (an image, a linked resource) or not the text kind sitegen knows
        (tags if "tagging" in _strings(body.get("purpose")) else notes).append(value)
    target = next(iter(_listed(item.get("target"))), None)
    if target is None:
        raise Malformed("no 'target'")
    source = target if isinstance(target, str) else _shaped(_object(target, "a target").get("source"), str, "'source'", "text")
    quote_selector, position = _selectors(target.get("selector") if isinstance(target, dict) else None)
    return ExportedHighlight(
        where=loc,
        label=label,
        urls=(source,) if source else (),
        title=None,
        quote=_shaped(quote_selector.get("exact"), str, "'exact'", "text") if quote_selector else None,
        prefix=_shaped(quote_selector.get("prefix"), str, "'prefix'", "text") if quote_selector else None,
        suffix=_shaped(quote_selector.get("suffix"), str, "'suffix'", "text") if quote_selector else None,
        position=position,
        note="\n\n".join(note.strip() for note in notes if note.strip()),
        tags=tuple(tags),
        created=_day(item.get("created")),
        id=_shaped(item.get("id", item.get("@id")), str, "'id'", "text"),
    )


def _listed(value: Any) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _selectors(selectors: Any) -> tuple[dict | None, tuple[int, int] | None]:
    """The TextQuoteSelector (here or inside a `refinedBy`) and the TextPositionSelector of a target.

    A position inside a refinement counts from the start of what it refines, not of the
    text, so only a top-level one is kept; a refined quote is still the words highlighted.
    """
    quote, position = None, None
    pending = [(selector, 0) for selector in _listed(selectors)]
    while pending:
        selector, depth = pending.pop(0)
        selector = _object(selector, "a selector")
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds and quote is None:
            quote = selector
        elif "TextPositionSelector" in kinds and depth == 0 and position is None:
            position = _position(selector)
        refined = selector.get("refinedBy")
        if refined is not None and depth < MAX_SELECTOR_DEPTH:
            pending.extend((inner, depth + 1) for inner in _listed(refined))
    return quote, position
