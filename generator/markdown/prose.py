"""Shortcuts through markdown-it's rule chains for prose, the text most bodies are made of.

markdown-it tries every block rule in turn at the start of each block, and every inline
rule at each character where its text rule stops. An article body is mostly paragraphs
of plain sentences, so most of those tries fail, one function call each: 1.1 million
block-rule calls, and 90,000 stops at hyphens, colons and hashes, for the 10,500 bodies
of the 5,000-article benchmark; and most paragraphs hold no character any inline rule
starts at, yet each got an inline parser's whole set-up. With these shortcuts (and
render.py's for paragraph tags) rendering those bodies takes markedly less time
(benchmarks/README.md).

The shortcuts skip only tries whose failure is certain from a single character, so the
tokens are the ones the full chains make (tests/test_render.py compares the two on
generated Markdown). Each is installed only when the parser's rules are exactly the ones
it was checked against: a plugin added later gets the full chains until it is added here.

Most bodies need no parser at all: a body of one-line paragraphs and headings, with no
character an inline rule starts at but the brackets of wikilinks, is split into its
blocks by `prose_blocks`, and render.py writes their pieces directly, skipping the
parser's set-up and token stream. Only bodies of exactly that shape
qualify; the tests compare what render.py writes from them with the full chains' tokens.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import lheading, paragraph
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from generator.markdown.wikilinks import CLOSE, OPEN, parse_wikilink

# The block rules in markdown-it's order, with tables on, as sitegen's parser has them.
KNOWN_BLOCK_RULES = ["table", "code", "fence", "blockquote", "hr", "list", "reference", "html_block", "heading", "lheading", "paragraph"]
# The first character of a line that a rule between "table" and "lheading" can start at:
# fences (` ~), quotes (>), rules (* - _), lists (* - + and digits), references ([),
# HTML (<) and headings (#). Indented code is told by the indent.
BLOCK_STARTS = frozenset("`~>*-_+0123456789[<#")

# The inline rules sitegen's parser runs (no linkify), and the characters where any of them
# can start, or where a link's label ends (`]`, found by skipping tokens up to it).
KNOWN_INLINE_RULES = ["text", "newline", "escape", "backticks", "strikethrough", "emphasis", "wikilink", "link", "image", "autolink", "html_inline", "entity"]
# What runs after them: pairing the delimiters that only "strikethrough" and "emphasis" make.
KNOWN_PAIRING_RULES = ["balance_pairs", "strikethrough", "emphasis", "fragments_join"]
INLINE_STOPS = "\n\\`~*_[]!<&"
_INLINE_STOP = re.compile("[" + re.escape(INLINE_STOPS) + "]")
# The core rules around them: normalizing is off (render.py does it), no typographer, no linkify.
KNOWN_CORE_RULES = ["block", "inline", "text_join"]
# Looked for one at a time: a substring search runs at memory speed, ten times quicker over
# an article than a regex of them as one character class. Brackets are looked at line by line.
_STOPS_BESIDE_BRACKETS = INLINE_STOPS.replace("\n", "").replace("[", "").replace("]", "")
# A line that opens an ordered list item: up to nine digits, "." or ")", then a space, a tab or its end.
_ORDERED_ITEM = re.compile(r"[0-9]{1,9}[.)](?:[ \t]|$)")
# An ATX heading: one to six "#", one space, and a text without "#" (which could close it).
_HEADING = re.compile(r"(#{1,6}) ([^#]+)")


def prose_paragraph(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A block rule, placed after "table": a line that opens with a character none of the
    rules before "lheading" starts at is handed to lheading and paragraph at once, as the
    chain would after every rule between had failed on it."""
    if state.sCount[start_line] - state.blkIndent >= 4:  # indented code, or a lazy line: the whole chain decides
        return False
    if state.src[state.bMarks[start_line] + state.tShift[start_line]] in BLOCK_STARTS:
        return False
    return lheading(state, start_line, end_line, silent) or paragraph(state, start_line, end_line, silent)


def inline_with_plain_text(state: StateCore) -> None:
    """markdown-it's "inline" core rule, which parses the text of every paragraph, heading
    and table cell; a text holding none of INLINE_STOPS becomes the one text token the
    inline parser would make of it (its text rule takes it whole, no other rule starts
    anywhere in it, and there are no delimiters to pair), without setting the parser up."""
    md = state.md
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if _INLINE_STOP.search(token.content) is None:
                if token.content:
                    text = Token("text", "", 0)
                    text.content = token.content
                    token.children.append(text)
            else:
                md.inline.parse(token.content, md, state.env, token.children)


