"""Instapaper's CSV export: `URL,Title,Selection,Folder,Timestamp` (newer ones add `Tags`, a JSON list).

Instapaper exports no article text, so each entry is fetched. A non-empty Selection is the passage the
reader had selected when saving: it becomes a highlight. A folder of the reader's own (not Unread, Archive
or Starred) is how Instapaper grouped articles before it had tags, so it is kept as a tag.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.bring.records import Entry, Highlight
from generator.bring.services.exports import clean_tags, csv_rows, read_text, unix_day

BUILT_IN_FOLDERS = frozenset({"unread", "archive", "starred"})


def read(path: Path) -> list[Entry]:
    entries = []
    for line, row in csv_rows(path, read_text(path), ("URL", "Selection", "Folder", "Timestamp"), "an Instapaper CSV export"):
        saved = unix_day(row["Timestamp"])
        folder = row["Folder"] if row["Folder"].lower() not in BUILT_IN_FOLDERS else ""
        selection = row["Selection"]
        highlights = (Highlight(quote=selection, note="", created=saved),) if selection else ()
        entries.append(Entry(url=row["URL"], origin=f"{path}:{line}", tags=clean_tags([*_tags(row.get("Tags", "")), folder]), saved=saved, highlights=highlights))
    return entries


def _tags(value: str) -> list[str]:
    if value.startswith("["):
        try:
            tags = json.loads(value)
        except json.JSONDecodeError:
            return []
        return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []
    return value.split(",")
