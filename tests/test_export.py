"""`sitegen export`: citations of the whole archive and W3C Web Annotations of every note."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, copy_archive
from generator.build import analyse, build
from generator.cli import main
from generator.config import load_config
from generator.errors import SiteError
from generator.export import CONTEXT_CHARS, export_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The bundled archive plus a second article, an orphaned quote and a standalone note, with a base URL."""
    root = copy_archive(REPO, tmp_path_factory.mktemp("export"))
    (root / "sitegen.yaml").write_text("title: Export test\nbase_url: https://example.org/repo/\n")
    (root / "content/articles/second.md").write_text(
        textwrap.dedent(
            """\
            ---
            title: A second piece
            authors: [Jane Roe, John Doe]
            outlet: Example Times
            source_url: https://times.example.com/second
            published: 2024-05-06
            archived: 2024-05-07
            ---
            Short text about budgets and bridges, repeated: budgets and bridges.
            """
        )
    )
    (root / "content/notes/lost-quote.md").write_text("---\narticle: second\nquote: words that are not there at all\n---\nLost.\n")
    (root / "content/notes/on-second.md").write_text("---\narticle: second\nquote: budgets and bridges\nsuffix: \", repeated\"\ntags: [money]\n---\nFirst mention.\n")
    (root / "content/notes/standalone.md").write_text("---\ntitle: Just a thought\n---\nNo article.\n")
    return root


def test_csl_json_lists_every_article(archive):
    items = json.loads(export_archive(archive, "csl-json"))
    assert [item["id"] for item in items] == ["iran-facilitating-attacks-us-troops", "second"]
    second = items[1]
    assert second["type"] == "article-newspaper"
    assert second["author"] == [{"family": "Roe", "given": "Jane"}, {"family": "Doe", "given": "John"}]
    assert second["issued"] == {"date-parts": [[2024, 5, 6]]}
    assert second["accessed"] == {"date-parts": [[2024, 5, 7]]}
    assert second["URL"] == "https://times.example.com/second"
    assert items[0]["URL"] == "https://example.org/repo/articles/iran-facilitating-attacks-us-troops/", "without a source URL, the archived copy"


def test_bibtex_and_ris_hold_one_entry_per_article(archive):
    bib = export_archive(archive, "bibtex")
    assert bib.count("@article{") == 2
    assert "author = {Roe, Jane and Doe, John}" in bib
    ris = export_archive(archive, "ris")
    assert ris.count("TY  - NEWS\n") == 2 and ris.count("ER  -\n") == 2
    assert "AU  - Roe, Jane\nAU  - Doe, John\n" in ris


def test_the_sites_citation_files_are_the_export(archive, tmp_path):
    """`sitegen build` writes citations.bib/.json/.ris at the site's root with the export's exact text."""
    out = tmp_path / "site"
    build(archive, out=out, search=False)
    for fmt, name in (("bibtex", "citations.bib"), ("csl-json", "citations.json"), ("ris", "citations.ris")):
        assert (out / name).read_text(encoding="utf-8") == export_archive(archive, fmt), name
    assert not list(out.glob("articles/*/cite.*")), "no per-article citation files"
    articles_index = (out / "articles/index.html").read_text(encoding="utf-8")
    assert all(f'href="/repo/{name}" download' in articles_index for name in ("citations.bib", "citations.json", "citations.ris"))


def test_w3c_annotations_select_the_anchored_passage(archive):
    collection = json.loads(export_archive(archive, "w3c"))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    analysis = analyse(archive, load_config(archive))
    notes_on_articles = [n for n in analysis.archive.notes if n.article]
    assert collection["total"] == len(items) == len(notes_on_articles) == 8
    assert "https://example.org/repo/notes/standalone/" not in [a["id"] for a in items]
    by_id = {a["id"].removeprefix("https://example.org/repo/notes/").rstrip("/"): a for a in items}

    on_second = by_id["on-second"]
    assert on_second["type"] == "Annotation" and on_second["motivation"] == "commenting"
    assert on_second["body"] == [
        {"type": "TextualBody", "value": "First mention.", "format": "text/markdown", "language": "en"},
        {"type": "TextualBody", "purpose": "tagging", "value": "money"},
    ]
    assert on_second["target"]["source"] == "https://times.example.com/second"
    quote, position = on_second["target"]["selector"]
    text = analysis.bodies[("article", "second")].text
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert text[position["start"] : position["end"]] == quote["exact"] == "budgets and bridges"
    assert position["start"] == text.index("budgets and bridges"), "the suffix picked the first of two matches"
    assert quote["prefix"] == text[: position["start"]] and quote["suffix"] == text[position["end"] : position["end"] + CONTEXT_CHARS]

    for slug, annotation in by_id.items():
        selectors = annotation["target"].get("selector")
        if isinstance(selectors, list):
            quote, position = selectors
            note_article = next(n.article for n in notes_on_articles if n.slug == slug)
            body_text = analysis.bodies[("article", note_article)].text
            assert body_text[position["start"] : position["end"]] == quote["exact"]
            assert len(quote["prefix"]) <= CONTEXT_CHARS and body_text[: position["start"]].endswith(quote["prefix"])
            assert len(quote["suffix"]) <= CONTEXT_CHARS and body_text[position["end"] :].startswith(quote["suffix"])


def test_w3c_keeps_an_orphan_as_its_quote_only_and_an_article_note_as_its_source(archive):
    by_id = {a["id"]: a for a in json.loads(export_archive(archive, "w3c"))["first"]["items"]}
    orphan = by_id["https://example.org/repo/notes/lost-quote/"]
    assert orphan["target"]["selector"] == {"type": "TextQuoteSelector", "exact": "words that are not there at all"}
    article_level = [a for a in by_id.values() if "selector" not in a["target"]]
    assert article_level and all(a["target"]["source"].startswith("https://") for a in article_level)


def test_export_cli_writes_a_file_and_rejects_unknown_formats(archive, tmp_path, capsys):
    out = tmp_path / "archive.bib"
    assert main(["-C", str(archive), "export", "--format", "bibtex", "-o", str(out)]) == 0
    assert out.read_text().count("@article{") == 2
    with pytest.raises(SiteError, match="unknown export format"):
        export_archive(archive, "mods")


def test_export_without_a_host_omits_urls_rather_than_writing_relative_ones(tmp_path):
    root = copy_archive(REPO, tmp_path / "plain")
    [item] = json.loads(export_archive(root, "csl-json"))
    assert "URL" not in item
    bib = export_archive(root, "bibtex")
    assert "url =" not in bib
    assert item["accessed"] == {"date-parts": [[2026, 11, 25]]} and "urldate = {2026-11-25}" in bib, "the archive date all the same"
