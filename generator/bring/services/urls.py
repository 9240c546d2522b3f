"""A plain list of URLs, one a line (`#` starts a comment line): what the failures file of a run holds."""

from __future__ import annotations

from pathlib import Path

from generator.bring.records import Entry
from generator.bring.services.exports import read_text


def read(path: Path) -> list[Entry]:
    entries = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#"):
            entries.append(Entry(url=url, origin=f"{path}:{number}"))
    return entries
