"""Unit tests of the config, front-matter and parse stages."""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.config import Config, load_config, with_overrides
from generator.content.parse import file_stem, parse_archive
from generator.content.yamlsafe import MAX_DEPTH, parse_yaml
from generator.errors import SiteError, SourceLoc
from generator.records import SourceFile


def test_a_folder_without_config_gets_every_default(tmp_path):
    assert load_config(tmp_path) == Config()


def test_config_values_are_checked_at_their_line(tmp_path):
    (tmp_path / "sitegen.yaml").write_text("title: Mine\nhome_items: -3\nsearch: yes please\n")
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "sitegen.yaml:2: field 'home_items' must be a whole number >= 0, not the number -3",
        "sitegen.yaml:3: field 'search' must be true or false, not 'yes please'",
    ]


@pytest.mark.parametrize("cname", ["evil.example/../x", "https://archive.example.org", "localhost", "-bad.example.org"])
def test_a_cname_is_a_domain_name_alone(tmp_path, cname):
    """GitHub Pages reads the CNAME file as a host name: anything else there breaks the custom domain."""
    (tmp_path / "sitegen.yaml").write_text(f"title: Mine\ncname: '{cname}'\n")
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    assert [str(p) for p in caught.value.problems] == [f"sitegen.yaml:2: field 'cname' must be a domain name such as 'www.example.org', not '{cname}'"]
    (tmp_path / "sitegen.yaml").write_text("cname: archive.example.org\n")
    assert load_config(tmp_path).cname == "archive.example.org"


@pytest.mark.parametrize(
    "base_url, path, origin",
    [("/", "/", ""), ("/repo", "/repo/", ""), ("https://u.github.io/repo/", "/repo/", "https://u.github.io"), ("https://example.org", "/", "https://example.org")],
)
def test_base_url_path_and_origin(base_url, path, origin):
    config = with_overrides(Config(), base_url_override=base_url)
    assert (config.base_path, config.origin) == (path, origin)


def test_a_bad_base_url_override_is_a_clear_error():
    with pytest.raises(SiteError) as caught:
        with_overrides(Config(), base_url_override="ftp://example.org/")
    assert str(caught.value.problems[0]).startswith("--base-url: must be an http(s) URL or a path")


def source(path: str, text: str) -> SourceFile:
    return SourceFile(path, path.split("/")[1], text)


def test_articles_are_normalised_into_records():
    article = parse_archive(
        (
            source(
                "content/articles/a.md",
                "---\ntitle: ' A title '\nauthors: Ana Ruiz\noutlet: El País\npublished: 2024-03-05\ntags: [x, x, y]\n---\nBody\n",
            ),
        )
    ).articles[0]
    assert article.title == "A title" and article.authors[0].name == "Ana Ruiz" and article.authors[0].slug == "ana-ruiz"
    assert article.outlet_slug == "el-pais" and article.published == datetime.date(2024, 3, 5)
    assert article.tags == ("x", "y") and article.body_line == 8


@pytest.mark.parametrize(
    "text, message",
    [
        ("Just a thought.\n", "missing front-matter: a note starts with a '---' line, then YAML, then '---'"),
        ("title: x\n---\nBody.\n", "missing front-matter: a note starts with a '---' line, then YAML, then '---'"),
        ("\n---\narticle: a\nquote: words\n---\nBody.\n", "front-matter must start on line 1: remove the blank lines before '---'"),
        (" \n\n---\ntitle: x\n---\n", "front-matter must start on line 1: remove the blank lines before '---'"),
    ],
)
def test_a_note_without_front_matter_on_line_1_is_an_error_at_line_1(text, message):
    """Read as body text, its YAML became a '---' title, a rule and a 'title: x' line, and its highlight was lost."""
    with pytest.raises(SiteError) as caught:
        parse_archive((source("content/notes/loose.md", text),))
    assert [str(problem) for problem in caught.value.problems] == [f"content/notes/loose.md:1: {message}"]


def test_a_note_with_a_quote_needs_an_article():
    assert parse_archive((source("content/notes/empty.md", "---\n---\nJust a thought.\n"),)).notes[0].article is None
    with pytest.raises(SiteError) as caught:
        parse_archive((source("content/notes/q.md", "---\nquote: words\n---\n"),))
    assert str(caught.value.problems[0]) == "content/notes/q.md:2: a note with a 'quote' needs an 'article'"


def test_anonymous_articles_may_have_no_authors():
    text = "---\ntitle: T\noutlet: O\nanonymous: true\n---\n"
    assert parse_archive((source("content/articles/anon.md", text),)).articles[0].authors == ()
    unknown = parse_archive((source("content/articles/anon.md", text.replace("anonymous: true\n", "")),)).articles[0]
    assert unknown.authors == () and unknown.unknown == ((2, "authors unknown: add them, or set 'anonymous: true' if the article has none"),)


def test_entity_kind_suggests_the_closest_kind():
    with pytest.raises(SiteError) as caught:
        parse_archive((source("content/entities/e.md", "---\nname: E\nkind: persn\n---\n"),))
    assert str(caught.value.problems[0]) == "content/entities/e.md:3: field 'kind' must be one of person, organization, place, not 'persn' (did you mean 'person'?)"


