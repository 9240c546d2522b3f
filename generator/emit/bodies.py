"""Composing each document's body HTML: highlights, margin notes, links and figures woven in."""

from __future__ import annotations

import jinja2

from generator.anchor import NONE, ORPHAN
from generator.graph import LinkGraph
from generator.markdown.compose import Highlight, Weaving, compose_html
from generator.records import Anchor, Archive, RenderedBody

DocKey = tuple[str, str]


def compose_bodies(
    archive: Archive,
    bodies: dict[DocKey, RenderedBody],
    anchors: dict[str, Anchor],
    graph: LinkGraph,
    env: jinja2.Environment,
) -> dict[DocKey, str]:
    """The final body HTML of every document. Notes first: articles show them in the margin."""
    html: dict[DocKey, str] = {}
    for kind, records in (("note", archive.notes), ("entity", archive.entities)):
        for record in records:
            key = (kind, record.slug)
            html[key] = compose_html(bodies[key], Weaving(wikilink_href=graph.wikilinks[key].__getitem__))
    figure_template = env.get_template("partials/figure.html")
    margin_template = env.get_template("partials/margin_notes.html")
    notes_by_slug = {n.slug: n for n in archive.notes}
    for article in archive.articles:
        key = ("article", article.slug)
        highlights = tuple(
            Highlight(anchors[slug].start, anchors[slug].end, slug)
            for slug in graph.notes_by_article.get(article.slug, ())
            if anchors[slug].tier not in (NONE, ORPHAN)
        )
        numbers = {h.note: i for i, h in enumerate(sorted(highlights, key=lambda h: (h.start, h.note)), start=1)}
        weaving = Weaving(
            wikilink_href=graph.wikilinks[key].__getitem__,
            highlights=highlights,
            links=graph.autolinks.get(article.slug, ()),
            figure_html=lambda index, article=article: figure_template.render(image=article.images[index], article=article),
            notes_html=lambda slugs: margin_template.render(
                notes=[notes_by_slug[s] for s in slugs], numbers=numbers, note_html={s: html[("note", s)] for s in slugs}
            ),
        )
        html[key] = compose_html(bodies[key], weaving)
    return html
