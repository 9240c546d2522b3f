"""Every id on a built page belongs to one element: headings never take the theme's own ids
(`<main id="main">`), a note's body shown on its article's page brings no second copy of
its heading ids, and `[[doc#heading]]` finds the heading under the id it got."""

from __future__ import annotations

import textwrap
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.emit.bodies import without_heading_ids
from generator.markdown.compose import Weaving, compose_html
from generator.markdown.render import render_body
from generator.theme import theme_ids

FILES = {
    "content/articles/field-report.md": """\
        ---
        title: Field report
        authors: [Ann Lee]
        outlet: The Review
        ---
        The river rose in the night and the council met at dawn.

        ## Main

        The main road closed.

        ## Search

        Boats searched the banks.

        ## Margin notes

        ## Kind words

        ## Note

        ## Note

        ## Context

        The sentence the note is about.

        ## Aside box
        """,
    "content/notes/on-the-road.md": """\
        ---
        article: field-report
        quote: The main road closed.
        ---
        ## Context

        See [[field-report#main]], [[field-report#Main]] and [[field-report#Search|the search]].

        ## Main
        """,
    "templates/partials/figure.html": """\
        <figure id="aside-box">{{ image.caption }}</figure>
        """,
}


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.heading_ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    self.heading_ids.append(value)


def ids_of(path: Path) -> Ids:
    parser = Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("page-ids")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    build(root, search=False)
    return root / "site"


def test_every_id_on_every_page_is_unique(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    repeated = {page.relative_to(site).as_posix(): [i for i, n in Counter(ids_of(page).ids).items() if n > 1] for page in pages}
    assert {page: ids for page, ids in repeated.items() if ids} == {}


def test_headings_keep_clear_of_the_theme_ids(site):
    headings = ids_of(site / "articles/field-report/index.html").heading_ids
    assert "main" not in headings and "search" not in headings
    assert {"h-main", "h-search", "h-margin-notes", "h-kind-words", "h-note", "h-note-2", "context", "h-aside-box"} <= set(headings)


def test_wikilinks_to_a_renamed_heading_find_it(site):
    note = (site / "notes/on-the-road/index.html").read_text(encoding="utf-8")
    assert note.count('href="/articles/field-report/#h-main"') == 2
    assert 'href="/articles/field-report/#h-search"' in note


def test_the_reserved_ids_are_read_from_the_templates_in_use(site):
    root = site.parent
    reserved = theme_ids(root, load_config(root))
    assert {"main", "search", "site-search-q", "aside-box"} <= reserved.ids
    assert {"note-", "margin-"} <= set(reserved.prefixes)


def test_a_template_that_takes_a_headings_id_renames_it_on_the_next_build(tmp_path):
    """Heading ids are kept in the document cache: an id added by a template must reach them."""
    root = tmp_path / "archive"
    article = root / "content/articles/field-report.md"
    article.parent.mkdir(parents=True)
    article.write_text(textwrap.dedent(FILES["content/articles/field-report.md"]), encoding="utf-8")
    build(root, search=False)
    assert "context" in ids_of(root / "site/articles/field-report/index.html").heading_ids
    base = Path(__file__).resolve().parent.parent / "themes/default/templates/base.html"
    override = root / "templates/base.html"
    override.parent.mkdir()
    override.write_text(base.read_text(encoding="utf-8").replace("<footer", '<aside id="context"></aside>\n<footer', 1), encoding="utf-8")
    build(root, search=False)
    page = ids_of(root / "site/articles/field-report/index.html")
    assert "h-context" in page.heading_ids and page.ids.count("context") == 1


def test_a_body_shown_on_another_page_loses_its_heading_ids_whichever_way_it_was_rendered():
    for text in ("## Context\n\nPlain words.\n", "## A *b* & c\n\n- a list\n\n## A *b* & c\n"):  # written from prose; parsed
        body = render_body(text, 1)
        html = without_heading_ids(compose_html(body, Weaving(wikilink_href=lambda index: ("#", ""))), body)
        assert body.headings and " id=" not in html