WikiLinkParts = tuple[str, str | None, str | None]  # target, heading, label (wikilinks.parse_wikilink)


# A paragraph or heading of one line, as `prose_blocks` finds it: its level (0 for a
# paragraph), its line in the body (from 0), its text as written (a heading's title,
# wikilinks included) and, when it has wikilinks, its text before, between and after them
# with their parts, else None. A plain tuple: there is one per paragraph of every article.
ProseBlock = tuple[int, int, str, tuple[str | WikiLinkParts, ...] | None]


def prose_blocks(body: str) -> list[ProseBlock] | None:
    """The blocks of a body that markdown-it would parse into plain paragraphs and headings
    alone, with wikilinks at most; None for any other body.

    An imported article is usually just that: one line per paragraph, blank lines between,
    a few "## " headings, no character any inline rule starts at; a note is often that
    with a few wikilinks. For such a body the rule chains, shortcuts and all, only ever
    end in the paragraph and heading rules, one text token per block or text and wikilink
    tokens, so render.py writes those pieces without parsing (`renders_prose_blocks` says
    when that holds). Anything else is left to the parser: a block of two lines (which a
    table, a setext underline or a lazy line could claim), a line with whitespace at either
    end (indented code, trimmed text), a line opening any other block (BLOCK_STARTS, but for
    digits not followed by "." or ")"), a heading whose text holds "#" or is not one space
    from its marks, a bracket that is not part of a wikilink.
    """
    if any(stop in body for stop in _STOPS_BESIDE_BRACKETS):
        return None
    brackets = "[" in body or "]" in body
    blocks = []
    after_blank = True
    for number, line in enumerate(body.split("\n")):
        if not line:
            after_blank = True
            continue
        if not after_blank or line != line.strip():
            return None
        after_blank = False
        first = line[0]
        if first not in BLOCK_STARTS or (first in "0123456789" and _ORDERED_ITEM.match(line) is None):
            level, text = 0, line
        else:
            heading = _HEADING.fullmatch(line) if first == "#" else None
            if heading is None or heading[2] != heading[2].strip():
                return None
            level, text = len(heading[1]), heading[2]
        pieces = None
        if brackets and ("[" in text or "]" in text):
            pieces = _wikilinked(text)
            if pieces is None:
                return None
        blocks.append((level, number, text, pieces))
    return blocks


def _wikilinked(line: str) -> tuple[str | WikiLinkParts, ...] | None:
    """The line as its text and wikilinks, when the wikilink rule takes every "[[" in it (as
    wikilinks._wikilink_rule decides) and no bracket is left outside them; else None."""
    pieces: list[str | WikiLinkParts] = []
    rest = line
    while (start := rest.find(OPEN)) >= 0:
        end = rest.find(CLOSE, start + 2)
        inner = rest[start + 2 : end]
        if end < 0 or "[" in inner:
            return None
        parts = parse_wikilink(inner)
        if not parts[0]:
            return None
        pieces += (rest[:start], parts)
        rest = rest[end + 2 :]
    pieces.append(rest)
    if any("[" in piece or "]" in piece for piece in pieces if type(piece) is str):
        return None
    return tuple(piece for piece in pieces if piece != "")


def renders_prose_blocks(md: MarkdownIt) -> bool:
    """Whether `md` parses what `prose_blocks` accepts into what it says: all the shortcuts
    installed (so its rules are the known ones), the known core rules, and paragraphs and
    headings rendered by markdown-it's own renderToken."""
    return (
        "prose_paragraph" in md.block.ruler.get_active_rules()
        and md.core.ruler.get_active_rules() == KNOWN_CORE_RULES
        and inline_with_plain_text in md.core.ruler.getRules("")
        and isinstance(md.renderer, RendererHTML)
        and not any(kind in md.renderer.rules for kind in ("paragraph_open", "paragraph_close", "heading_open", "heading_close"))
    )


def use_prose_shortcuts(md: MarkdownIt) -> None:
    """Install the shortcuts that `md`'s rules allow (see the module's docstring)."""
    if md.block.ruler.get_active_rules() == KNOWN_BLOCK_RULES:
        md.block.ruler.after("table", "prose_paragraph", prose_paragraph)
    if md.inline.ruler.get_active_rules() != KNOWN_INLINE_RULES or md.inline.ruler2.get_active_rules() != KNOWN_PAIRING_RULES:
        return
    md.core.ruler.at("inline", inline_with_plain_text)
    # markdown-it-py 4.3 keeps the text rule's stop characters on the parser; earlier
    # versions have them fixed, and parse with the full set.
    if hasattr(md.inline, "terminator_re"):
        md.inline.terminator_re = _INLINE_STOP
