"""Unit tests of the render stage: pieces, plain text, wikilinks, headings, figures."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE

from generator.markdown.render import _normalized, render_body


def test_plain_text_is_what_the_reader_sees():
    body = render_body("A **bold** [link](https://example.org) and `code`.\n\n- one\n- two\n", 1)
    assert body.text == "A bold link and code.\n\none\n\ntwo\n\n"
    assert "".join(p.value for p in body.pieces if p.kind == "text") + "\n\n" * 3 == body.text.replace("\n\n", "") + "\n\n" * 3


def test_entity_links_may_not_go_inside_links_code_or_headings():
    body = render_body("# Heading\n\nplain [linked](https://x.org) `code`\n", 1)
    flags = {p.value.strip(): p.plain for p in body.pieces if p.kind == "text" and p.value.strip()}
    assert flags == {"Heading": False, "plain": True, "linked": False, "code": False}


def test_wikilinks_record_their_line_and_offset():
    body = render_body("First line\nsecond [[notes/x#Some Part|label]] here\n\n[[y]]\n", 10)
    first, second = body.wikilinks
    assert (first.target, first.heading, first.label, first.line) == ("notes/x", "Some Part", "label", 11)
    assert body.text[first.text_offset :].startswith("label")
    assert (second.target, second.label, second.line) == ("y", None, 13)


def test_brackets_that_name_no_document_are_plain_text():
    body = render_body("[[]] and [[|label]] and [[#part]] and [[ | x]]\n", 1)
    assert body.wikilinks == ()
    assert body.text.strip() == "[[]] and [[|label]] and [[#part]] and [[ | x]]"


def test_headings_get_unique_ids():
    body = render_body("## Same\n\n## Same\n\n## note-x\n", 1)
    assert [h.id for h in body.headings] == ["same", "same-2", "h-note-x"]


def test_figures_go_after_their_paragraph_and_lead_images_first():
    body = render_body("One.\n\nTwo.\n\nThree.\n", 1, figures_after=(2, None, 9))
    kinds = [p.value if p.kind == "figure" else p.kind for p in body.pieces if p.kind in ("figure", "text")]
    assert kinds == ["1", "text", "text", "0", "text", "2"]


def test_unsafe_link_schemes_stay_text():
    body = render_body("[x](javascript:alert(1)) ![y](data:text/html,x) [ok](https://example.org)\n", 1)
    html = "".join(p.value for p in body.pieces if p.kind == "html")
    assert "javascript:" not in html and "data:" not in html and 'href="https://example.org"' in html


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\r", "\n", "\r\n", "\n\r", "\x00", "*", "\n\n"]), max_size=30).map("".join))
def test_bodies_are_normalized_as_markdown_its_own_rule_does(text):
    """render_body turns markdown-it's `normalize` rule off and normalizes only text that needs it."""
    assert _normalized(text) == NULL_RE.sub("\ufffd", NEWLINES_RE.sub("\n", text))


def test_carriage_returns_and_nul_render_as_line_ends_and_replacement_characters():
    body = render_body("one\r\ntwo\rthree\x00\n", 1)
    assert body.text == "one\ntwo\nthree\ufffd\n\n"
