"""What the readers of the services' exports share: reading a file, CSV rows, dates and tags."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from generator.errors import Problem, SiteError, SourceLoc


def read_text(path: Path) -> str:
    loc = SourceLoc(str(path))
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise SiteError.at(loc, "is a folder; name the export file") from None
    except OSError as error:
        raise SiteError.at(loc, f"cannot read: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SiteError.at(loc.at_line(line), f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}") from None


def csv_rows(path: Path, text: str, required: tuple[str, ...], what: str) -> list[tuple[int, dict[str, str]]]:
    """(line, row) for each data row, after checking the header names every `required` column."""
    loc = SourceLoc(str(path))
    reader_ = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in reader_.fieldnames or []]
        missing = [name for name in required if name not in header]
        if missing:
            shown = ",".join(header)[:120] if header else "empty"
            raise SiteError.at(loc.at_line(1), f"not {what}: no column {', '.join(repr(m) for m in missing)} (the header is '{shown}')")
        rows = []
        for row in reader_:
            if None in row:
                raise SiteError.at(loc.at_line(reader_.line_num), f"not {what}: this row has more fields than the header")
            rows.append((reader_.line_num, {key.strip(): (value or "").strip() for key, value in row.items() if key}))
    except csv.Error as error:
        raise SiteError.at(loc.at_line(reader_.line_num), f"not {what}: {error}") from None
    return rows


def unix_day(value: str) -> datetime.date | None:
    """The UTC day of a Unix timestamp (Pocket, Instapaper), or None when there is none."""
    try:
        return datetime.datetime.fromtimestamp(int(float(value)), datetime.UTC).date()
    except (ValueError, OverflowError, OSError):
        return None


def iso_day(value: object) -> datetime.date | None:
    """The day of an ISO 8601 date or datetime ("2024-03-01T10:00:00Z", "2022-11-06 04:33:50+00:00")."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def iso_datetime(value: object) -> str | None:
    """An ISO date or datetime as given, when it parses as one; never a guess."""
    return value.strip() if isinstance(value, str) and iso_day(value) is not None else None


def clean_tags(tags) -> tuple[str, ...]:
    """Tags as the archive keeps them: whitespace collapsed, empty ones dropped, each once."""
    cleaned = (" ".join(str(tag).split()) for tag in tags)
    return tuple(dict.fromkeys(tag for tag in cleaned if tag))


def row_problem(path: Path, line: int, message: str) -> Problem:
    return Problem(SourceLoc(str(path), line), message)


def list_at(item: dict, key: str) -> list:
    """`item[key]` when it is a list, else an empty one: an export may leave out or mistype any field."""
    value = item.get(key)
    return value if isinstance(value, list) else []


def text_at(item: dict, key: str) -> str | None:
    """`item[key]` when it is text, else None."""
    value = item.get(key)
    return value if isinstance(value, str) else None
