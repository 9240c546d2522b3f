"""Weaving highlights, margin notes, wikilinks, entity links and figures into a body's HTML.

Every overlay is a range over RenderedBody.text. Text pieces are split at range
boundaries and each part is wrapped on its own, so a `<mark>` never spans an element
boundary: a highlight across bold, links or paragraphs becomes several marks that
share a `data-note`, the first carrying the `id` that `#note-<slug>` links to.
Overlapping and nested highlights become nested marks; the HTML stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Callable

from generator.records import RenderedBody


@dataclass(frozen=True, slots=True)
class Highlight:
    start: int
    end: int
    note: str


@dataclass(frozen=True, slots=True)
class TextLink:
    """An `<a>` over text inside one text piece (entity auto-links)."""

    start: int
    end: int
    href: str
    title: str


@dataclass(frozen=True, slots=True)
class Weaving:
    """What to weave into one body, and how to render the parts that need the archive."""

    wikilink_href: Callable[[int], tuple[str, str]]  # index -> (href, title)
    highlights: tuple[Highlight, ...] = ()
    links: tuple[TextLink, ...] = ()
    figure_html: Callable[[int], str] = lambda index: ""
    notes_html: Callable[[tuple[str, ...]], str] = lambda notes: ""


def compose_html(body: RenderedBody, weaving: Weaving) -> str:
    out: list[str] = []
    highlights = sorted(weaving.highlights, key=lambda h: (h.start, -h.end, h.note))
    links = sorted(weaving.links, key=lambda link: link.start)
    ids_written: set[str] = set()
    notes_waiting: list[str] = []
    offset = 0
    for piece in body.pieces:
        kind = piece.kind
        if kind == "html":
            out.append(piece.value)
        elif kind == "text" or kind == "break":
            end = offset + len(piece.value)
            if kind == "text":
                out.append(_woven_text(piece.value, offset, highlights, links, ids_written))
            for highlight in highlights:
                if offset < highlight.end <= end and highlight.note not in notes_waiting:
                    notes_waiting.append(highlight.note)
            if kind == "break" and notes_waiting:
                out.append(weaving.notes_html(tuple(notes_waiting)))
                notes_waiting.clear()
            offset = end
        elif kind == "wikilink":
            href, title = weaving.wikilink_href(int(piece.value))
            out.append(f'<a class="wikilink" href="{escape(href)}">')
        elif kind == "label":
            out.append(escape(weaving.wikilink_href(int(piece.value))[1], quote=False))
        elif kind == "figure":
            out.append(weaving.figure_html(int(piece.value)))
    if notes_waiting:
        out.append(weaving.notes_html(tuple(notes_waiting)))
    return "".join(out)


def _woven_text(text: str, offset: int, highlights: list[Highlight], links: list[TextLink], ids_written: set[str]) -> str:
    end = offset + len(text)
    active = [h for h in highlights if h.start < end and h.end > offset]
    here = [link for link in links if link.start >= offset and link.end <= end]
    if not active and not here:
        return escape(text, quote=False)
    cuts = {offset, end}
    for h in active:
        cuts.update(p for p in (h.start, h.end) if offset < p < end)
    for link in here:
        cuts.update((link.start, link.end))
    points = sorted(cuts)
    out: list[str] = []
    for start, stop in zip(points, points[1:]):
        for link in here:
            if link.start == start:
                out.append(f'<a class="entity-link" href="{escape(link.href)}" title="{escape(link.title)}">')
        covering = [h for h in active if h.start <= start and h.end >= stop]
        for h in covering:
            id_attr = ""
            if h.note not in ids_written:
                ids_written.add(h.note)
                id_attr = f' id="note-{h.note}"'
            out.append(f'<mark{id_attr} class="hl" data-note="{h.note}">')
        out.append(escape(text[start - offset : stop - offset], quote=False))
        out.append("</mark>" * len(covering))
        for link in here:
            if link.end == stop:
                out.append("</a>")
    return "".join(out)
