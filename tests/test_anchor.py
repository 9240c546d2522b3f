"""Anchoring: the fixture table of cases, a property test that cut quotes land where they were cut, and the
fast normalization checked against the slow reference it replaced."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
import regex
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

import generator.anchor as anchor_module
from generator.anchor import (
    _CHAR_MAP,
    _DROPPED,
    MIN_FUZZY_LENGTH,
    PART_LENGTH,
    PARTS_TRIED,
    Ambiguous,
    _choose,
    _occurrences,
    _trimmed,
    _whole_words,
    anchor_note,
    anchor_notes,
    cluster_span,
    find_quote,
    fold,
    normalize,
    sentence_around,
    sentence_boundaries,
    text_fragment,
)
from generator.errors import ProblemLog, SourceLoc
from generator.markdown.render import render_body
from generator.records import Article, Note

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
    assert sentence_around(text, text.index("Four"), text.index("five.") + 5) == ("Two three. ", "Four five.", " Six.")



@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Groups attacked U.S. troops in the region. Kirby said so.", ["Groups attacked U.S. troops in the region. ", "Kirby said so."]),
        ("Sen. Warren and Dr. Lind spoke. John F. Kennedy did not.", ["Sen. Warren and Dr. Lind spoke. ", "John F. Kennedy did not."]),
        ("It rained, e.g. on Monday. Then it stopped.", ["It rained, e.g. on Monday. ", "Then it stopped."]),
        ('"We know." Kirby left! Was it so? Yes.', ['"We know." ', "Kirby left! ", "Was it so? ", "Yes."]),
        ("A paragraph\n\nand the next", ["A paragraph\n\n", "and the next"]),
    ],
)
def test_a_full_stop_ends_a_sentence_unless_it_ends_a_title_an_initial_or_comes_before_lower_case(text, sentences):
    boundaries = sentence_boundaries(text)
    assert [text[a:b] for a, b in zip(boundaries, boundaries[1:])] == sentences
def test_sentence_around_keeps_a_quote_joined_to_the_marks_around_it():
    text = 'Kirby spoke. "We know Iran is watching," he said. Then he left.'
    before, passage, after = sentence_around(text, text.index("We"), text.index(",\""))
    assert (before, passage, after) == ('Kirby spoke. "', "We know Iran is watching", '," he said. Then he left.')
    assert before + passage + after == text

SENTENCE_PIECES = ["word", "Word", "Dr", "F", "U.S", "1", ".", "!", "?", "\u3002", " ", "  ", "\n", "\n\n", "\u201d", "'", '"', ")", "]"]


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(SENTENCE_PIECES), min_size=1, max_size=400),
    where=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    window=st.sampled_from([1, 3, 10, 40]),
)
@example(pieces=["One two.", "\n" * 6, "Eight."], where=(0.7, 1.0), window=4)  # the window starts inside a run of blank lines
def test_sentence_around_looks_in_a_window_and_finds_what_a_whole_scan_finds(pieces, where, window):
    text = "".join(pieces)
    start = int(where[0] * len(text))
    end = start + int(where[1] * (len(text) - start))
    boundaries = sentence_boundaries(text)
    before = [b for b in boundaries if b <= start]
    after = [b for b in boundaries if b >= end]
    first, last = (before[-2] if len(before) >= 2 else before[-1]), (after[1] if len(after) >= 2 else after[0])
    squash = lambda part: " ".join(part.split())  # noqa: E731
    before, after = squash(text[first:start]), squash(text[end:last])
    spaced = lambda i: 0 <= i < len(text) and text[i].isspace()  # noqa: E731
    expected = (before + " " * (bool(before) and spaced(start - 1)), squash(text[start:end]), " " * (bool(after) and spaced(end)) + after)
    with mock.patch.object(anchor_module, "SENTENCE_WINDOW", window):  # small windows: their edges are tested often
        assert sentence_around(text, start, end) == expected



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
    cut = anchor_a_cut(text, data)
    if cut is None:
        return
    (start, end), (tier, found_start, found_end) = cut
    assert tier == "exact"
    assert (found_start, found_end) == (start, end)


def anchor_a_cut(text: str, data) -> tuple[tuple[int, int], tuple[str, int, int]] | None:
    """A quote cut from `text` at a drawn place and anchored with the W3C-style context (32 characters
    each side): ((start, end) of the cut, (tier, start, end) found). None when the cut is blank, or the
    same quote and context occur twice (refusing is the honest answer then)."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip():
        return None
    prefix, suffix = text[max(0, start - 32) : start], text[end : end + 32]
    try:
        tier, found_start, found_end, _ = find_quote(text, quote, prefix or None, suffix or None, 90)
    except Ambiguous:
        return None
    return (start, end), (tier, found_start, found_end)


