"""Pocket's exports: the CSV (`title,url,time_added,tags,status`, tags joined by `|`) and the older HTML page
of `<a href time_added tags>` links under "Unread" and "Read Archive" (tags joined by `,`).

Pocket kept no article text or highlights in either, so every entry is fetched; its tags and the day it
was saved (`time_added`, a Unix time) come along.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html

from generator.bring.records import Entry
from generator.bring.services.exports import clean_tags, csv_rows, read_text, unix_day
from generator.errors import SiteError, SourceLoc

WHAT = "a Pocket export"


def read(path: Path) -> list[Entry]:
    text = read_text(path)
    if text.lstrip().startswith("<"):
        return _from_html(path, text)
    return [
        Entry(url=row["url"], origin=f"{path}:{line}", tags=clean_tags(row.get("tags", "").split("|")), saved=unix_day(row["time_added"]))
        for line, row in csv_rows(path, text, ("url", "time_added"), f"{WHAT} (CSV)")
    ]


def _from_html(path: Path, text: str) -> list[Entry]:
    try:
        page = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml's ParserError for a page with no elements
        raise SiteError.at(SourceLoc(str(path)), f"not {WHAT}: {error}") from None
    links = page.findall(".//ul/li/a[@href][@time_added]")
    if not links:
        raise SiteError.at(SourceLoc(str(path)), f"not {WHAT}: no <a href=… time_added=…> links in lists")
    return [
        Entry(
            url=(link.get("href") or "").strip(),
            origin=f"{path}:{link.sourceline}",
            tags=clean_tags(link.get("tags", "").split(",")),
            saved=unix_day(link.get("time_added", "")),
        )
        for link in links
    ]
