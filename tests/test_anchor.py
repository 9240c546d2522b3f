"""Anchoring: the fixture table of cases, and a property test that cut quotes land where they were cut."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.anchor import Ambiguous, find_quote, normalize, sentence_around, text_fragment
from generator.markdown.render import render_body

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "anchoring" / "cases.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_anchoring_case(case):
    text = render_body(case["article"], 1).text
    if case["tier"] == "ambiguous":
        with pytest.raises(Ambiguous):
            find_quote(text, case["quote"], case.get("prefix"), case.get("suffix"), 90)
        return
    tier, start, end, similarity = find_quote(text, case["quote"], case.get("prefix"), case.get("suffix"), 90)
    assert tier == case["tier"]
    if tier == "orphan":
        return
    assert text[start:end] == case["passage"]
    if "after" in case:
        assert text[end:].startswith(case["after"])
    if tier == "fuzzy":
        assert 90 <= similarity < 100


def test_normalize_maps_back_to_original_offsets():
    folded = normalize("A\u00a0“Big”  deal—really")
    assert folded.text == 'a "big" deal-really'
    start = folded.text.index("big")
    assert folded.span_in_original(start, start + 3) == (3, 6)


def test_sentence_around_gives_the_neighbouring_sentences():
    text = "One. Two three. Four five. Six."
    assert sentence_around(text, text.index("Four"), text.index("five.") + 5) == ("Two three.", "Four five.", "Six.")


def test_text_fragment_encodes_reserved_characters():
    assert text_fragment("one - two, three & four") == "#:~:text=one%20%2D%20two%2C%20three%20%26%20four"
    long = text_fragment("a b c d e f g h i j")
    assert long == "#:~:text=a%20b%20c%20d,g%20h%20i%20j"


WORDS = st.sampled_from("the river council vote bridge rose mayor said budget in on at of city new old".split())


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(WORDS, min_size=8, max_size=80),
    data=st.data(),
)
def test_a_quote_cut_from_an_article_anchors_exactly_where_it_was_cut(words, data):
    """Given the W3C-style context (32 characters each side), a cut quote never lands elsewhere."""
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip():
        return
    prefix, suffix = text[max(0, start - 32) : start], text[end : end + 32]
    try:
        tier, found_start, found_end, _ = find_quote(text, quote, prefix or None, suffix or None, 90)
    except Ambiguous:
        return  # the same quote and context occur twice: refusing is the honest answer
    assert tier == "exact"
    assert (found_start, found_end) == (start, end)