# --- the slow path the fast one replaced, kept here only as the reference ----------------------------

_REF_GAPS = re.compile("[\\s" + "".join(sorted(_DROPPED)) + "]+")
_REF_TRANSLATION = str.maketrans(_CHAR_MAP)


@dataclass(frozen=True)
class ReferenceNormalized:
    text: str
    origin: tuple[int, ...]

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def reference_normalize(text: str) -> ReferenceNormalized:
    """normalize(): each grapheme cluster (segmented over the whole text) composed to NFC, its chars mapped
    to its own, then folded as it was before composition came in."""
    chars: list[str] = []
    composed_origin: list[int] = []
    for cluster in regex.finditer(r"\X", text):
        for index, char in enumerate(unicodedata.normalize("NFC", cluster.group())):
            chars.append(char)
            composed_origin.append(cluster.start() + min(index, len(cluster.group()) - 1))
    folded = reference_fold("".join(chars))
    return ReferenceNormalized(folded.text, tuple(composed_origin[index] for index in folded.origin))


def reference_fold(text: str) -> ReferenceNormalized:
    """normalize() as it was: a Python loop over every gap and an origin entry per character."""
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for gap in _REF_GAPS.finditer(text):
        start, end = gap.span()
        if start > position:
            parts.append(text[position:start])
            origin.extend(range(position, start))
        if origin and any(char.isspace() for char in gap.group()):
            parts.append(" ")
            origin.append(start)
        position = end
    if position < len(text):
        parts.append(text[position:])
        origin.extend(range(position, len(text)))
    if parts and parts[-1] == " ":
        parts.pop()
        origin.pop()
    folded = "".join(parts).translate(_REF_TRANSLATION)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return ReferenceNormalized(lowered, tuple(origin))
    chars: list[str] = []
    wide_origin: list[int] = []
    for char, index in zip(folded, origin):
        for part in char.lower():
            chars.append(part)
            wide_origin.append(index)
    return ReferenceNormalized("".join(chars), tuple(wide_origin))


def reference_find_quote(text, quote, prefix, suffix, threshold):
    """find_quote() as it was: the whole article normalized again for every call."""
    spans = _occurrences(text, quote)
    if spans:
        start, end = _choose(text, spans, prefix, suffix)
        return "exact", start, end, 100.0
    folded = reference_normalize(text)
    folded_quote = reference_normalize(quote).text
    if not folded_quote:
        return "orphan", 0, 0, 0.0
    spans = _occurrences(folded.text, folded_quote)
    if spans:
        p, s = reference_normalize(prefix or "").text, reference_normalize(suffix or "").text
        start, end = _choose(folded.text, spans, p, s)
        return ("normalized", *_trimmed(text, *folded.span_in_original(start, end)), 100.0)
    if len(folded_quote) < MIN_FUZZY_LENGTH or len(folded_quote) > len(folded.text):
        return "orphan", 0, 0, 0.0
    best = fuzz.partial_ratio_alignment(folded_quote, folded.text, score_cutoff=threshold)
    if best is None or best.dest_end <= best.dest_start:
        return "orphan", 0, 0, 0.0
    masked = folded.text[: best.dest_start] + "\0" * (best.dest_end - best.dest_start) + folded.text[best.dest_end :]
    rival = fuzz.partial_ratio_alignment(folded_quote, masked, score_cutoff=threshold)
    if rival is not None and rival.score >= best.score - 1:
        if prefix or suffix:
            raise ContextDecides(folded.span_in_original(best.dest_start, best.dest_end), folded.span_in_original(rival.dest_start, rival.dest_end))
        raise Ambiguous(2)
    start, end = folded.span_in_original(best.dest_start, best.dest_end)
    return ("fuzzy", *_whole_words(text, *_trimmed(text, start, end)), round(best.score, 1))


class ContextDecides(Exception):
    """Two fuzzy places score alike and a prefix or suffix is given: find_quote picks by them (or refuses)."""

    def __init__(self, *spans):
        self.spans = spans


