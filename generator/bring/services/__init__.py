"""Readers for the exports of read-later services, one module per service, each `read(path) -> [Entry]`.

An export is machine-written, so a file of the wrong shape (other columns, another JSON layout, a damaged
zip) is the wrong file: it is refused whole, with one line naming it and what is wrong, before anything is
fetched or written. The shared parsing of CSV rows, dates and tags lives in
`exports.py`, which the service modules import (this package imports them).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.bring.records import Entry
from generator.errors import Problem, SiteError


def reader(name: str) -> Callable[[Path], list[Entry]]:
    """The reader of one export file of the format `name` (all but readwise-reader, see read_exports)."""
    from generator.bring.services import instapaper, omnivore, pocket, urls, wallabag

    return {"urls": urls.read, "pocket": pocket.read, "instapaper": instapaper.read, "omnivore": omnivore.read, "wallabag": wallabag.read}[name]


FORMATS = ("urls", "pocket", "instapaper", "omnivore", "wallabag", "readwise-reader")


def read_exports(name: str, paths: list[Path]) -> list[Entry]:
    """The entries of every file, or one SiteError listing every file that is not a `name` export.

    readwise-reader takes its documents file and its highlights file together (the highlights name their
    document only by title), so its reader sees all the paths at once."""
    if name == "readwise-reader":
        from generator.bring.services import readwise

        return readwise.read_all(paths)
    problems: list[Problem] = []
    entries: list[Entry] = []
    for path in paths:
        try:
            entries.extend(reader(name)(path))
        except SiteError as error:
            problems.extend(error.problems)
    if problems:
        raise SiteError(problems)
    return entries
