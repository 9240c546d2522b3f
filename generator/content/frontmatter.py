"""Splitting a content file into its YAML front-matter and its Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.content.yamlsafe import YamlDoc, parse_yaml
from generator.errors import SiteError, SourceLoc

FENCE = "---"


@dataclass(frozen=True, slots=True)
class SplitFile:
    """Front-matter (None when the file has none), the body, and the line the body starts on."""

    meta: YamlDoc | None
    body: str
    body_line: int


def split_front_matter(text: str, loc: SourceLoc) -> SplitFile:
    """Separate `---` fenced YAML from the body; line numbers stay those of the file.

    A fence is a line that is `---` and maybe trailing spaces. Found with one search
    rather than by splitting the file into lines: this runs for every file of a build."""
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != FENCE:
        return SplitFile(None, text, 1)
    closing = _CLOSING_FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        raise SiteError.at(loc.at_line(1), "front-matter opened with '---' is never closed")
    meta = parse_yaml(text[first_end + 1 : max(closing.start() - 1, first_end + 1)], loc.at_line(2))
    if meta.value is not None and not isinstance(meta.value, dict):
        raise SiteError.at(loc.at_line(2), "front-matter must be a mapping of 'key: value' lines")
    body_line = text.count("\n", 0, closing.start()) + 2
    return SplitFile(meta, text[closing.end() + 1 :], body_line)


_CLOSING_FENCE = re.compile(rf"^{FENCE}[^\S\n]*$", re.MULTILINE)  # what str.rstrip() leaves as FENCE
