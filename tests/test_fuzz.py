"""Property tests: arbitrary input never raises anything but SiteError."""

from __future__ import annotations

import datetime
from unittest import mock

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.anchor import Ambiguous, find_quote
from generator.content import frontmatter
from generator.content.frontmatter import split_front_matter
from generator.content.parse import parse_article, parse_entity, parse_note
from generator.content.yamlsafe import FrontMatterLoader, YamlDoc, parse_yaml
from generator.errors import ProblemLog, SiteError, SourceLoc
from generator.markdown.render import render_body
from generator.markdown.wikilinks import parse_wikilink
from generator.records import SourceFile

YAML_TOKENS = list("abc:-[]{}'\"&*!|>#\n\t ,.?%@`\\0123") + ["title: ", "authors: ", "quote: ", "---", "\n  - "]
YAMLISH = st.lists(st.sampled_from(YAML_TOKENS), max_size=80).map("".join)
FRONT = st.builds(lambda y, b: "---\n" + y + "\n---\n" + b, YAMLISH, st.text(max_size=100))
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.one_of(FRONT, st.text(max_size=300)))
def test_front_matter_parsing_only_raises_site_errors(text):
    for parse, collection in ((parse_article, "articles"), (parse_note, "notes"), (parse_entity, "entities")):
        log = ProblemLog()
        try:
            parse(SourceFile(f"content/{collection}/x.md", collection, text), log)
        except SiteError as error:
            assert all(p.loc.path == f"content/{collection}/x.md" for p in error.problems)
        for problem in log.errors:
            assert problem.loc.line >= 1


@FUZZ
@given(st.text(max_size=200))
def test_split_front_matter_keeps_line_numbers_inside_the_file(text):
    try:
        split = split_front_matter(text, SourceLoc("x.md", 1))
    except SiteError as error:
        assert all(1 <= p.loc.line <= text.count("\n") + 2 for p in error.problems)
        return
    assert split.body_line >= 1


FENCE_LINES = ["---", "--- ", "---\t", "---\r", "---\u2028", "----", " ---", "-- -", "a: 1", "", "x", "\r"]


def fenced_by_lines(text: str) -> tuple[str | None, str, int] | None:
    """The definition split_front_matter implements with one search: the first line is a fence,
    the next line that is one (trailing whitespace stripped) closes it; None when none does."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


@FUZZ
@given(st.lists(st.sampled_from(FENCE_LINES), max_size=8).map("\n".join), st.booleans())
def test_split_front_matter_finds_the_fences_a_line_by_line_reading_finds(text, final_newline):
    text += "\n" if final_newline else ""
    expected = fenced_by_lines(text)
    yaml_texts: list[str] = []
    with mock.patch.object(frontmatter, "parse_yaml", lambda yaml_text, loc: yaml_texts.append(yaml_text) or YamlDoc(None, {})):
        try:
            split = split_front_matter(text, SourceLoc("x.md", 1))
        except SiteError:
            assert expected is None
            return
    assert (yaml_texts[0] if yaml_texts else None, split.body, split.body_line) == expected


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("[]|#ab c\n\\`*_")), max_size=120))
def test_wikilinks_in_any_markdown_render_without_errors(text):
    body = render_body(text, 1)
    for ref in body.wikilinks:
        assert ref.target and "]]" not in ref.target and ref.line >= 1
        assert 0 <= ref.text_offset <= len(body.text)


@given(st.text(max_size=60))
def test_parse_wikilink_splits_any_text(inner):
    target, heading, label = parse_wikilink(inner)
    assert "|" not in target and "#" not in target


@FUZZ
@given(st.text(max_size=200), st.text(min_size=1, max_size=40), st.one_of(st.none(), st.text(max_size=10)))
def test_anchoring_any_text_returns_a_range_inside_it(text, quote, prefix):
    try:
        tier, start, end, _ = find_quote(text, quote, prefix, None, 90)
    except Ambiguous:
        return
    assert 0 <= start <= end <= len(text)
    if tier == "exact":
        assert text[start:end] == quote


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8"))))
def test_the_importer_only_raises_site_errors(data):
    from generator.importers import import_source

    try:
        imported = import_source(data, origin="fuzz.txt", today=datetime.date(2026, 1, 1))
    except SiteError:
        return
    title = imported.front_matter["title"]
    assert title is None or title.strip()  # None: the headline could not be told, written as unknown


SCALARS = st.sampled_from(["yes", "No", "null", "~", "", "12", "0x1f", "1_000", "3.5", ".inf", "2024-02-30", "2024-02-03", "2024-02-03 10:00", "<<", "=", "true", "word", "Otto", "'12'", '"yes"'])


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "12", "yes"]), SCALARS), max_size=6))
def test_the_front_matter_loader_resolves_plain_scalars_as_pyyamls_own(pairs):
    """FrontMatterLoader remembers the tag of each plain scalar: asked twice, it must answer as PyYAML does."""
    text = "".join(f"k{index}{key}: {value}\n" for index, (key, value) in enumerate(pairs))
    for _ in range(2):
        try:
            expected = yaml.load(text, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, ValueError) as error:
            expected = type(error)
        try:
            loaded = yaml.load(text, Loader=FrontMatterLoader)
        except (yaml.YAMLError, ValueError) as error:
            loaded = type(error)
        assert loaded == expected


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["title", "created", "tags", "x"]), st.one_of(SCALARS, st.sampled_from(["2024-13-01", "2024-01-01 24:00", "9" * 4400]))), max_size=6))
def test_front_matter_values_raise_only_site_errors_at_their_lines(pairs):
    """Some plain scalars are read by PyYAML and then refused by Python (a 30th of February, an
    integer past the digit limit): that too is the user's error at the value's line."""
    text = "".join(f"{key}{index}: {value}\n" for index, (key, value) in enumerate(pairs))
    try:
        parse_yaml(text, SourceLoc("x.md", 2))
    except SiteError as error:
        assert all(2 <= problem.loc.line < 2 + len(pairs) for problem in error.problems)


TAGGED_SCALARS = st.sampled_from(["12", "!!float 12", "!!str 12", "0x1f", "2024-02-03", "!!timestamp 2024-02-03", "yes", "!!str yes", "~", "3.5", "!!int 7"])


@FUZZ
@given(st.lists(TAGGED_SCALARS, max_size=6))
def test_front_matter_values_are_pyyamls_own_when_remembered(values):
    """parse_yaml remembers scalars' values by tag and text: read twice, each must be what PyYAML makes of it."""
    text = "".join(f"k{index}: {value}\n" for index, value in enumerate(values))
    expected = yaml.load(text, Loader=yaml.SafeLoader) or None
    for _ in range(2):
        assert repr(parse_yaml(text, SourceLoc("x.md", 2)).value) == repr(expected)  # repr: 12 and 12.0 are equal
