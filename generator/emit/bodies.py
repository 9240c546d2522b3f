"""Composing each document's body HTML: highlights, margin notes, links and figures woven in."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

import jinja2
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from generator.anchor import NONE, ORPHAN
from generator.graph import LinkGraph
from generator.markdown.compose import Highlight, Weaving, compose_html, figure_offsets, marked_text
from generator.records import Anchor, Archive, RenderedBody

DocKey = tuple[str, str]
FIGURE_TEMPLATE, MARGIN_NOTES_TEMPLATE = "partials/figure.html", "partials/margin_notes.html"
BODY_TEMPLATES = (FIGURE_TEMPLATE, MARGIN_NOTES_TEMPLATE)  # every page may show a composed body


class ComposedBodies(Mapping):
    """The final body HTML of every document, composed when first asked for.

    Composing on demand lets each worker process compose only the bodies of the pages
    it renders. Articles show their notes in the margin, so an article asks for its
    notes' bodies too: those (and entities') are kept once composed. An article's body is
    shown by its own page alone (and the feed, for the newest few), and keeping all of them
    would hold the whole archive's text in memory, so it is composed each time it is asked for.
    """

    def __init__(
        self,
        archive: Archive,
        bodies: Mapping[DocKey, RenderedBody],
        anchors: dict[str, Anchor],
        graph: LinkGraph,
        env: jinja2.Environment,
    ) -> None:
        self.bodies = bodies
        self.anchors = anchors
        self.graph = graph
        self.articles_by_slug = archive.article_of
        self.notes_by_slug = archive.note_of
        self.figure_template = env.get_template(FIGURE_TEMPLATE)
        self.margin_template = env.get_template(MARGIN_NOTES_TEMPLATE)
        self.composed: dict[DocKey, str] = {}

    def __getitem__(self, key: DocKey) -> str:
        if key[0] == "article":
            return self._compose(key)
        html = self.composed.get(key)
        if html is None:
            html = self.composed[key] = self._compose(key)
        return html

    def __iter__(self) -> Iterator[DocKey]:
        return iter(self.bodies)

    def __len__(self) -> int:
        return len(self.bodies)

    def embedded(self, key: DocKey) -> str:
        """The body as another page shows it (a note in an article's margin and list of notes):
        its headings without their ids, which are its own page's. The note's body is shown
        twice on the article's page, beside the article's own headings; with the ids, `id`s
        would repeat and `#heading` find the wrong element."""
        return without_heading_ids(self[key], self.bodies[key])

    def _compose(self, key: DocKey) -> str:
        kind, slug = key
        if kind == "article":
            marks = self._marks(slug)
            weaving = self._article_weaving(slug, marks)
            standfirst_notes = weaving.notes_html(tuple(h.note for h in marks.standfirst)) if marks.standfirst else ""
            return standfirst_notes + compose_html(self.bodies[key], weaving)  # the standfirst's notes first in the margin, as it is above the text
        return compose_html(self.bodies[key], Weaving(wikilink_href=self.graph.wikilinks[key].__getitem__))

    def standfirst(self, slug: str) -> Markup | None:
        """The article's standfirst as its page shows it, with the highlights quoted from it marked (None without one)."""
        subtitle = self.articles_by_slug[slug].subtitle
        if subtitle is None:
            return None
        return Markup(marked_text(subtitle, self._marks(slug).standfirst))

    def _marks(self, slug: str) -> ArticleMarks:
        """The highlights of an article's page, each numbered in reading order: the standfirst's,
        then the text's with its figures' captions where the figures stand."""
        anchored = [
            self.anchors[note] for note in self.graph.notes_by_article.get(slug, ()) if self.anchors[note].tier not in (NONE, ORPHAN)
        ]
        highlights = tuple(Highlight(a.start, a.end, a.note) for a in anchored if a.figure is None and not a.standfirst)
        standfirst = tuple(Highlight(a.start, a.end, a.note) for a in anchored if a.standfirst)
        in_captions: dict[int, list[Highlight]] = {}
        for a in anchored:
            if a.figure is not None:
                in_captions.setdefault(a.figure, []).append(Highlight(a.start, a.end, a.note))
        figure_at = figure_offsets(self.bodies[("article", slug)]) if in_captions else {}
        order = [(-1, 0, h.start, h.note) for h in standfirst] + [(h.start, 0, h.note) for h in highlights] + [
            (figure_at.get(figure, 0), 1, h.start, h.note) for figure, marks in in_captions.items() for h in marks
        ]
        numbers = {key[-1]: i for i, key in enumerate(sorted(order), start=1)}
        return ArticleMarks(
            tuple(Highlight(h.start, h.end, h.note, numbers[h.note]) for h in highlights),  # each marked with its note's number
            in_captions,
            tuple(sorted(standfirst, key=lambda h: (h.start, -h.end, h.note))),
            numbers,
        )

    def _article_weaving(self, slug: str, marks: ArticleMarks) -> Weaving:
        article = self.articles_by_slug[slug]
        numbers, in_captions = marks.numbers, marks.captions

        def notes_html(notes: tuple[str, ...]) -> str:
            return self.margin_template.render(
                notes=[self.notes_by_slug[note] for note in notes],
                numbers=numbers,
                note_html={note: self.embedded(("note", note)) for note in notes},
            )

        def figure_html(index: int) -> str:
            image = article.images[index]
            marks = tuple(sorted(in_captions.get(index, ()), key=lambda h: (h.start, -h.end, h.note)))
            if not marks or not image.caption:
                return self.figure_template.render(image=image, article=article)
            caption = Markup(marked_text(image.caption, marks))
            return self.figure_template.render(image=image, article=article, caption=caption) + notes_html(tuple(h.note for h in marks))

        return Weaving(
            wikilink_href=self.graph.wikilinks[("article", slug)].__getitem__,
            highlights=marks.body,
            links=self.graph.autolinks.get(slug, ()),
            figure_html=figure_html,
            notes_html=notes_html,
        )


class ArticleMarks(NamedTuple):
    """The highlights of an article's page by where they stand, and every one's number."""

    body: tuple[Highlight, ...]
    captions: dict[int, list[Highlight]]  # by image index
    standfirst: tuple[Highlight, ...]
    numbers: dict[str, int]  # by note slug


def without_heading_ids(html: str, body: RenderedBody) -> str:
    """`html`, composed from `body`, with each heading's opening tag written without its id.

    A heading's tag is `<hN id="...">` whether written from prose or by markdown-it (its
    attributes escaped alike), and a body's heading ids are unique, so each tag is found as
    the first of its text."""
    for heading in body.headings:
        html = html.replace(f'<h{heading.level} id="{escapeHtml(heading.id)}">', f"<h{heading.level}>", 1)
    return html
