"""What a value may hold before it reaches a page, a feed or the file system (issue 24: languages,
base URLs, unprintable characters, YAML 1.1's numbers where text was written)."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.cli import main
from generator.config import Config, load_config, with_overrides
from generator.content.load import read_text
from generator.content.parse import parse_archive, parse_article
from generator.errors import ProblemLog, SiteError
from generator.importers import import_source
from generator.records import SourceFile
from generator.serve import serve


def source(path: str, text: str) -> SourceFile:
    return SourceFile(path, path.split("/")[1], text)


def parse_errors(path: str, text: str) -> list[str]:
    with pytest.raises(SiteError) as caught:
        parse_archive((source(path, text),))
    return [str(problem) for problem in caught.value.problems]


def config_errors(root: Path, text: str) -> list[str]:
    (root / "sitegen.yaml").write_text(text)
    with pytest.raises(SiteError) as caught:
        load_config(root)
    return [str(problem) for problem in caught.value.problems]


def article(front: str, body: str = "Body.\n") -> str:
    return f"---\ntitle: T\nauthors: [Ana Ruiz]\noutlet: X\n{front}---\n{body}"


# 2. language

LANGUAGE_ERROR = "field 'language' must be a BCP 47 language tag such as 'en', 'pt-BR' or 'zh-Hant', not '{}'"


@pytest.mark.parametrize("language", ["../../../../evil", "en/../../x", "en_US", "xx", "en-", "english please"])
def test_an_article_language_that_is_no_bcp47_tag_is_refused_at_its_line(language):
    assert parse_errors("content/articles/a.md", article(f"language: '{language}'\n")) == [
        "content/articles/a.md:5: " + LANGUAGE_ERROR.format(language)
    ]


def test_a_site_language_that_is_no_bcp47_tag_is_refused_at_its_line(tmp_path):
    assert config_errors(tmp_path, "title: Mine\nlanguage: ../../../../evil\n") == [
        "sitegen.yaml:2: " + LANGUAGE_ERROR.format("../../../../evil")
    ]


@pytest.mark.parametrize(("written", "canonical"), [("EN-us", "en-US"), ("zh-hant-tw", "zh-Hant-TW"), ("pt-BR", "pt-BR"), ("de", "de")])
def test_a_language_is_kept_in_canonical_case(tmp_path, written, canonical):
    assert parse_archive((source("content/articles/a.md", article(f"language: {written}\n")),)).articles[0].language == canonical
    (tmp_path / "sitegen.yaml").write_text(f"language: {written}\n")
    assert load_config(tmp_path).language == canonical


def test_a_site_key_without_a_value_keeps_its_default(tmp_path):
    (tmp_path / "sitegen.yaml").write_text("title:\nlanguage:\nentity_autolink: ~\n")
    assert load_config(tmp_path) == Config()


def test_a_built_page_never_carries_a_path_as_its_language(tmp_path, capsys):
    """Pagefind names index files after `<html lang>`: `../../../../evil` wrote them outside site/."""
    articles = tmp_path / "project" / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "a.md").write_text(article("language: ../../../../evil\n"))
    assert main(["-C", str(tmp_path / "project"), "build"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "content/articles/a.md:5: " + LANGUAGE_ERROR.format("../../../../evil")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]
    assert not (tmp_path / "project" / "site").exists()


@pytest.mark.parametrize("declared", ["zz-ZZ", "xx"])
def test_an_imported_page_declaring_no_valid_language_gets_the_detected_one(declared):
    page = (
        f'<html lang="{declared}"><head><title>The long walk home</title></head><body><article><h1>The long walk home</h1>'
        + "<p>The people of the town said that they would walk to the river and then back home again with the others.</p>" * 5
        + "</article></body></html>"
    )
    imported = import_source(page.encode(), origin="page.html", today=datetime.date(2026, 1, 2))
    assert imported.front_matter["language"] == "en"


# 5. base URLs


BAD_BASE_URLS = ["/\\evil.com/", "/repo\\", "/a/../b/", "/./", "/my repo/", "/repo/\x1b[31m", "/a%zz/", "/r?x=1", "/r#top", "https://user@evil.com/", "https://example.org/a b/"]


@pytest.mark.parametrize("url", BAD_BASE_URLS)
def test_a_base_url_holding_what_no_url_path_holds_is_refused(tmp_path, url):
    with pytest.raises(SiteError) as caught:
        with_overrides(Config(), base_url_override=url)
    assert str(caught.value.problems[0]).startswith("--base-url: must ")
    assert len(errors := config_errors(tmp_path, f"title: Mine\nbase_url: {json.dumps(url)}\n")) == 1
    assert errors[0].startswith(("sitegen.yaml:2: field 'base_url' must ", "sitegen.yaml:2: control character"))


@pytest.mark.parametrize("url", ["/", "/repo/", "/a%20b/", "/~me/notes/", "https://u.github.io/repo/", "https://example.org:8443/x/"])
def test_ordinary_base_urls_are_kept(url):
    assert with_overrides(Config(), base_url_override=url).base_url == url


def test_build_refuses_a_backslash_base_url_before_writing(tmp_path, capsys):
    """Browsers read `/\\evil.com/` as `//evil.com/`: every script would have come from evil.com."""
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "articles" / "a.md").write_text(article(""))
    assert main(["-C", str(tmp_path), "build", "--no-search", "--base-url", "/\\evil.com/"]) == 1
    assert capsys.readouterr().err.startswith("--base-url: must not hold '\\'")
    assert not (tmp_path / "site").exists()


def test_serve_refuses_a_backslash_base_url_before_serving(tmp_path):
    with mock.patch("generator.serve.run_preview") as run_preview, mock.patch("generator.serve.stop_on_sigterm"):
        with pytest.raises(SiteError) as caught:
            serve(tmp_path, base_url="/\\evil.com/")
    assert str(caught.value.problems[0]).startswith("--base-url: must not hold '\\'")
    run_preview.assert_not_called()


# 7. unprintable characters


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ('"A\\0B"', "control character U+0000"),
        ('"red \\x1b[31m"', "control character U+001B"),
        ('"bell \\a"', "control character U+0007"),
        ('"x \\uffff"', "noncharacter U+FFFF"),
        ('"x \\ufdd0"', "noncharacter U+FDD0"),
        ('"x \\U0010FFFE"', "noncharacter U+10FFFE"),
    ],
)
def test_a_yaml_escape_of_an_unprintable_character_is_refused_at_its_line(tmp_path, value, name):
    expected = f"{name}: remove it (HTML and feeds cannot carry it)"
    assert parse_errors("content/articles/a.md", f"---\ntitle: T\nauthors:\n  - name: {value}\noutlet: X\n---\nBody.\n") == [f"content/articles/a.md:4: {expected}"]
    assert parse_errors("content/notes/n.md", f"---\ntags: [a, {value}]\n---\nBody.\n") == [f"content/notes/n.md:2: {expected}"]
    assert config_errors(tmp_path, f"title: Mine\ndescription: {value}\n") == [f"sitegen.yaml:2: {expected}"]


def test_a_lone_surrogate_escape_is_refused_at_its_line():
    assert parse_errors("content/articles/a.md", article('subtitle: "\\ud800"\n'))[0].startswith("content/articles/a.md:5: ")


@pytest.mark.parametrize(("char", "name"), [("\uffff", "noncharacter U+FFFF"), ("\ufffe", "noncharacter U+FFFE"), ("\ufdef", "noncharacter U+FDEF"), ("\U0001fffe", "noncharacter U+1FFFE")])
def test_a_noncharacter_in_a_file_is_refused_at_its_line(tmp_path, char, name):
    (tmp_path / "a.md").write_text(article("", f"Body.\n\nA {char} here.\n"), encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        read_text(tmp_path / "a.md", tmp_path, "content/articles/a.md")
    assert [str(p) for p in caught.value.problems] == [f"content/articles/a.md:8: {name}: remove it (HTML and feeds cannot carry it)"]


def test_characters_near_the_noncharacters_are_kept(tmp_path):
    text = article("", "Arabic ligature \ufdfa, replacement \ufffd, emoji \U0001f600, last letter \U0001fffd.\n")
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    assert read_text(tmp_path / "a.md", tmp_path, "content/articles/a.md") == text


FRONT_MATTER_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
FIELDS = ["title", "subtitle", "outlet", "author", "tag", "caption"]


def article_with(field: str, value: str) -> tuple[str, int]:
    """An article whose `field` is `value`, written as a YAML double-quoted scalar (every character
    escaped: what YAML can spell is what it may hand on), and the line it is on."""
    quoted = json.dumps(value)
    lines = {
        "title": f"title: {quoted}",
        "subtitle": f"subtitle: {quoted}",
        "outlet": f"outlet: {quoted}",
        "author": f"authors:\n  - {quoted}",
        "tag": f"tags: [{quoted}]",
        "caption": f"images:\n  - credit: Me\n    caption: {quoted}",
    }
    front = {"title": "title: T", "outlet": "outlet: X", "author": "authors: [Ana Ruiz]"}
    front[field] = lines[field]
    text = "---\n" + "\n".join(front.values()) + "\n---\nBody.\n"
    return text, text.split("\n").index(next(line for line in lines[field].split("\n") if quoted in line)) + 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FIELDS), FRONT_MATTER_TEXT)
@example("title", "A\x00B \x1b[31m")
@example("author", "\uffff")
def test_a_front_matter_text_is_refused_at_its_line_or_reaches_a_feed_that_is_xml(tmp_path_factory, field, value):
    root = tmp_path_factory.mktemp("site")
    (root / "content" / "articles").mkdir(parents=True)
    text, line = article_with(field, value)
    (root / "content" / "articles" / "a.md").write_text(text, encoding="utf-8")
    try:
        build(root, search=False)
    except SiteError as error:
        assert [problem.loc.line for problem in error.problems] == [line], [str(p) for p in error.problems]
        return
    ET.parse(root / "site" / "feed.xml")


# 9. text written where YAML 1.1 reads a number, a date or true/false


@pytest.mark.parametrize("written", ["010", "12:30", "0x1F", "1.20", "no", "yes", "on", "1_000", "2024-03-05", ".inf", "1e3"])
def test_a_text_field_keeps_the_text_as_written(written):
    text = (
        f"---\ntitle: {written}\nsubtitle: {written}\nauthors:\n  - {written}\n  - name: {written}\n    role: {written}\n"
        f"outlet: {written}\ntags: [{written}]\nimages:\n  - credit: {written}\n    caption: {written}\n---\nBody.\n"
    )
    parsed = parse_archive((source("content/articles/a.md", text),)).articles[0]
    assert (parsed.title, parsed.subtitle, parsed.outlet, parsed.tags) == (written, written, written, (written,))
    assert [(author.name, author.role) for author in parsed.authors] == [(written, None), (written, written)]
    assert (parsed.images[0].credit, parsed.images[0].caption) == (written, written)


def test_an_outlet_written_as_hex_keeps_its_page():
    parsed = parse_archive((source("content/articles/a.md", "---\ntitle: T\nanonymous: true\noutlet: 0x1F\n---\nB\n"),)).articles[0]
    assert (parsed.outlet, parsed.outlet_slug) == ("0x1F", "0x1f")


def test_entity_and_note_texts_keep_the_text_as_written():
    entity = parse_archive((source("content/entities/e.md", "---\nname: 1.20\nkind: place\naliases: [010, 12:30]\n---\n"),)).entities[0]
    assert (entity.name, entity.aliases) == ("1.20", ("010", "12:30"))
    note = parse_archive((source("content/notes/n.md", "---\ntitle: no\narticle: a\nquote: 1.50\ntags: 0o17\n---\n"),)).notes[0]
    assert (note.title, note.quote, note.tags) == ("no", "1.50", ("0o17",))


def test_site_texts_keep_the_text_as_written(tmp_path):
    (tmp_path / "sitegen.yaml").write_text("title: 2024\ndescription: 12:30\nauthor: 1.20\n")
    config = load_config(tmp_path)
    assert (config.title, config.description, config.author) == ("2024", "12:30", "1.20")


def test_fields_that_are_not_text_keep_their_meaning():
    parsed = parse_archive((source("content/articles/a.md", "---\ntitle: T\nanonymous: yes\noutlet: X\npublished: 2024-03-05\nimages:\n  - credit: C\n    after_paragraph: 010\n---\nB\n"),)).articles[0]
    assert parsed.anonymous is True and parsed.published == datetime.date(2024, 3, 5) and parsed.images[0].after_paragraph == 8


def test_an_empty_text_is_still_missing():
    assert parse_errors("content/articles/a.md", "---\ntitle: ''\nanonymous: true\noutlet: X\n---\nB\n") == [
        "content/articles/a.md:2: article is missing required field 'title'"
    ]


def test_a_null_title_is_unknown_not_missing():
    """`title: null` (or `~`) is what an import writes when it cannot tell a copied page's headline: the article
    builds, with a warning at the line, as an unknown outlet does."""
    for written in ("~", "null"):
        log = ProblemLog()
        article = parse_article(source("content/articles/a.md", f"---\ntitle: {written}\nanonymous: true\noutlet: X\n---\nB\n"), log)
        assert article is not None and not log.errors and article.title == "Untitled"
        assert [message for _, message in article.unknown] == [
            "title unknown: add the article's headline; until then the page is titled 'Untitled'"]


def test_noncharacters_are_dropped_on_import():
    """An imported file must build: the build refuses them, as a feed cannot hold U+FFFF."""
    data = "Ports reopen\n\nThe port\uffff reopened\ufdd0 on Monday after a week.\n".encode()
    imported = import_source(data, origin="notes.txt", today=datetime.date(2026, 1, 2))
    assert "The port reopened on Monday after a week." in imported.body
