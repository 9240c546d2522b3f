"""The render stage: a Markdown body becomes a RenderedBody (pieces + plain text).

Rendering to pieces instead of one HTML string keeps the text a reader sees apart from
the markup around it. Quotes anchor against that text, and highlights, margin notes,
wikilinks and entity links are woven in later by `compose`, at token level, so they can
cross emphasis, links and paragraphs without ever breaking the HTML.
"""

from __future__ import annotations

from array import array
from functools import lru_cache
from typing import cast
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from generator.markdown.prose import ProseBlock, prose_blocks, renders_prose_blocks, use_prose_shortcuts
from generator.markdown.wikilinks import wikilinks_plugin
from generator.records import (
    BREAK,
    FIGURE,
    HTML,
    LABEL,
    NO_RESERVED_IDS,
    SIZE_FORMAT,
    TEXT,
    TEXT_NOT_PLAIN,
    WIKILINK,
    Heading,
    RenderedBody,
    ReservedIds,
    WikiRef,
)
from generator.slugs import slugify

SAFE_SCHEMES = ("http", "https", "mailto")
# The kinds of the pieces of a plain paragraph and of a heading, as walk_prose adds them.
PARAGRAPH_PIECES = HTML + TEXT + HTML + BREAK
HEADING_PIECES = HTML + TEXT_NOT_PLAIN + HTML + BREAK
# Block ends after which the plain text gets a paragraph break (and margin notes may go).
BLOCK_ENDS = {"paragraph_close", "heading_close", "fence", "code_block", "th_close", "td_close", "html_block"}


