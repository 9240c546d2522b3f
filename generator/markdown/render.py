"""The render stage: a Markdown body becomes a RenderedBody (pieces + plain text).

Rendering to pieces instead of one HTML string keeps the text a reader sees apart from
the markup around it. Quotes anchor against that text, and highlights, margin notes,
wikilinks and entity links are woven in later by `compose`, at token level, so they can
cross emphasis, links and paragraphs without ever breaking the HTML.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.markdown.wikilinks import wikilinks_plugin
from generator.records import Heading, Piece, RenderedBody, WikiRef
from generator.slugs import slugify

SAFE_SCHEMES = ("http", "https", "mailto")
# Block ends after which the plain text gets a paragraph break (and margin notes may go).
BLOCK_ENDS = {"paragraph_close", "heading_close", "fence", "code_block", "th_close", "td_close", "html_block"}
FIGURE = "figure"


def is_safe_link(url: str) -> bool:
    """Relative links and http(s)/mailto only: no javascript:, data:, file: or others."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES or (scheme == "" and not url.strip().lower().startswith(("//", "\\\\")))


def heading_slug(title: str) -> str:
    """The id of a heading (before de-duplication); ids starting with note- belong to highlights."""
    base = slugify(title) if title.strip() else "section"
    return "h-" + base if base.startswith("note-") else base


@lru_cache(maxsize=2)
def markdown_parser(allow_html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(wikilinks_plugin)
    md.validateLink = is_safe_link
    return md


def render_body(body: str, body_line: int, *, allow_html: bool = False, figures_after: tuple[int | None, ...] = ()) -> RenderedBody:
    """Render `body` (whose first line is line `body_line` of its file) into pieces.

    `figures_after[i]` is the number of top-level paragraphs before figure i; a figure
    with None, or a number past the end, goes after the last paragraph reached.
    """
    md = markdown_parser(allow_html)
    env: dict = {}
    tokens = md.parse(body, env)
    walker = _Walker(md, env, body_line)
    walker.walk(tokens, figures_after)
    return RenderedBody(
        pieces=tuple(walker.pieces),
        text="".join(walker.text_parts),
        wikilinks=tuple(walker.wikilinks),
        headings=tuple(walker.headings),
    )


class _Walker:
    """Walks markdown-it tokens once, emitting pieces and the plain text in step."""

    def __init__(self, md: MarkdownIt, env: dict, body_line: int) -> None:
        self.md = md
        self.env = env
        self.body_line = body_line
        self.pieces: list[Piece] = []
        self.text_parts: list[str] = []
        self.text_length = 0
        self.wikilinks: list[WikiRef] = []
        self.headings: list[Heading] = []
        self.heading_ids: set[str] = set()

    def html(self, markup: str) -> None:
        if markup:
            self.pieces.append(Piece("html", markup))

    def text(self, text: str, plain: bool) -> None:
        if text:
            self.pieces.append(Piece("text", text, plain))
            self.text_parts.append(text)
            self.text_length += len(text)

    def block_break(self) -> None:
        if self.pieces and self.pieces[-1].kind not in ("break", FIGURE):
            self.pieces.append(Piece("break", "\n\n"))
            self.text_parts.append("\n\n")
            self.text_length += 2

    def figure(self, index: int) -> None:
        self.block_break()
        self.pieces.append(Piece(FIGURE, str(index)))

    def walk(self, tokens: list[Token], figures_after: tuple[int | None, ...]) -> None:
        rules = self.md.renderer.rules
        options = self.md.options
        pending = sorted(range(len(figures_after)), key=lambda i: (figures_after[i] or 0, i))
        paragraphs = 0
        in_heading = False

        def place_figures() -> None:
            while pending and (figures_after[pending[0]] or 0) <= paragraphs:
                self.figure(pending.pop(0))

        place_figures()
        for index, token in enumerate(tokens):
            if token.type == "inline":
                line = self.body_line + (token.map[0] if token.map else 0)
                self.inline(token.children or [], plain=not in_heading, line=line)
                continue
            if token.type == "heading_open":
                in_heading = True
                self.open_heading(token, tokens[index + 1])
            if token.type == "heading_close":
                in_heading = False
            rule = rules.get(token.type)
            self.html(rule(tokens, index, options, self.env) if rule else self.md.renderer.renderToken(tokens, index, options, self.env))
            if token.type in BLOCK_ENDS:
                self.block_break()
            if token.type == "paragraph_close" and token.level == 0:
                paragraphs += 1
                place_figures()
        while pending:
            self.figure(pending.pop(0))

    def open_heading(self, token: Token, inline: Token) -> None:
        title = inline.content.strip()
        base = heading_slug(title)
        heading_id, n = base, 2
        while heading_id in self.heading_ids:
            heading_id, n = f"{base}-{n}", n + 1
        self.heading_ids.add(heading_id)
        token.attrSet("id", heading_id)
        self.headings.append(Heading(int(token.tag[1]), title, heading_id))

    def inline(self, children: list[Token], plain: bool, line: int) -> None:
        rules = self.md.renderer.rules
        options = self.md.options
        in_link = False
        for index, child in enumerate(children):
            kind = child.type
            if kind == "text":
                self.text(child.content, plain and not in_link)
            elif kind == "code_inline":
                self.html(f"<code{self.md.renderer.renderAttrs(child)}>")
                self.text(child.content, False)
                self.html("</code>")
            elif kind == "softbreak":
                self.text("\n", False)
            elif kind == "hardbreak":
                self.html("<br>")
                self.text("\n", False)
            elif kind == "wikilink":
                self.wikilink(child, line)
            else:
                if kind == "link_open":
                    in_link = True
                elif kind == "link_close":
                    in_link = False
                rule = rules.get(kind)
                self.html(rule(children, index, options, self.env) if rule else self.md.renderer.renderToken(children, index, options, self.env))

    def wikilink(self, token: Token, line: int) -> None:
        meta = token.meta
        index = len(self.wikilinks)
        self.wikilinks.append(
            WikiRef(
                target=meta["target"],
                heading=meta["heading"],
                label=meta["label"],
                line=line + meta.get("newlines_before", 0),
                text_offset=self.text_length,
            )
        )
        self.pieces.append(Piece("wikilink", str(index)))
        if meta["label"]:
            self.text(meta["label"], False)
        else:
            self.pieces.append(Piece("label", str(index)))
        self.html("</a>")
