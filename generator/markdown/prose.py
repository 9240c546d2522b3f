"""Shortcuts through markdown-it's rule chains for prose, the text most bodies are made of.

markdown-it tries every block rule in turn at the start of each block, and every inline
rule at each character where its text rule stops. An article body is mostly paragraphs
of plain sentences, so most of those tries fail, one function call each: 1.1 million
block-rule calls, and 90,000 stops at hyphens, colons and hashes, for the 10,500 bodies
of the 5,000-article benchmark. With these shortcuts (and render.py's for paragraph
tags) rendering those bodies takes 1.54 s instead of 1.90 s.

Both shortcuts skip only tries whose failure is certain from a single character, so the
tokens are the ones the full chains make (tests/test_render.py compares the two on
generated Markdown). Each is installed only when the parser's rules are exactly the ones
it was checked against: a plugin added later gets the full chains until it is added here.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import lheading, paragraph
from markdown_it.rules_block.state_block import StateBlock

# The block rules in markdown-it's order, with tables on, as sitegen's parser has them.
KNOWN_BLOCK_RULES = ["table", "code", "fence", "blockquote", "hr", "list", "reference", "html_block", "heading", "lheading", "paragraph"]
# The first character of a line that a rule between "table" and "lheading" can start at:
# fences (` ~), quotes (>), rules (* - _), lists (* - + and digits), references ([),
# HTML (<) and headings (#). Indented code is told by the indent.
BLOCK_STARTS = frozenset("`~>*-_+0123456789[<#")

# The inline rules sitegen's parser runs (no linkify), and the characters where any of them
# can start, or where a link's label ends (`]`, found by skipping tokens up to it).
KNOWN_INLINE_RULES = ["text", "newline", "escape", "backticks", "strikethrough", "emphasis", "wikilink", "link", "image", "autolink", "html_inline", "entity"]
INLINE_STOPS = "\n\\`~*_[]!<&"


def prose_paragraph(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A block rule, placed after "table": a line that opens with a character none of the
    rules before "lheading" starts at is handed to lheading and paragraph at once, as the
    chain would after every rule between had failed on it."""
    if state.sCount[start_line] - state.blkIndent >= 4:  # indented code, or a lazy line: the whole chain decides
        return False
    if state.src[state.bMarks[start_line] + state.tShift[start_line]] in BLOCK_STARTS:
        return False
    return lheading(state, start_line, end_line, silent) or paragraph(state, start_line, end_line, silent)


def use_prose_shortcuts(md: MarkdownIt) -> None:
    """Install the shortcuts that `md`'s rules allow (see the module's docstring)."""
    if md.block.ruler.get_active_rules() == KNOWN_BLOCK_RULES:
        md.block.ruler.after("table", "prose_paragraph", prose_paragraph)
    # markdown-it-py 4.3 keeps the text rule's stop characters on the parser; earlier
    # versions have them fixed, and parse with the full set.
    if md.inline.ruler.get_active_rules() == KNOWN_INLINE_RULES and hasattr(md.inline, "terminator_re"):
        md.inline.terminator_re = re.compile("[" + re.escape(INLINE_STOPS) + "]")
