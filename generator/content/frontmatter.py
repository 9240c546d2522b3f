"""Splitting a content file into its YAML front-matter and its Markdown body."""

from __future__ import annotations

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
    """Separate `---` fenced YAML from the body; line numbers stay those of the file."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return SplitFile(None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            yaml_text = "\n".join(lines[1:index])
            meta = parse_yaml(yaml_text, loc.at_line(2))
            if meta.value is not None and not isinstance(meta.value, dict):
                raise SiteError.at(loc.at_line(2), "front-matter must be a mapping of 'key: value' lines")
            body = "\n".join(lines[index + 1 :])
            return SplitFile(meta, body, index + 2)
    raise SiteError.at(loc.at_line(1), "front-matter opened with '---' is never closed")