def outcome(find, *args):
    try:
        return find(*args)
    except Ambiguous as ambiguous:
        return ("ambiguous", ambiguous.count)


# every whitespace character Python knows (the last is U+3000), the dropped ones, the folded quotes and dashes,
# and characters whose lower case is longer ("İ") or depends on context (final "Σ")
WHITESPACE = [chr(c) for c in range(0x3001) if chr(c).isspace()]
# and what Unicode composes or joins into one grapheme: combining marks, ZWJ, emoji, skin tones, flags, Hangul jamo
TRICKY = WHITESPACE + sorted(_DROPPED) + sorted(_CHAR_MAP) + list("İΣσςẞßAbc.-\"'") + list(
    "e\u0301\u0316\u0327\u212b\u00c5A\u030a\U0001F468\u200d\U0001F469\U0001F3FD\U0001F1EB\U0001F1F7\u1100\u1161\u11a8\r\n"
)
TRICKY_TEXT = st.text(st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=60)


@settings(max_examples=1000, deadline=None)
@given(TRICKY_TEXT)
def test_normalize_matches_the_reference_text_and_every_offset(text):
    fast, slow = normalize(text), reference_normalize(text)
    assert fast.text == slow.text == fold(text)
    assert [fast.origin(i) for i in range(len(fast.text))] == list(slow.origin)
    assert fast.starts[0] == 0 and all(a < b for a, b in zip(fast.starts, fast.starts[1:] + (max(1, len(fast.text)),)))


@pytest.mark.parametrize(
    "text",
    ["", " ", "\u00ad", " \u200b ", "a", " a ", "a\u00ad\u00adb", "a \u00adb", "a\u00ad b", "\n\nA  B\t\tc\u3000",
     "İstanbul  ΑΣ σ\u200bΣ", "x\u2014y \u201cz\u201d  "],
)  # fmt: skip
def test_normalize_matches_the_reference_on_edge_cases(text):
    fast, slow = normalize(text), reference_normalize(text)
    assert fast.text == slow.text
    assert [fast.origin(i) for i in range(len(fast.text))] == list(slow.origin)


ARTICLE_WORDS = st.sampled_from("The river Council vote bridge rose İzmir mayor said ΟΔΟΣ budget in on “at” of—city new old".split())
GAP = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", "\u00a0", "\t ", "\u00ad", " \u200b", "\u3000"])


@settings(max_examples=500, deadline=None)
@given(
    words=st.lists(st.tuples(ARTICLE_WORDS, GAP), min_size=4, max_size=60),
    data=st.data(),
)
def test_find_quote_matches_the_reference_on_every_tier(words, data):
    """Quotes cut from the article and then respaced, re-cased, re-quoted or given a typo: every tier and
    the ambiguity errors come out as the slow path gave them."""
    text = "".join(word + gap for word, gap in words)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 120)))
    quote = text[start:end]
    change = data.draw(st.sampled_from(["none", "spaces", "case", "quotes", "typo", "drop"]))
    if change == "spaces":
        quote = " \n ".join(quote.split(" "))
    elif change == "case":
        quote = quote.upper()
    elif change == "quotes":
        quote = quote.replace("“", '"').replace("—", "-").replace("\u00a0", " ")
    elif change == "typo" and len(quote) > 2:
        cut = data.draw(st.integers(1, len(quote) - 1))
        quote = quote[:cut] + "x" + quote[cut + 1 :]
    elif change == "drop":
        quote = quote.replace("\u00ad", "").replace("\u200b", "")
    prefix = data.draw(st.sampled_from([None, text[max(0, start - 20) : start].upper()]))
    suffix = data.draw(st.sampled_from([None, text[end : end + 20]]))
    for threshold in (90, 80):
        cache: dict = {}
        try:
            expected = outcome(reference_find_quote, text, quote, prefix, suffix, threshold)
        except ContextDecides as tie:
            got = outcome(find_quote, text, quote, prefix, suffix, threshold)
            assert got[0] == "ambiguous" or got[1:3] in [_whole_words(text, *_trimmed(text, *span)) for span in tie.spans]
            continue
        assert outcome(find_quote, text, quote, prefix, suffix, threshold) == expected
        assert outcome(find_quote, text, quote, prefix, suffix, threshold, cache) == expected
        assert outcome(find_quote, text, quote, prefix, suffix, threshold, cache) == expected  # from the cache


