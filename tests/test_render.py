"""Unit tests of the render stage: pieces, plain text, wikilinks, headings, figures."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE

from generator.markdown import render
from generator.markdown.prose import prose_blocks
from generator.markdown.render import _normalized, full_chain_parser, markdown_parser, render_body
from generator.records import RenderedBody


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


# Pieces of Markdown that start, end or break the constructs the prose shortcuts skip past.
MARKDOWN_PIECES = [
    "word", "Two words.", "\n", "\n\n", " ", "    ", "\t", "- ", "* ", "+ ", "1. ", "2) ", "# ", "### ", "> ", "```",
    "~~~", "---", "===", "***", "___", "[[target]]", "[[a#h|label]]", "[link](https://x.org)", "[ref]: /url\n",
    "[ref]", "[", "]", "<div>", "<b>x</b>", "&amp;", "\\", "`code`", "*em*", "_u_", "~~s~~", "| a | b |\n|---|---|\n",
    "-", ":", "#", "=", "+", "%", "$", "@", "^", "{", "}", "!", "![i](/x.png)", "<https://a.b>", '"quoted"', "é", "12",
    "a-b", "x: y", "<!-- c -->",
]
MARKDOWN = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join)


@settings(max_examples=1500, deadline=None)
@given(MARKDOWN, st.booleans())
def test_prose_shortcuts_make_the_tokens_of_the_full_rule_chains(text, allow_html):
    assert markdown_parser(allow_html).parse(text) == full_chain_parser(allow_html).parse(text)


def rendered_by_the_full_chains(text: str, allow_html: bool, figures_after: tuple[int | None, ...] = ()) -> RenderedBody:
    """What render_body makes of `text` with every block parsed by the full rule chains and rendered by markdown-it's renderToken."""
    with (
        mock.patch.object(render, "markdown_parser", full_chain_parser),
        mock.patch.object(render, "_plain_paragraph_tag", lambda tokens, index: None),
        mock.patch.object(render, "prose_blocks", lambda body: None),
    ):
        return render_body(text, 1, allow_html=allow_html, figures_after=figures_after)


@settings(max_examples=500, deadline=None)
@given(MARKDOWN, st.booleans())
def test_rendered_bodies_are_those_of_the_full_rule_chains_and_renderer(text, allow_html):
    assert rendered_by_the_full_chains(text, allow_html) == render_body(text, 1, allow_html=allow_html)


# Bodies that prose_blocks takes, each but for at most one line or line end: plain sentences,
# headings, digits that do not open a list; then lines and line ends that make it refuse
# (or that look as if they should and do not).
PROSE_LINES = [
    "Plain words.", '"A quote," she said.', "336 drivers met.", "12", "1.5 percent", "## Section", "# Title", "###### Six", "é è", "===",
    "See [[target]].", "[[a]] and [[b|B]] then [[c#Part|C]]", "## On [[target|it]]", "Two [[a]][[b]]", "x [[a|b|c]] y", "q [[a]b]] r",
    "a\u2028b", "x\x0cy", "## x\x0by",
]
ODD_LINES = [
    "1. Item", "2) Item", "123456789. x", "1234567890. x", "7.", "####### Seven", "##  Two spaces", "## Closed ##", "## a#b", "##",
    "#tag", "Trailing ", " Leading", "\tTab", "---", "- item", "> quote", "| a | b |", "|---|---|", "x\xa0", "\xa0x", "a_b",
    "a*b", "[[w]]", "<b>", "&amp;", "tilde~", "back\\slash", "   ", "Plain words.\nSecond line.", "Title\n===", "a | b\n--|--",
    "x [[]] y", "x [[|label]] y", "x [[#heading]] y", "x [[a", "x ]] y", "x [ y", "x [[a]]] y", "x [[[a]] y", "x [[a [b]] y",
    "x ![[a]] y", "x [[a]](url) y", "x [[a*b]] y", "## [[a#b]]", "x [[ a ]] y", "x [a](b) y", "x [a] y",
]


@st.composite
def prose_bodies(draw) -> str:
    lines = draw(st.lists(st.sampled_from(PROSE_LINES), max_size=8))
    odd = draw(st.none() | st.sampled_from(ODD_LINES))
    if odd is not None:
        lines.insert(draw(st.integers(0, len(lines))), odd)
    ends = ["\n\n"] * len(lines)
    if lines and draw(st.booleans()):
        ends[draw(st.integers(0, len(lines) - 1))] = draw(st.sampled_from(["\n", "\n\n\n", ""]))
    return "".join(line + end for line, end in zip(lines, ends))


FIGURES_AFTER = st.lists(st.one_of(st.none(), st.integers(0, 6)), max_size=3).map(tuple)


@settings(max_examples=1500, deadline=None)
@given(prose_bodies(), st.booleans(), FIGURES_AFTER)
def test_prose_bodies_written_without_parsing_are_those_of_the_full_rule_chains(text, allow_html, figures_after):
    assert rendered_by_the_full_chains(text, allow_html, figures_after) == render_body(text, 1, allow_html=allow_html, figures_after=figures_after)


def test_prose_bodies_are_written_without_parsing():
    """Else the comparison above would compare the parser with itself."""
    body = "## Section\n\n336 drivers met.\n\nPlain [[words|Words]].\n"
    assert prose_blocks(body) == [(2, 0, "Section", None), (0, 2, "336 drivers met.", None), (0, 4, "Plain [[words|Words]].", ("Plain ", ("words", None, "Words"), "."))]
    with mock.patch.object(markdown_parser(False), "parse", side_effect=AssertionError("parsed")):
        render_body(body, 1)


def test_prose_shortcuts_are_installed_on_sitegens_parser():
    """Else the comparisons above would compare a parser with itself."""
    md, full = markdown_parser(False), full_chain_parser(False)
    assert "prose_paragraph" in md.block.ruler.get_active_rules()
    if hasattr(full.inline, "terminator_re"):  # markdown-it-py 4.3 on: the stop characters are the parser's
        assert md.inline.terminator_re.pattern != full.inline.terminator_re.pattern