@pytest.mark.parametrize(("front", "tag"), [("!title: Words\n", "!title:"), ("title: !x Words\n", "!x")])
def test_an_unknown_yaml_tag_is_a_one_line_error_at_its_line(front, tag):
    """Found by the fuzz test: a tag on a key used to escape as a yaml ConstructorError."""
    with pytest.raises(SiteError) as caught:
        parse_archive((source("content/notes/tagged.md", "---\n" + front + "---\nBody.\n"),))
    assert [str(p) for p in caught.value.problems] == [
        f"content/notes/tagged.md:2: invalid YAML value: could not determine a constructor for the tag '{tag}'"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("created: 2026-13-45", "invalid YAML value '2026-13-45': month must be in 1..12"),
        ("created: 2026-02-30", "invalid YAML value '2026-02-30': day is out of range for month"),
        ("created: 2026-01-01 25:00:00", "invalid YAML value '2026-01-01 25:00:00': hour must be in 0..23"),
        ("words: " + "9" * 5000, "invalid YAML value '" + "9" * 39 + "…': Exceeds the limit (4300 digits) for integer string conversion"),
    ],
    ids=["month", "day", "hour", "digits"],
)
def test_a_value_yaml_reads_but_python_cannot_make_is_a_one_line_error_at_its_line(line, message):
    """A timestamp that names no day, an integer past Python's digit limit: PyYAML raises ValueError, not a YAMLError."""
    with pytest.raises(SiteError) as caught:
        parse_archive((source("content/notes/dated.md", "---\ntitle: Dated\n" + line + "\n---\nBody.\n"),))
    assert [str(p) for p in caught.value.problems] == [f"content/notes/dated.md:3: {message}"]


def nested_yaml(depth: int, leaf: str) -> str:
    """Mappings `depth` deep (the outermost one counted), the innermost holding `leaf` under its key."""
    return "\n".join([("  " * level) + f"k{level}:" for level in range(depth - 1)] + [("  " * (depth - 1)) + f"k{depth - 1}:{leaf}"])


@pytest.mark.parametrize("leaf", [" text", " 12", " &anchored text", "\n" + "  " * (MAX_DEPTH - 1) + "- item"])
def test_the_nesting_limit_counts_every_kind_of_value(leaf):
    """String values are taken without a call of their own (yamlsafe._build): the limit must hold for them too."""
    if leaf.startswith("\n"):  # a list item is one level deeper than the key holding the list
        parse_yaml(nested_yaml(MAX_DEPTH - 1, leaf.replace("  ", "", 1)), SourceLoc("x.md", 2))
        with pytest.raises(SiteError, match="nested too deeply"):
            parse_yaml(nested_yaml(MAX_DEPTH, leaf), SourceLoc("x.md", 2))
        return
    assert parse_yaml(nested_yaml(MAX_DEPTH, leaf), SourceLoc("x.md", 2)).line_of(tuple(f"k{level}" for level in range(MAX_DEPTH))) == 2 + MAX_DEPTH - 1
    with pytest.raises(SiteError, match="nested too deeply"):
        parse_yaml(nested_yaml(MAX_DEPTH + 1, leaf), SourceLoc("x.md", 2))


@given(st.lists(st.sampled_from(["a", "b", ".", "..", "md", "-", "/"]), max_size=10).map("".join))
def test_the_slug_of_a_path_is_its_stem(path):
    assert file_stem(path) == PurePosixPath(path).stem


def errors_of(*sources: SourceFile) -> list[str]:
    with pytest.raises(SiteError) as caught:
        parse_archive(sources)
    return [str(problem) for problem in caught.value.problems]


def test_every_front_matter_problem_of_an_article_is_listed_at_once():
    """A mistaken top-level field does not hide the mistakes in its authors and images, nor one image another's."""
    text = (
        "---\ntitle: T\npublished: last spring\nauthors:\n  - name: Ana Ruiz\n    rol: Reporter\n  - [Ben Ode]\n"
        "images:\n  - credit: AP\n    capton: A crowd\n  - src: /etc/passwd\n    credit: AP\n---\nBody.\n"
    )
    assert errors_of(SourceFile("content/articles/a.md", "articles", text)) == [
        "content/articles/a.md:3: field 'published' must be a date like 2024-10-23, not 'last spring'",
        "content/articles/a.md:6: unknown field 'rol' (did you mean 'role'?)",
        "content/articles/a.md:7: each author is a name or a mapping with 'name', not a list",
        "content/articles/a.md:10: unknown field 'capton' (did you mean 'caption'?)",
        "content/articles/a.md:11: image src '/etc/passwd' must be an http(s) URL or a path inside content/",
    ]


def test_a_bad_file_name_is_listed_with_the_front_matter_s_problems():
    text = "---\narticle: a\nqoute: x\n---\n"
    assert errors_of(SourceFile("content/notes/My Note.md", "notes", text)) == [
        "content/notes/My Note.md:1: invalid slug 'My Note': file names use lowercase letters, digits and '-' (try 'my-note')",
        "content/notes/My Note.md:3: unknown field 'qoute' (did you mean 'quote'?)",
    ]


def test_a_mistaken_config_key_keeps_its_default_and_the_others_their_values(tmp_path):
    """So that a build checks the archive with it (build.sound_config) and lists both."""
    from generator.config import read_config
    from generator.errors import ProblemLog

    (tmp_path / "sitegen.yaml").write_text("title: Mine\nhome_items: -3\nfeed_items: 5\n")
    log = ProblemLog()
    assert read_config(tmp_path, log) == Config(title="Mine", feed_items=5)
    assert [str(p) for p in log.errors] == ["sitegen.yaml:2: field 'home_items' must be a whole number >= 0, not the number -3"]
