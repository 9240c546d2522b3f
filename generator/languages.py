"""Language tags: the one gate every `language` passes, from sitegen.yaml, front matter or an importer.

A language is written into `<html lang>`, feeds and citations, and Pagefind names the index
files of each language after the page's `<html lang>`: `../../evil` wrote them outside the site.
Only a well-formed BCP 47 tag (letters and digits in hyphen-joined subtags) whose subtags the
IANA registry knows, as langcodes reads it, is a language. It is kept as written but in the
case RFC 5646 recommends (`EN-us` is `en-US`, `zh-hant-tw` is `zh-Hant-TW`): subtags are not
replaced by preferred ones, so a tag means what its writer chose.
"""

from __future__ import annotations

import re
from functools import lru_cache

import langcodes

_WELL_FORMED = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*")


@lru_cache(maxsize=256)
def canonical_language(written: str) -> str | None:
    """`written` as a BCP 47 tag in canonical case, or None when it is not a valid tag."""
    tag = written.strip()
    if not _WELL_FORMED.fullmatch(tag) or not langcodes.tag_is_valid(tag):
        return None
    return langcodes.Language.get(tag, normalize=False).to_tag()