def is_safe_link(url: str) -> bool:
    """Relative links and http(s)/mailto only: no javascript:, data:, file: or others."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES or (scheme == "" and not url.strip().lower().startswith(("//", "\\\\")))


# The start of the ids of highlights (compose.py): `note-<slug>`, whatever the theme.
HIGHLIGHT_IDS = ReservedIds(prefixes=("note-",))


def heading_slug(title: str, reserved: ReservedIds = NO_RESERVED_IDS) -> str:
    """The id of a heading (before de-duplication): the slug of its title, with `h-` before
    it when the page could have an element of that id already (a highlight's `note-...`, or
    one of the theme's own, `reserved`), so that every id on a page is one element's."""
    base = slugify(title) if title.strip() else "section"
    return "h-" + base if HIGHLIGHT_IDS.clash(base) or reserved.clash(base) else base


@lru_cache(maxsize=2)
def markdown_parser(allow_html: bool) -> MarkdownIt:
    md = full_chain_parser(allow_html)
    use_prose_shortcuts(md)
    return md


def full_chain_parser(allow_html: bool) -> MarkdownIt:
    """sitegen's Markdown parser without the shortcuts for prose (prose.py), which must not
    change what it makes: the tests compare the two."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable("normalize")  # render_body normalizes only text that needs it (see _normalized)
    md.use(wikilinks_plugin)
    md.validateLink = is_safe_link  # type: ignore[method-assign]  # markdown-it-py's documented way to choose which links are kept
    return md


def _normalized(text: str) -> str:
    """What markdown-it's `normalize` rule makes of `text`: CR LF and CR become LF, NUL becomes
    U+FFFD. That rule substitutes every line end with a regex; content files come with LF line
    ends and without NUL already (`read_text`), so here the text is scanned, and copied only
    when it needs it."""
    if "\r" in text or "\x00" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return text


def render_body(
    body: str, body_line: int, *, allow_html: bool = False, figures_after: tuple[int | None, ...] = (), reserved: ReservedIds = NO_RESERVED_IDS
) -> RenderedBody:
    """Render `body` (whose first line is line `body_line` of its file) into pieces; its
    headings' ids are none of the `reserved` ones (the theme's, theme.theme_ids).

    `figures_after[i]` is the number of top-level paragraphs before figure i; a figure
    with None goes before the first (a lead image), one with a number past the end after
    the last paragraph reached. A body of plain paragraphs and headings alone (most
    articles and notes) is not parsed: its pieces are written from its lines (prose.prose_blocks).
    """
    md = markdown_parser(allow_html)
    env: dict = {}
    body = _normalized(body)
    walker = _Walker(md, env, body_line, reserved)
    blocks = prose_blocks(body) if _renders_prose_blocks(md) else None
    if blocks is not None:
        walker.walk_prose(blocks, figures_after)
    else:
        walker.walk(md.parse(body, env), figures_after)
    return RenderedBody(
        kinds="".join(walker.kinds),
        sizes=walker.sizes.tobytes(),
        markup="".join(walker.markup_parts),
        text="".join(walker.text_parts),
        wikilinks=tuple(walker.wikilinks),
        headings=tuple(walker.headings),
    )


_renders_prose_blocks = lru_cache(maxsize=4)(renders_prose_blocks)  # per parser: its rules are set once, when it is made


def _plain_paragraph_tag(tokens: list[Token], index: int) -> str | None:
    """What markdown-it's renderToken writes for a paragraph tag in the usual case, without
    its general path (two of them per paragraph): `<p>` when shown, without attributes,
    followed by its text and not after a hidden tag; `</p>` and a line end when shown and
    without attributes. None for any other token."""
    token = tokens[index]
    if token.hidden or token.attrs:
        return None
    if token.type == "paragraph_close":
        return "</p>\n"
    if token.type == "paragraph_open" and tokens[index + 1].type == "inline" and not (index and tokens[index - 1].hidden):
        return "<p>"
    return None


class _Walker:
    """Walks markdown-it tokens once, emitting pieces (packed as RenderedBody keeps them) and the plain text in step."""

    def __init__(self, md: MarkdownIt, env: dict, body_line: int, reserved: ReservedIds) -> None:
        self.md = md
        self.renderer = cast(RendererHTML, md.renderer)  # markdown-it types it as a protocol; sitegen keeps the HTML one
        self.env = env
        self.body_line = body_line
        self.reserved = reserved
        self.kinds: list[str] = []  # one code per piece, see RenderedBody
        self.sizes = array(SIZE_FORMAT)
        self.markup_parts: list[str] = []
        self.text_parts: list[str] = []
        self.text_length = 0
        self.wikilinks: list[WikiRef] = []
        self.headings: list[Heading] = []
        self.heading_ids: set[str] = set(reserved.ids)  # a numbered duplicate (`x-2`) must not take one either
        self.next_number: dict[str, int] = {}  # base id -> the number its next duplicate tries first

    def html(self, markup: str) -> None:
        if markup:
            self.kinds.append(HTML)
            self.sizes.append(len(markup))
            self.markup_parts.append(markup)

    def text(self, text: str, plain: bool) -> None:
        if text:
            self.kinds.append(TEXT if plain else TEXT_NOT_PLAIN)
            self.sizes.append(len(text))
            self.text_parts.append(text)
            self.text_length += len(text)

    def block_break(self) -> None:
        if self.kinds and self.kinds[-1] not in (BREAK, FIGURE):
            self.kinds.append(BREAK)
            self.sizes.append(2)
            self.text_parts.append("\n\n")
            self.text_length += 2

    def figure(self, index: int) -> None:
        self.block_break()
        self.kinds.append(FIGURE)
        self.sizes.append(index)

    def walk(self, tokens: list[Token], figures_after: tuple[int | None, ...]) -> None:
        rules = self.renderer.rules
        options = self.md.options
        figures = _Figures(self, figures_after)
        in_heading = False
        for index, token in enumerate(tokens):
            if token.type == "inline":
                line = self.body_line + (token.map[0] if token.map else 0)
                self.inline(token.children or [], plain=not in_heading, line=line, source=token.content)
                continue
            if token.type == "heading_open":
                in_heading = True
                self.open_heading(token, tokens[index + 1])
            if token.type == "heading_close":
                in_heading = False
            markup = _plain_paragraph_tag(tokens, index)
            if markup is None:
                rule = rules.get(token.type)
                markup = rule(tokens, index, options, self.env) if rule else self.renderer.renderToken(tokens, index, options, self.env)
            self.html(markup)
            if token.type in BLOCK_ENDS:
                self.block_break()
            if token.type == "paragraph_close" and token.level == 0:
                figures.after_paragraph()
        figures.place_rest()

    def walk_prose(self, blocks: list[ProseBlock], figures_after: tuple[int | None, ...]) -> None:
        """The pieces `walk` makes of the tokens of a body of `prose_blocks`: a block without
        wikilinks adds its four pieces (html, text, html, break) together."""
        figures = _Figures(self, figures_after)
        for level, number, line, pieces in blocks:
            if level:
                opening = f'<h{level} id="{escapeHtml(self.heading_id(level, line))}">'
                closing = f"</h{level}>\n"
            else:
                opening, closing = "<p>", "</p>\n"
            if pieces is not None:
                self.html(opening)
                for piece in pieces:
                    if isinstance(piece, str):
                        self.text(piece, not level)
                    else:
                        self.wikilink(*piece, line=self.body_line + number)
                self.html(closing)
                self.block_break()
            else:
                self.kinds.extend(HEADING_PIECES if level else PARAGRAPH_PIECES)
                self.sizes.extend((len(opening), len(line), len(closing), 2))
                self.markup_parts.extend((opening, closing))
                self.text_parts.extend((line, "\n\n"))
                self.text_length += len(line) + 2
            if not level and figures.pending:  # none waiting (most bodies): the count no longer matters
                figures.after_paragraph()
        figures.place_rest()

    def open_heading(self, token: Token, inline: Token) -> None:
        token.attrSet("id", self.heading_id(int(token.tag[1]), inline.content.strip()))

    def heading_id(self, level: int, title: str) -> str:
        """The id of the next heading, unique in the body; the heading is recorded."""
        base = heading_slug(title, self.reserved)
        heading_id, n = base, self.next_number.get(base, 2)
        while heading_id in self.heading_ids:
            heading_id, n = f"{base}-{n}", n + 1
        self.next_number[base] = n
        self.heading_ids.add(heading_id)
        self.headings.append(Heading(level, title, heading_id))
        return heading_id

    def inline(self, children: list[Token], plain: bool, line: int, source: str) -> None:
        """The pieces of one inline token's `children`; `source` is its text, which starts at `line`."""
        rules = self.renderer.rules
        options = self.md.options
        in_link = False
        counted = 0  # source[:counted] holds line - (the first line) line ends: wikilinks come in order
        for index, child in enumerate(children):
            kind = child.type
            if kind == "text":
                self.text(child.content, plain and not in_link)
            elif kind == "code_inline":
                self.html(f"<code{self.renderer.renderAttrs(child)}>")
                self.text(child.content, False)
                self.html("</code>")
            elif kind == "softbreak":
                self.text("\n", False)
            elif kind == "hardbreak":
                self.html("<br>")
                self.text("\n", False)
            elif kind == "wikilink":
                meta = child.meta
                line += source.count("\n", counted, meta["offset"])
                counted = meta["offset"]
                self.wikilink(meta["target"], meta["heading"], meta["label"], line)
            else:
                if kind == "link_open":
                    in_link = True
                elif kind == "link_close":
                    in_link = False
                rule = rules.get(kind)
                self.html(rule(children, index, options, self.env) if rule else self.renderer.renderToken(children, index, options, self.env))

    def wikilink(self, target: str, heading: str | None, label: str | None, line: int) -> None:
        index = len(self.wikilinks)
        self.wikilinks.append(WikiRef(target=target, heading=heading, label=label, line=line, text_offset=self.text_length))
        self.kinds.append(WIKILINK)
        self.sizes.append(index)
        if label:
            self.text(label, False)
        else:
            self.kinds.append(LABEL)
            self.sizes.append(index)
        self.html("</a>")


class _Figures:
    """Figures waiting for their place in a body: figure i after `figures_after[i]` top-level
    paragraphs (None: before the first), in order; those left go at the end."""

    def __init__(self, walker: _Walker, figures_after: tuple[int | None, ...]) -> None:
        self.walker = walker
        self.after = [after or 0 for after in figures_after]
        self.pending = sorted(range(len(figures_after)), key=lambda i: (self.after[i], i))
        self.paragraphs = 0
        self.place()

    def place(self) -> None:
        while self.pending and self.after[self.pending[0]] <= self.paragraphs:
            self.walker.figure(self.pending.pop(0))

    def after_paragraph(self) -> None:
        self.paragraphs += 1
        self.place()

    def place_rest(self) -> None:
        while self.pending:
            self.walker.figure(self.pending.pop(0))
