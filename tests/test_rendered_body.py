"""The packed RenderedBody: it gives back exactly the pieces it was made from, pickles as few
objects, and compose_html over it weaves exactly as the reference over plain pieces does."""

from __future__ import annotations

import pickle
from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.markdown.compose import Highlight, TextLink, Weaving, compose_html
from generator.markdown.render import render_body
from generator.records import Piece, RenderedBody

RICH = """# A *heading* & more

Plain text with **bold**, [a link](https://example.org), `code <b>`, an [[entity|label]] and a [[note-y]].
Second line\\
after a hard break, and [[articles/z#Part]] again.

> quoted < text

- one
- two [[w]]

| a | b |
|---|---|
| c | d |

```
fenced <code>
```

Last paragraph.
"""


def rich_body() -> RenderedBody:
    return render_body(RICH, 1, figures_after=(1, None, 0))


def test_text_is_the_text_and_break_pieces_joined():
    body = rich_body()
    assert body.text == "".join(p.value for p in body.pieces if p.kind in ("text", "break"))
    assert {p.kind for p in body.pieces} == {"html", "text", "break", "wikilink", "label", "figure"}
    assert all(p.value == "\n\n" for p in body.pieces if p.kind == "break")


def test_pieces_round_trip_and_pickle():
    body = rich_body()
    assert all(type(p) is Piece for p in body.pieces)
    assert RenderedBody.from_pieces(body.pieces, body.wikilinks, body.headings) == body
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        again = pickle.loads(pickle.dumps(body, protocol=protocol))
        assert again == body and again.pieces == body.pieces and hash(again) == hash(body)
    assert pickle.loads(pickle.dumps(render_body("", 1))) == render_body("", 1)


def test_spans_and_wikilink_places_follow_the_pieces():
    body = rich_body()
    spans, places, offset = [], [], 0
    for piece in body.pieces:
        if piece.kind in ("wikilink", "label"):
            places.append((piece.kind == "label", int(piece.value), offset))
        if piece.kind in ("text", "break"):
            if piece.kind == "text" and piece.plain:
                spans.append((offset, offset + len(piece.value)))
            offset += len(piece.value)
    assert body.plain_spans() == spans
    assert body.wikilink_places() == places and len(places) == 7  # four wikilinks, three without a label


def reference_compose(body: RenderedBody, weaving: Weaving) -> str:
    """compose_html as it was over a tuple of Piece: the semantics the packed loop keeps."""
    out: list[str] = []
    highlights = sorted(weaving.highlights, key=lambda h: (h.start, -h.end, h.note))
    links = sorted(weaving.links, key=lambda link: link.start)
    ids_written: set[str] = set()
    notes_waiting: list[str] = []
    notes_placed: set[str] = set()
    open_links = 0
    offset = 0
    for piece in body.pieces:
        kind = piece.kind
        if kind == "html":
            out.append(piece.value)
            open_links += piece.value.count("<a ") - piece.value.count("</a>")
        elif kind in ("text", "break"):
            end = offset + len(piece.value)
            if kind == "text":
                active = [h for h in highlights if h.start < end and h.end > offset]
                here = [link for link in links if link.start >= offset and link.end <= end]
                out.append(reference_woven(piece.value, offset, active, here, ids_written, open_links > 0))
            for highlight in highlights:  # a highlight's note follows the block the highlight starts in
                if highlight.start < end and highlight.note not in notes_placed:
                    notes_placed.add(highlight.note)
                    notes_waiting.append(highlight.note)
            if kind == "break" and notes_waiting:
                out.append(weaving.notes_html(tuple(notes_waiting)))
                notes_waiting.clear()
            offset = end
        elif kind == "wikilink":
            out.append(f'<a class="wikilink" href="{escape(weaving.wikilink_href(int(piece.value))[0])}">')
            open_links += 1
        elif kind == "label":
            out.append(escape(weaving.wikilink_href(int(piece.value))[1], quote=False))
        elif kind == "figure":
            out.append(weaving.figure_html(int(piece.value)))
    if notes_waiting:
        out.append(weaving.notes_html(tuple(notes_waiting)))
    return "".join(out)


def reference_marker(h, in_link):
    if not h.number:
        return ""
    if in_link:
        return f'<sup class="hl-ref" data-note="{h.note}" data-pagefind-ignore>{h.number}</sup>'
    return f'<a class="hl-ref" href="#margin-{h.note}" data-note="{h.note}" data-pagefind-ignore><span class="visually-hidden">Note </span>{h.number}</a>'


def reference_woven(text, offset, active, here, ids_written, in_link):
    end = offset + len(text)
    if not active and not here:
        return escape(text, quote=False)
    points = sorted({offset, end} | {p for h in active for p in (h.start, h.end) if offset < p < end} | {p for link in here for p in (link.start, link.end)})
    out = []
    for start, stop in zip(points, points[1:]):
        covering = [h for h in active if h.start <= start and h.end >= stop]
        inside_entity_link = any(link.start < start < link.end for link in here)
        out += [reference_marker(h, in_link or inside_entity_link) for h in covering if h.note not in ids_written]
        out += [f'<a class="entity-link" href="{escape(link.href)}" title="{escape(link.title)}">' for link in here if link.start == start]
        for h in covering:
            id_attr = "" if h.note in ids_written else f' id="note-{h.note}"'
            ids_written.add(h.note)
            out.append(f'<mark{id_attr} class="hl" data-note="{h.note}">')
        out.append(escape(text[start - offset : stop - offset], quote=False) + "</mark>" * len(covering))
        out += ["</a>" for link in here if link.end == stop]
    return "".join(out)


LENGTH = len(rich_body().text)
RANGES = st.tuples(st.integers(0, LENGTH), st.integers(0, LENGTH)).map(sorted)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(RANGES, st.sampled_from("abc")), max_size=3, unique_by=lambda highlight: highlight[1]),  # a note has one highlight
    st.lists(st.tuples(RANGES, st.sampled_from(["/e/x/", "/e/<y>/"])), max_size=6),
)
def test_compose_weaves_as_the_reference_does(highlights, links):
    body = rich_body()
    weaving = Weaving(
        wikilink_href=lambda index: (f"/target/{index}?a&b", f"Title <{index}>"),
        highlights=tuple(Highlight(start, end, note, number) for number, ((start, end), note) in enumerate(highlights) if start < end),
        links=tuple(TextLink(start, end, href, "T&") for (start, end), href in links if start < end),
        figure_html=lambda index: f"<figure>{index}</figure>",
        notes_html=lambda notes: f"<aside>{' '.join(notes)}</aside>",
    )
    assert compose_html(body, weaving) == reference_compose(body, weaving)
