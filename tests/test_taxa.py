"""Tags, authors and outlets: distinct names get distinct pages, spellings of one name share
one, and a page lists each document once."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from generator.build import build
from generator.slugs import taxon_slug

FILES = {
    "content/articles/languages.md": """\
        ---
        title: Three languages
        authors: [Ann Lee, ann lee]
        outlet: C++ Weekly
        published: 2024-03-01
        tags: [C++, C, c#, C#]
        ---
        Compilers compared.
        """,
    "content/articles/plain-c.md": """\
        ---
        title: Plain C
        authors: [Bo Park]
        outlet: C Weekly
        published: 2024-03-02
        tags: [c, 日本 2024, "2024"]
        ---
        Pointers explained.
        """,
    "content/notes/on-languages.md": """\
        ---
        article: languages
        tags: [C++, C, c#]
        ---
        Which one to learn first.
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("taxa")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    build(root, search=False)
    return root / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def listed(html: str, href: str) -> int:
    return len(re.findall(f'class="item-title" href="{re.escape(href)}"', html))


def test_c_cpp_and_csharp_are_three_tags_each_listing_a_document_once(site):
    pages = {slug: page(site, f"tags/{slug}") for slug in ("c", "c-plus-plus", "c-sharp")}
    assert {slug: re.search(r"<h1>(.*?)</h1>", html)[1] for slug, html in pages.items()} == {"c": "#C", "c-plus-plus": "#C++", "c-sharp": "#c#"}
    for slug, html in pages.items():
        assert listed(html, "/articles/languages/") == 1, slug
        assert listed(html, "/notes/on-languages/") == 1, slug
    assert listed(pages["c"], "/articles/plain-c/") == 1


def test_a_tag_written_twice_in_two_cases_is_one_tag(site):
    article = page(site, "articles/languages")
    assert re.findall(r'href="/tags/([^"/]+)/">#([^<]*)<', article) == [("c-plus-plus", "C++"), ("c", "C"), ("c-sharp", "c#")]


def test_a_name_with_letters_without_ascii_form_is_not_its_ascii_part(site):
    assert taxon_slug("日本 2024") != taxon_slug("2024")
    assert listed(page(site, f"tags/{taxon_slug('日本 2024')}"), "/articles/plain-c/") == 1
    assert listed(page(site, "tags/2024"), "/articles/plain-c/") == 1


def test_outlets_with_such_names_get_pages_of_their_own(site):
    assert listed(page(site, "outlets/c-plus-plus-weekly"), "/articles/languages/") == 1
    assert listed(page(site, "outlets/c-plus-plus-weekly"), "/articles/plain-c/") == 0
    assert listed(page(site, "outlets/c-weekly"), "/articles/plain-c/") == 1


def test_an_author_named_twice_in_one_byline_lists_the_article_once(site):
    assert listed(page(site, "authors/ann-lee"), "/articles/languages/") == 1


def test_the_feed_files_each_tag_under_its_own_page(site):
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    terms = re.findall(r'<category term="([^"]+)" label="([^"]+)" scheme="[^"]*tags/"', feed)
    assert {("c-plus-plus", "C++"), ("c", "C"), ("c-sharp", "c#")} <= set(terms)


@pytest.mark.parametrize(
    "same",
    [
        ("C#", "c#"),
        ("New York Times", "new-york-times"),
        ("R&D", "R and D"),
        ("Straße", "STRASSE"),
        ("café", "Cafe"),
        ("Ελλάδα", "ελλάδα"),
        ("Chris\u00adtopher Lee", "Christopher Lee"),  # a soft hyphen, as pages pasted from the web carry
    ],
)
def test_spellings_of_one_name_share_a_slug(same):
    assert taxon_slug(same[0]) == taxon_slug(same[1])


def test_names_that_differ_get_different_slugs():
    names = ["C", "C++", "C#", "F#", "2024", "日本 2024", "韓国 2024", "Łódź", "odz", "Ελλάδα 2", "2"]
    assert len({taxon_slug(name) for name in names}) == len(names)