ARTICLE = Article("a", SourceLoc("content/articles/a.md"), "A", "Outlet", "outlet", (), "", 1)


def _note(slug, article, quote, prefix=None):
    return Note(slug, SourceLoc(f"content/notes/{slug}.md"), "", 5, article=article, article_line=2, quote=quote, quote_line=3, prefix=prefix)


def test_anchor_notes_normalizes_each_article_once(monkeypatch):
    calls = []
    monkeypatch.setattr(anchor_module, "normalize", lambda text: calls.append(text) or normalize(text))
    text = "The  MAYOR opened the “new” bridge.\n\nCrowds lined the river; the mayor smiled."
    body = render_body(text, 1)
    notes = tuple(_note(f"n{i}", "a", quote) for i, quote in enumerate(["the mayor opened", 'the "new" bridge', "crowds lined", "the river"]))
    anchors = anchor_notes(notes, {"a": ARTICLE}, {"a": body}, 90, ProblemLog())
    assert [a.tier for a in anchors] == ["normalized", "normalized", "normalized", "exact"]
    assert len(calls) == 1


def test_anchor_note_anchors_one_note_like_the_batch():
    body = render_body("It\u2019s the council\u2019s decision now. The river rose; the river rose again.", 1)
    notes = (
        _note("found", "a", "It's the council's decision"),
        _note("lost", "a", "nothing like this at all in the article"),
        _note("twice", "a", "river rose"),
        _note("picked", "a", "river rose", prefix="; the "),
        _note("missing", "gone", "x"),
        _note("whole", "a", None),
        Note("alone", SourceLoc("content/notes/alone.md"), "", 1),
    )
    batch_log, one_log = ProblemLog(), ProblemLog()
    batch = anchor_notes(notes, {"a": ARTICLE}, {"a": body}, 90, batch_log)
    singles = [anchor_note(note, body.text if note.article == "a" else None, 90, one_log) for note in notes]
    assert batch == tuple(a for a in singles if a is not None)
    assert [a and a.tier for a in singles] == ["normalized", "orphan", None, "exact", None, "none", "none"]
    assert (batch_log.errors, batch_log.warnings) == (one_log.errors, one_log.warnings)
    assert [str(p) for p in one_log.errors] == [
        "content/notes/twice.md:3: quote matches 2 places in article 'a'; add a 'prefix' or 'suffix' to pick one",
        "content/notes/missing.md:2: note points to missing article 'gone'",
    ]


# --- Unicode: grapheme clusters and normal forms ------------------------------------------------------

CLUSTERS = st.sampled_from(
    ["e\u0301", "\u00e9", "o\u0308\u0301", "a", "x", " ", "\n\n", "river ", "the ", "\u00c5", "\u212b",
     "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F1EB\U0001F1F7", "\U0001F44D\U0001F3FD", "\u1100\u1161\u11a8", "\uac01"]
)  # fmt: skip


def grapheme_boundaries(text: str) -> set[int]:
    return {cluster.start() for cluster in regex.finditer(r"\X", text)} | {len(text)}


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(CLUSTERS, min_size=2, max_size=40), form=st.sampled_from(["NFC", "NFD", None]), data=st.data())
def test_a_quote_cut_anywhere_anchors_over_it_on_grapheme_boundaries(parts, form, data):
    """Cut at any code point, even inside a letter with its accents or an emoji sequence, a quote's highlight
    covers it and neither starts nor ends inside a cluster."""
    text = unicodedata.normalize(form, "".join(parts)) if form else "".join(parts)
    cut = anchor_a_cut(text, data)
    if cut is None:
        return
    (start, end), (tier, found_start, found_end) = cut
    assert tier == "exact"
    assert found_start <= start and end <= found_end
    assert {found_start, found_end} <= grapheme_boundaries(text)


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(CLUSTERS, min_size=2, max_size=40), form=st.sampled_from(["NFC", "NFD"]), data=st.data())
def test_a_quote_in_the_other_normal_form_anchors_where_it_was_cut(parts, form, data):
    """A whole-cluster quote copied in NFC from an NFD article (or the other way) lands exactly on the passage,
    which keeps the article's own characters."""
    text = unicodedata.normalize(form, "".join(parts))
    boundaries = sorted(grapheme_boundaries(text))
    start = data.draw(st.sampled_from(boundaries[:-1]))
    end = data.draw(st.sampled_from([b for b in boundaries if b > start]))
    passage = text[start:end]
    if passage != passage.strip() or not passage:
        return
    quote = unicodedata.normalize("NFD" if form == "NFC" else "NFC", passage)
    prefix, suffix = text[max(0, start - 32) : start], text[end : end + 32]
    try:
        tier, found_start, found_end, _ = find_quote(text, quote, prefix or None, suffix or None, 90)
    except Ambiguous:
        return
    assert tier in ("exact", "normalized")
    assert (found_start, found_end) == (start, end)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(CLUSTERS, min_size=8, max_size=40), form=st.sampled_from(["NFC", "NFD", None]), data=st.data())
