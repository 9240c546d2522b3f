"""Weaving highlights, margin notes, wikilinks, entity links and figures into a body's HTML.

Every overlay is a range over RenderedBody.text. Text pieces are split at range
boundaries and each part is wrapped on its own, so a `<mark>` never spans an element
boundary: a highlight across bold, links or paragraphs becomes several marks that
share a `data-note`, the first carrying the `id` that `#note-<slug>` links to.
Overlapping and nested highlights become nested marks; the HTML stays valid.

A numbered highlight gets a marker at its start, a link to its margin note
(`#margin-<slug>`) carrying the note's number, so the reader sees which note belongs to
which passage. A link may not hold a link: where the highlight starts inside one, the
marker is the number alone. A highlight's margin notes follow the block its highlight
starts in, so on a narrow screen the note comes right after the passage it is about.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from generator.records import (
    BREAK,
    FIGURE,
    HTML,
    LABEL,
    TEXT,
    TEXT_NOT_PLAIN,
    WIKILINK,
    RenderedBody,
    TextLink,
)


@dataclass(frozen=True, slots=True)
class Highlight:
    start: int
    end: int
    note: str
    number: int = 0  # the number its marker and margin note carry; 0: no marker


@dataclass(frozen=True, slots=True)
class Weaving:
    """What to weave into one body, and how to render the parts that need the archive."""

    wikilink_href: Callable[[int], tuple[str, str]]  # index -> (href, title)
    highlights: tuple[Highlight, ...] = ()
    links: tuple[TextLink, ...] = ()
    figure_html: Callable[[int], str] = lambda index: ""
    notes_html: Callable[[tuple[str, ...]], str] = lambda notes: ""


def compose_html(body: RenderedBody, weaving: Weaving) -> str:
    """The body's HTML with `weaving` woven in.

    This runs for every page, so it reads the packed pieces directly: html pieces in a
    row are one slice of `body.markup`; a text piece that no highlight or link touches
    (the links are sorted, so one cursor finds them) is only escaped, and one with entity
    links but no highlight is written in one pass (`_linked_text`). A text without `&`,
    `<` or `>` (most articles') is looked at once, not escaped piece by piece.
    """
    out: list[str] = []
    append = out.append
    text, markup = body.text, body.markup
    escape_text = _escape_text if "&" in text or "<" in text or ">" in text else _as_is
    highlights = sorted(weaving.highlights, key=lambda h: (h.start, -h.end, h.note))
    links = sorted(weaving.links, key=lambda link: link.start)
    link_count = len(links)
    next_link = 0  # links before it start before the current piece: they are in no later piece
    ids_written: set[str] = set()
    notes_waiting: list[str] = []
    next_note = 0  # highlights before it start before the current piece: their notes are placed
    link_depth = 0  # how many links the markup written so far leaves open
    offset = 0  # in text
    markup_start = markup_end = 0  # the html pieces not yet written: markup[markup_start:markup_end]
    for code, size in zip(body.kinds, body.sizes_view()):
        if code == HTML:
            markup_end += size
            continue
        if markup_start != markup_end:
            html = markup[markup_start:markup_end]
            if highlights:
                link_depth += html.count("<a ") - html.count("</a>")
            append(html)
            markup_start = markup_end
        if code == TEXT or code == TEXT_NOT_PLAIN or code == BREAK:
            end = offset + size
            if code != BREAK:
                while next_link < link_count and links[next_link].start < offset:
                    next_link += 1
                here = []
                later = next_link
                while later < link_count and links[later].start <= end:
                    if links[later].end <= end:
                        here.append(links[later])
                    later += 1
                active = [h for h in highlights if h.start < end and h.end > offset] if highlights else ()
                if active or here:
                    append(_woven_text(text[offset:end], offset, active, here, ids_written, escape_text, link_depth > 0))
                else:
                    append(escape_text(text[offset:end]))
            while next_note < len(highlights) and highlights[next_note].start < end:
                if highlights[next_note].note not in notes_waiting:
                    notes_waiting.append(highlights[next_note].note)
                next_note += 1
            if code == BREAK and notes_waiting:
                append(weaving.notes_html(tuple(notes_waiting)))
                notes_waiting.clear()
            offset = end
        elif code == WIKILINK:
            append(f'<a class="wikilink" href="{escape(weaving.wikilink_href(size)[0])}">')
            link_depth += 1
        elif code == LABEL:
            append(_escape_text(weaving.wikilink_href(size)[1]))
        elif code == FIGURE:
            append(weaving.figure_html(size))
    if markup_start != markup_end:
        append(markup[markup_start:markup_end])
    if notes_waiting:
        append(weaving.notes_html(tuple(notes_waiting)))
    return "".join(out)


def marked_text(text: str, highlights: tuple[Highlight, ...]) -> str:
    """`text` escaped, with its `highlights` (ranges over `text` itself) wrapped in marks as
    a body's are: a caption quoted by a note is marked like the article's text."""
    return _woven_text(text, 0, [h for h in highlights if h.start < len(text) and h.end > 0], [], set(), _escape_text)


def figure_offsets(body: RenderedBody) -> dict[int, int]:
    """Where each figure stands in `body.text`, by image index: a highlight in its caption is
    numbered with the highlights around it."""
    offsets: dict[int, int] = {}
    offset = 0
    for code, size in zip(body.kinds, body.sizes_view()):
        if code == TEXT or code == TEXT_NOT_PLAIN or code == BREAK:
            offset += size
        elif code == FIGURE:
            offsets[size] = offset
    return offsets


def _escape_text(text: str) -> str:
    return escape(text, quote=False)


def _as_is(text: str) -> str:
    return text


@functools.lru_cache(maxsize=4096)
def _link_open(href: str, title: str) -> str:
    """An entity link's opening tag: the same few hundred entities are linked on every page."""
    return f'<a class="entity-link" href="{escape(href)}" title="{escape(title)}">'


def _marker(highlight: Highlight, in_link: bool) -> str:
    """The number at a highlight's start: a link to its margin note, or the number alone inside a link."""
    if not highlight.number:
        return ""
    if in_link:
        return f'<sup class="hl-ref" data-note="{highlight.note}" data-pagefind-ignore>{highlight.number}</sup>'
    return (
        f'<a class="hl-ref" href="#margin-{highlight.note}" data-note="{highlight.note}" data-pagefind-ignore>'
        f'<span class="visually-hidden">Note </span>{highlight.number}</a>'
    )


def _woven_text(
    text: str,
    offset: int,
    active: Sequence[Highlight],
    here: list[TextLink],
    ids_written: set[str],
    escape_text: Callable[[str], str],
    in_link: bool = False,
) -> str:
    """`text` (at `offset` in the body's text) with the highlights that overlap it and the
    links inside it; `escape_text` is what the text's pieces need (_escape_text or _as_is);
    `in_link`: whether the text is inside a link of the markup around it."""
    if not active and _apart(here):
        return _linked_text(text, offset, here, escape_text)
    end = offset + len(text)
    cuts = {offset, end}
    for h in active:
        cuts.update(p for p in (h.start, h.end) if offset < p < end)
    for link in here:
        cuts.update((link.start, link.end))
    points = sorted(cuts)
    out: list[str] = []
    in_entity_link = False
    for start, stop in zip(points, points[1:]):
        covering = [h for h in active if h.start <= start and h.end >= stop]
        starting = [h for h in covering if h.note not in ids_written]
        for h in starting:  # a highlight's first mark: its start, or where its text begins after a break
            out.append(_marker(h, in_link or in_entity_link))
        for link in here:
            if link.start == start:
                out.append(_link_open(link.href, link.title))
                in_entity_link = True
        for h in covering:
            id_attr = ""
            if h.note not in ids_written:
                ids_written.add(h.note)
                id_attr = f' id="note-{h.note}"'
            out.append(f'<mark{id_attr} class="hl" data-note="{h.note}">')
        out.append(escape_text(text[start - offset : stop - offset]))
        out.append("</mark>" * len(covering))
        for link in here:
            if link.end == stop:
                out.append("</a>")
                in_entity_link = False
    return "".join(out)


def _apart(links: list[TextLink]) -> bool:
    """Whether no two links overlap and none is empty (entity links never do; a general cut then gives the same)."""
    previous_end = 0
    for link in links:
        if link.start < previous_end or link.start >= link.end:
            return False
        previous_end = link.end
    return True


def _linked_text(text: str, offset: int, links: list[TextLink], escape_text: Callable[[str], str]) -> str:
    """`text` with links that are `_apart` and no highlight: what the general cut gives, in one pass."""
    out: list[str] = []
    position = offset
    for link in links:
        out += (
            escape_text(text[position - offset : link.start - offset]),
            _link_open(link.href, link.title),
            escape_text(text[link.start - offset : link.end - offset]),
            "</a>",
        )
        position = link.end
    out.append(escape_text(text[position - offset :]))
    return "".join(out)
