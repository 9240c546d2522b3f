"""A markdown-it-py plugin for `[[target]]`, `[[target|label]]` and `[[target#heading]]`.

The link's URL is not known while parsing (targets resolve over the whole archive),
so the rule only records the reference; the link stage resolves it and the composer
writes the `<a>`.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

OPEN = "[["
CLOSE = "]]"


def wikilinks_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)


def parse_wikilink(inner: str) -> tuple[str, str | None, str | None]:
    """Split 'target#heading|label' into its parts (heading and label may be None)."""
    target, _, label = inner.partition("|")
    target, _, heading = target.partition("#")
    return target.strip(), (heading.strip() or None), (label.strip() or None)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith(OPEN, start):
        return False
    end = state.src.find(CLOSE, start + 2)
    if end < 0:
        return False
    inner = state.src[start + 2 : end]
    if "\n" in inner or "[" in inner:
        return False
    target, heading, label = parse_wikilink(inner)
    if not target:  # `[[]]`, `[[|label]]`, `[[#heading]]`: no document named, so plain text
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {
            "target": target,
            "heading": heading,
            "label": label,
            "offset": start,  # in the inline text; render.py counts the lines before it, in one pass over the text
        }
        token.content = inner
    state.pos = end + 2
    return True