def test_a_mistyped_or_respaced_quote_lands_on_grapheme_boundaries(parts, form, data):
    """Whatever tier finds it (normalized, fuzzy), a highlight starts and ends between whole characters."""
    text = unicodedata.normalize(form, "".join(parts)) if form else "".join(parts)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    change = data.draw(st.sampled_from(["upper", "typo", "nfc", "nfd"]))
    if change == "upper":
        quote = quote.upper()
    elif change == "typo" and len(quote) > 2:
        cut = data.draw(st.integers(1, len(quote) - 1))
        quote = quote[:cut] + "x" + quote[cut + 1 :]
    elif change in ("nfc", "nfd"):
        quote = unicodedata.normalize(change.upper(), quote)
    try:
        tier, found_start, found_end, _ = find_quote(text, quote, None, None, 80)
    except Ambiguous:
        return
    if tier != "orphan":
        assert {found_start, found_end} <= grapheme_boundaries(text)


def test_the_composition_map_finds_the_article_chars_of_each_composed_one():
    text = "Cafe\u0301  A\u030a\u212b \U0001F44D\U0001F3FD e\u0316\u0301"
    folded = normalize(text)
    assert folded.text == "café åå 👍🏽 " + unicodedata.normalize("NFC", "e\u0316\u0301")
    start = folded.text.index("åå")
    assert cluster_span(text, *folded.span_in_original(start, start + 2)) == (7, 10)


# --- the fuzzy tier: prefix/suffix, and work that grows with the article, not the article times the quote -

def _prose(words: int, seed: int) -> str:
    vocabulary = "the river council vote bridge rose mayor said budget city new old plan water road school harbour".split()
    state = seed
    chosen = []
    for _ in range(words):
        state = (state * 1103515245 + 12345) % 2**31
        chosen.append(vocabulary[state % len(vocabulary)])
    return " ".join(chosen)


def test_a_long_near_miss_quote_costs_the_article_times_a_part_not_times_the_quote(monkeypatch):
    """rapidfuzz's work is the needle's length times the haystack's; a long quote is sought by parts of fixed
    length, then aligned whole only in a window, so the article is multiplied by the part, not the quote."""
    from rapidfuzz import fuzz

    text = _prose(40_000, seed=1)
    start = text.index(" ", len(text) // 2) + 1
    passage = text[start : text.index(" ", start + 3000)]
    quote = passage[:1000] + "X" + passage[1001:2000] + "Y" + passage[2001:]
    work = []
    real = fuzz.partial_ratio_alignment
    monkeypatch.setattr(fuzz, "partial_ratio_alignment", lambda needle, haystack, **kw: work.append(len(needle) * len(haystack)) or real(needle, haystack, **kw))
    tier, found_start, found_end, similarity = find_quote(text, quote, None, None, 90)
    assert (tier, found_start, found_end) == ("fuzzy", start, start + len(passage)) and similarity >= 99
    assert sum(work) <= 2 * PARTS_TRIED * PART_LENGTH * len(text) + 2 * PARTS_TRIED * len(quote) * 2 * len(quote)
    assert sum(work) < len(quote) * len(text)  # what one search of the whole quote over the whole text costs


def test_a_long_near_miss_quote_of_a_repeated_passage_is_picked_by_its_prefix():
    passage = _prose(120, seed=7)
    text = "Before. " + passage + " In between the two. " + passage + " After."
    quote = passage[:300] + "X" + passage[301:]
    with pytest.raises(Ambiguous):
        find_quote(text, quote, None, None, 90)
    tier, found_start, _, _ = find_quote(text, quote, "In between the two. ", None, 90)
    assert (tier, found_start) == ("fuzzy", text.rindex(passage))
