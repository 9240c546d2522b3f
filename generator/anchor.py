"""The anchor stage: each note's quote is found in its article's plain text.

Hypothesis's lesson is that a highlight silently re-attached to the wrong words is
worse than a lost one. So the search goes from strict to loose and stops at the first
tier with an answer: exact, then normalised (whitespace, nbsp, quotes, dashes, soft
hyphens, case, Unicode normal form), then fuzzy above a strict similarity with a
unique best match. A quote that matches more than once must be told apart by
prefix/suffix; one that matches nowhere is an orphan, reported and never guessed.
Whatever the tier, a range never starts or ends inside a user-perceived character
(a letter and its accents, an emoji sequence): it is widened to whole ones.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote as percent_encode

import regex

from generator.errors import ProblemLog
from generator.memo import Memo
from generator.records import Anchor, Article, Note, RenderedBody

EXACT, NORMALIZED, FUZZY, ORPHAN, NONE = "exact", "normalized", "fuzzy", "orphan", "none"
MIN_FUZZY_LENGTH = 20

_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
}  # fmt: skip
_DROPPED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_DROPPED_CHARS = "".join(sorted(_DROPPED))
_SPACED_GAP = re.compile(f"[{_DROPPED_CHARS}]*\\s[\\s{_DROPPED_CHARS}]*")  # a gap with whitespace: one space
_INVISIBLE_GAP = re.compile(f"[{_DROPPED_CHARS}]+")  # a gap of invisible characters only: nothing
_LEADING_GAP = re.compile(f"[\\s{_DROPPED_CHARS}]*")
_SHIFTING_GAP = re.compile(f"[\\s{_DROPPED_CHARS}][\\s{_DROPPED_CHARS}]+|[{_DROPPED_CHARS}]")  # all gaps but a lone space
_SHIFTING_SPACE = re.compile("\\s\\s+")  # the same in a text without invisible characters (several times faster)
_TRANSLATION = str.maketrans(_CHAR_MAP)
_CLUSTER = regex.compile(r"\X")  # an extended grapheme cluster: what a reader sees as one character
# A char that NFC may change: one that is not NFC-stable on its own, or a combining mark (marks get reordered).
_MAY_COMPOSE = regex.compile(r"[\p{NFC_QC=N}\p{NFC_QC=M}\P{ccc=0}]")
_JOINS_NOTHING = "\u0300"  # no char below this joins a cluster with its neighbour (but CR with LF)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Text folded for loose matching, with a map back to the original offsets.

    The map is a list of runs: folded chars from `starts[i]` up to `starts[i + 1]` come
    from consecutive original chars starting at `origins[i]`. Only gaps that fold to a
    different length (a whitespace run, invisible characters) start a new run, so an
    article has a few dozen runs, not one entry per character.
    """

    text: str
    starts: tuple[int, ...]
    origins: tuple[int, ...]

    def origin(self, index: int) -> int:
        """The original offset of folded char `index`."""
        run = bisect_right(self.starts, index) - 1
        return self.origins[run] + index - self.starts[run]

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        return self.origin(start), self.origin(end - 1) + 1


def normalize(text: str) -> NormalizedText:
    """Fold `text` for loose matching: composed (NFC), one space per whitespace run, invisible
    characters dropped, quotes and dashes made plain, lower case; remembering each char's origin."""
    composed, composed_starts, composed_origins = _composed(text)
    folded, starts, origins = _folded(composed)
    if composed is not text:
        starts, origins = _through(starts, origins, len(folded), composed_starts, composed_origins)
    return NormalizedText(folded, tuple(starts), tuple(origins))


def fold(text: str) -> str:
    """`normalize(text).text`, without the offset map (for quotes, prefixes and suffixes)."""
    composed = _composed(text)[0]
    folded = _collapse(composed, _has_invisible(composed)).translate(_TRANSLATION)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        return "".join(char.lower() for char in folded)
    return lowered


def _folded(text: str) -> tuple[str, list[int], list[int]]:
    """The folding of `normalize` but the composition, with its run map."""
    invisible = _has_invisible(text)
    folded = _collapse(text, invisible).translate(_TRANSLATION)
    starts, origins = _offset_runs(text, invisible)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        lowered, starts, origins = _lower_each(folded, starts, origins)
    return lowered, starts, origins


def _composed(text: str) -> tuple[str, list[int], list[int]]:
    """`text` in NFC, one grapheme cluster at a time, with its run map (see NormalizedText):
    `text` itself when it is in NFC already, as nearly every article is.

    A reader's copy and the article may spell "é" differently (one code point, or "e" and
    a combining accent), so loose matching compares both composed. A composed cluster's
    chars map to its own first chars; a range found is widened to whole clusters anyway."""
    if unicodedata.is_normalized("NFC", text):
        return text, [0], [0]
    parts: list[str] = []
    starts, origins = [0], [0]
    copied = length = 0  # text[:copied] is handled; `length` chars of output so far
    for mark in _MAY_COMPOSE.finditer(text):
        if mark.start() < copied:
            continue  # in the cluster just composed
        start, end = cluster_span(text, mark.start(), mark.end())
        cluster = text[start:end]
        composed = unicodedata.normalize("NFC", cluster)
        if composed == cluster:
            continue
        parts.append(text[copied:start])
        length += start - copied
        starts.append(length)
        origins.append(start)
        parts.append(composed)
        for extra in range(len(cluster), len(composed)):  # a cluster NFC makes longer: its last char's origin
            starts.append(length + extra)
            origins.append(end - 1)
        length += len(composed)
        starts.append(length)
        origins.append(end)
        copied = end
    parts.append(text[copied:])
    return "".join(parts), starts, origins


def _through(starts: list[int], origins: list[int], length: int, inner_starts: list[int], inner_origins: list[int]) -> tuple[list[int], list[int]]:
    """The run map of two foldings one after the other: runs (`starts`, `origins`) over a
    text of `length` chars pointing into a text whose own runs point into the original."""
    if not length:
        return [0], [origins[0]]
    new_starts: list[int] = []
    new_origins: list[int] = []
    ends = starts[1:] + [length]
    for start, end, origin in zip(starts, ends, origins):
        position, stop = origin, origin + end - start
        run = bisect_right(inner_starts, position) - 1
        while position < stop:
            run_end = inner_starts[run + 1] if run + 1 < len(inner_starts) else stop
            piece_end = min(stop, run_end)
            if piece_end > position:
                new_starts.append(start + position - origin)
                new_origins.append(inner_origins[run] + position - inner_starts[run])
                position = piece_end
            run += 1
    return new_starts, new_origins


def cluster_span(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] widened to whole grapheme clusters: a highlight that began or ended
    inside one would split a letter from its accent, or an emoji family into its people."""
    return _cluster_start(text, start), _cluster_end(text, end)


def _cluster_start(text: str, index: int) -> int:
    if _surely_boundary(text, index):
        return index
    for cluster in _CLUSTER.finditer(text, _boundary_before(text, index)):
        if cluster.end() > index:
            return cluster.start()
    return len(text)


def _cluster_end(text: str, index: int) -> int:
    if _surely_boundary(text, index):
        return index
    for cluster in _CLUSTER.finditer(text, _boundary_before(text, index)):
        if cluster.end() >= index:
            return cluster.end()
    return len(text)


def _surely_boundary(text: str, index: int) -> bool:
    """Whether a cluster boundary is at `index`, known from its two neighbours alone: the
    text's ends, two chars that join nothing (most of Latin text), or a line break's side."""
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before == "\r" and after == "\n":
        return False
    return (before < _JOINS_NOTHING and after < _JOINS_NOTHING) or before == "\n" or after in "\r\n"


def _boundary_before(text: str, index: int) -> int:
    """A cluster boundary before `index` known without segmenting, to segment from: `regex`
    takes the position it starts at as a boundary. Usually a char or two back."""
    index -= 1
    while not _surely_boundary(text, index):
        index -= 1
    return index


def _has_invisible(text: str) -> bool:
    return any(char in text for char in _DROPPED_CHARS)


def _collapse(text: str, invisible: bool) -> str:
    """Each gap (a run of whitespace and invisible characters) made one space if it holds
    whitespace, else nothing; none at either end."""
    if not invisible:
        return " ".join(text.split())  # str.split and re's \s agree on what whitespace is
    return _INVISIBLE_GAP.sub("", _SPACED_GAP.sub(" ", text)).strip(" ")


def _offset_runs(text: str, invisible: bool) -> tuple[list[int], list[int]]:
    """The run map of `_collapse(text)` (see NormalizedText): a lone whitespace char folds
    to one space in place, so only the other gaps start a run."""
    leading = _LEADING_GAP.match(text)  # matches at every start, if only nothing
    position = leading.end() if leading else 0
    starts, origins = [0], [position]
    folded_at = 0
    for gap in (_SHIFTING_GAP if invisible else _SHIFTING_SPACE).finditer(text, position):
        start, end = gap.span()
        if end == len(text):
            break  # a trailing gap folds to nothing
        folded_at += start - position + (1 if gap.group().strip(_DROPPED_CHARS) else 0)
        position = end
        starts.append(folded_at)
        origins.append(position)
    return starts, origins


def _lower_each(folded: str, starts: list[int], origins: list[int]) -> tuple[str, list[int], list[int]]:
    """Lower-case char by char when a char lower-cases to two ("İ"): both keep its origin
    (and, char by char, a final "Σ" stays "σ", as it always has)."""
    ends = starts[1:] + [len(folded)]
    origin = [index for run_start, run_end, first in zip(starts, ends, origins) for index in range(first, first + run_end - run_start)]
    chars: list[str] = []
    new_starts: list[int] = []
    new_origins: list[int] = []
    for char, index in zip(folded, origin):
        for part in char.lower():
            if not new_starts or index != new_origins[-1] + len(chars) - new_starts[-1]:
                new_starts.append(len(chars))
                new_origins.append(index)
            chars.append(part)
    return "".join(chars), new_starts, new_origins


class Ambiguous(Exception):
    """The quote (with its prefix/suffix) fits more than one place equally well."""

    def __init__(self, count: int):
        self.count = count


def find_quote(
    text: str,
    quote: str,
    prefix: str | None,
    suffix: str | None,
    threshold: float,
    normalized: dict[str, NormalizedText] | None = None,
) -> tuple[str, int, int, float]:
    """(tier, start, end, similarity) of `quote` in `text`; raises Ambiguous.

    `normalized` caches `normalize(text)` by text across calls (anchor_notes passes one
    per build, so an article is normalized once however many of its notes need it)."""
    spans = _occurrences(text, quote)
    if spans:
        start, end = _choose(text, spans, prefix, suffix)
        return (EXACT, *cluster_span(text, start, end), 100.0)
    folded_quote = fold(quote)
    if not folded_quote:
        return ORPHAN, 0, 0, 0.0
    folded = _normalized(text, normalized)
    folded_prefix, folded_suffix = fold(prefix or ""), fold(suffix or "")
    spans = _occurrences(folded.text, folded_quote)
    if spans:
        start, end = spans[0] if len(spans) == 1 else _choose(folded.text, spans, folded_prefix, folded_suffix)
        return (NORMALIZED, *cluster_span(text, *_trimmed(text, *folded.span_in_original(start, end))), 100.0)
    if len(folded_quote) < MIN_FUZZY_LENGTH or len(folded_quote) > len(folded.text):
        return ORPHAN, 0, 0, 0.0
    found = _fuzzy(folded_quote, folded.text, threshold, folded_prefix, folded_suffix)
    if found is None:
        return ORPHAN, 0, 0, 0.0
    start, end = folded.span_in_original(found.start, found.end)
    return (FUZZY, *cluster_span(text, *_whole_words(text, *_trimmed(text, start, end))), round(found.score, 1))


class Alignment(NamedTuple):
    """Where a quote aligns best in a text (folded both), and how well (0-100)."""

    start: int
    end: int
    score: float


MAX_RIVALS = 10  # alignments compared by prefix/suffix at most; more and the quote is too common to pick by context
LONG_QUOTE = 400  # a fuzzy quote longer than this is first sought by parts of it (see _align)
PART_LENGTH = 200
PARTS_TRIED = 3  # its first, last and middle parts


def _fuzzy(quote: str, text: str, threshold: float, prefix: str, suffix: str) -> Alignment | None:
    """The best alignment of `quote` in `text` at `threshold` or above. Another one within a
    point of it makes the quote Ambiguous, unless prefix/suffix (folded) fit the
    surroundings of one of them better than the others'."""
    found = _alignments(quote, text, threshold, MAX_RIVALS if prefix or suffix else 2)
    if len(found) <= 1:
        return found[0] if found else None
    if not prefix and not suffix:
        raise Ambiguous(len(found))
    return _best_in_context(text, found, prefix, suffix)


def _alignments(quote: str, text: str, threshold: float, most: int) -> list[Alignment]:
    """The best alignment, then the next best with the ones found masked out, while each
    scores within a point of the best; `most` at most."""
    best = _align(quote, text, threshold)
    if best is None:
        return []
    found = [best]
    masked = text
    while len(found) < most:
        last = found[-1]
        masked = masked[: last.start] + "\0" * (last.end - last.start) + masked[last.end :]
        rival = _align(quote, masked, threshold)
        if rival is None or rival.score < best.score - 1:
            break
        found.append(rival)
    return found


def _best_in_context(text: str, found: list[Alignment], prefix: str, suffix: str) -> Alignment:
    """The alignment whose surroundings are most like `prefix` and `suffix`. A fuzzy match's
    ends may be off by a char or two, so the context is compared fuzzily too."""
    from rapidfuzz import fuzz

    def fit(alignment: Alignment) -> float:
        score = 0.0
        if prefix:
            score += fuzz.partial_ratio(prefix, text[max(0, alignment.start - len(prefix) - 8) : alignment.start])
        if suffix:
            score += fuzz.partial_ratio(suffix, text[alignment.end : alignment.end + len(suffix) + 8])
        return round(score, 1)

    fits = [fit(alignment) for alignment in found]
    winners = [alignment for alignment, score in zip(found, fits) if score == max(fits)]
    if len(winners) > 1:
        raise Ambiguous(len(winners))
    return winners[0]


def _align(quote: str, text: str, threshold: float) -> Alignment | None:
    """The best alignment of `quote` in `text` scoring `threshold` or more, or None.

    rapidfuzz compares the quote with every window of the text, which costs the text's
    length times the quote's: a long quote on a long article took seconds. A long quote
    is first sought by a few of its parts of PART_LENGTH chars, then aligned whole only in
    a window around each place a part lands: linear in the text. The typos of a quote at
    the threshold are spread over its parts, so some part is about as similar as the
    whole; only typos crowded into every part tried lose the quote.
    """
    from rapidfuzz import fuzz  # imported when a quote needs it, so processes with no fuzzy quote never pay for it

    if len(quote) <= LONG_QUOTE:
        return _aligned(fuzz.partial_ratio_alignment(quote, text, score_cutoff=threshold), 0)
    slack = len(quote) // 4
    last = len(quote) - PART_LENGTH
    best = None
    for offset in (0, last, last // 2)[:PARTS_TRIED]:
        part = _aligned(fuzz.partial_ratio_alignment(quote[offset : offset + PART_LENGTH], text, score_cutoff=threshold), 0)
        if part is None or (best is not None and best.start <= part.start < best.end):
            continue  # nowhere, or inside the alignment already found
        low = max(0, part.start - offset - slack)
        window = text[low : part.start - offset + len(quote) + slack]
        found = _aligned(fuzz.partial_ratio_alignment(quote, window, score_cutoff=threshold), low)
        if found is not None and (best is None or found.score > best.score):
            best = found
    return best


def _aligned(alignment, offset: int) -> Alignment | None:
    """rapidfuzz's alignment as an Alignment in the text `offset` chars before its window; None when empty."""
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    return Alignment(alignment.dest_start + offset, alignment.dest_end + offset, alignment.score)


def _normalized(text: str, cache: dict[str, NormalizedText] | None) -> NormalizedText:
    if cache is None:
        return normalize(text)
    folded = cache.get(text)
    if folded is None:
        folded = cache[text] = normalize(text)
    return folded


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(quote)
    while start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def _choose(text: str, spans: list[tuple[int, int]], prefix: str | None, suffix: str | None) -> tuple[int, int]:
    """The one span that prefix/suffix pick out; Ambiguous when several remain."""
    if len(spans) == 1:
        return spans[0]

    def context_score(span: tuple[int, int]) -> int:
        before = text[max(0, span[0] - 200) : span[0]].rstrip()
        after = text[span[1] : span[1] + 200].lstrip()
        score = 0
        if prefix:
            score += _common_suffix(before, prefix.rstrip())
        if suffix:
            score += _common_prefix(after, suffix.lstrip())
        return score

    if not prefix and not suffix:
        raise Ambiguous(len(spans))
    scores = [context_score(span) for span in spans]
    best = max(scores)
    winners = [span for span, score in zip(spans, scores) if score == best]
    if len(winners) > 1 or best == 0:
        raise Ambiguous(len(winners) if best else len(spans))
    return winners[0]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy range that stops inside a word: an alignment may be off by the typo's length."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def anchor_notes(
    notes: tuple[Note, ...],
    articles_by_slug: Mapping[str, Article],
    bodies: dict[str, RenderedBody],
    threshold: float,
    log: ProblemLog,
    memo: Memo | None = None,
) -> tuple[Anchor, ...]:
    """Anchor every note; errors for missing articles and ambiguous quotes, warnings for orphans and fuzzy matches.

    A note whose record, article text, standfirst and captions are the ones of the last build (in `memo`) keeps its anchor.
    """
    memo = memo if memo is not None else Memo()
    normalized: dict[str, NormalizedText] = {}  # each article's text is normalized at most once
    anchors = []
    for note in notes:
        article = articles_by_slug.get(note.article) if note.article is not None else None
        text = bodies[article.slug].text if article is not None else None
        anchor, problems = anchored(note, text, threshold, memo, normalized, others_of(article))
        log.extend(problems)
        if anchor is not None:
            anchors.append(anchor)
    return tuple(anchors)


def anchored_text(anchor: Anchor, body_text: str, article: Article) -> str:
    """The text `anchor`'s offsets count in: the article's body text, its standfirst, or one figure's caption."""
    if anchor.standfirst:
        return article.subtitle or ""
    return body_text if anchor.figure is None else article.images[anchor.figure].caption or ""


class OtherTexts(NamedTuple):
    """What an article's page shows of the article besides its body, where a reader may
    highlight too: its standfirst (the subtitle under the title) and its figures' captions
    (by image index, "" for an image without one)."""

    standfirst: str = ""
    captions: tuple[str, ...] = ()


NO_OTHER_TEXTS = OtherTexts()
STANDFIRST = "standfirst"  # find_in_article's place for a quote found in the standfirst


def others_of(article: Article | None) -> OtherTexts:
    if article is None:
        return NO_OTHER_TEXTS
    return OtherTexts(article.subtitle or "", tuple(image.caption or "" for image in article.images))


def text_of_place(place: int | str | None, text: str, others: OtherTexts) -> str:
    """The text that find_in_article's `place` names: the body `text`, the standfirst or a caption."""
    if place is None:
        return text
    return others.captions[place] if isinstance(place, int) else others.standfirst


def anchored(
    note: Note,
    text: str | None,
    threshold: float,
    memo: Memo,
    normalized: dict[str, NormalizedText] | None = None,
    others: OtherTexts = NO_OTHER_TEXTS,
) -> tuple[Anchor | None, ProblemLog]:
    """One note's anchor in its article's `text` and `others` (see anchor_note) with its
    problems; the last build's (in `memo`) when made from the same note and text (the same
    objects) and equal other texts (a few short strings, made anew from the article each build)."""
    return memo.reuse(
        ("anchor", note.slug), (note, text), (threshold, others), lambda: _anchored(note, text, threshold, normalized, others)
    )


def _anchored(
    note: Note, text: str | None, threshold: float, normalized: dict[str, NormalizedText] | None, others: OtherTexts
) -> tuple[Anchor | None, ProblemLog]:
    problems = ProblemLog()
    return anchor_note(note, text, threshold, problems, normalized, others), problems


def anchor_note(
    note: Note,
    article_text: str | None,
    threshold: float,
    log: ProblemLog,
    normalized: dict[str, NormalizedText] | None = None,
    others: OtherTexts = NO_OTHER_TEXTS,
) -> Anchor | None:
    """Anchor one note in `article_text`, the plain text of its article (None: no such article),
    or in its standfirst or one of its figures' captions (`others`, see find_in_article).

    Returns the Anchor, or None after an error (missing article, ambiguous quote); the
    error, and a warning for an orphan or a fuzzy match, go to `log`. The result and the
    problems depend only on the note, `article_text`, `others` and `threshold`, so a caller
    may memoize them. `normalized` is an optional cache shared across calls (see find_quote).
    """
    if note.article is None:
        return Anchor(note.slug, "", NONE)
    if article_text is None:
        log.error(note.loc.at_line(note.article_line), f"note points to missing article '{note.article}'")
        return None
    if note.quote is None:
        return Anchor(note.slug, note.article, NONE)
    try:
        place, (tier, start, end, similarity) = find_in_article(
            article_text, others, note.quote, note.prefix, note.suffix, threshold, normalized
        )
    except Ambiguous as ambiguous:
        log.error(
            note.loc.at_line(note.quote_line),
            f"quote matches {ambiguous.count} places in article '{note.article}'; add a 'prefix' or 'suffix' to pick one",
        )
        return None
    if tier == ORPHAN:
        log.warn(note.loc.at_line(note.quote_line), f"quote not found in article '{note.article}'")
    elif tier == FUZZY:
        log.warn(note.loc.at_line(note.quote_line), f"quote matched with {similarity:.0f}% similarity in article '{note.article}'")
    figure = place if isinstance(place, int) else None
    return Anchor(note.slug, note.article, tier, start, end, similarity, figure, place == STANDFIRST)


_TIER_RANK = {EXACT: 2, NORMALIZED: 1, FUZZY: 0}


def find_in_article(
    text: str,
    others: OtherTexts,
    quote: str,
    prefix: str | None,
    suffix: str | None,
    threshold: float,
    normalized: dict[str, NormalizedText] | None = None,
) -> tuple[int | str | None, tuple[str, int, int, float]]:
    """(place, find_quote's answer): where `quote` is, in the body `text` (place None), in the
    standfirst (STANDFIRST) or in the caption of figure i (i). A reader may highlight what the
    page shows around the text as well as the text. The body comes first; the others are
    looked at only when the body has no exact or normalized match, and win over a fuzzy one
    only with a better tier or similarity. Two places alike are Ambiguous, as two in the body are."""
    found = find_quote(text, quote, prefix, suffix, threshold, normalized)
    if found[0] in (EXACT, NORMALIZED) or not (others.standfirst or any(others.captions)):
        return None, found
    places: list[tuple[int | str | None, tuple[str, int, int, float]]] = [(None, found)] if found[0] != ORPHAN else []
    beside: list[tuple[int | str, str]] = [(STANDFIRST, others.standfirst), *enumerate(others.captions)]
    for place, other in beside:
        if other:
            in_other = find_quote(other, quote, prefix, suffix, threshold)
            if in_other[0] != ORPHAN:
                places.append((place, in_other))
    if not places:
        return None, found
    rank = lambda place: (_TIER_RANK[place[1][0]], place[1][3])  # noqa: E731
    best = max(rank(place) for place in places)
    winners = [place for place in places if rank(place) == best]
    if len(winners) > 1:
        raise Ambiguous(len(winners))
    return winners[0]


# A sentence ends after its punctuation, any closing quotes or brackets, and the spaces after
# them; a paragraph ends at a blank line. The match starts with the punctuation (not after it,
# with a lookbehind, which the engine would try at every character: 1.7x slower).
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*\s+|\n\n")

# Titles written before a name, whose full stop ends no sentence ("Sen. Warren", "Dr. Lind").
_TITLES = frozenset("mr mrs ms dr prof sen rep gov gen lt col sgt capt maj adm rev st mt ft vs cf e.g i.e".split())


def _sentence_ends(text: str, low: int = 0, high: int | None = None) -> list[int]:
    """Where the sentences ending in text[low:high] end (see _SENTENCE_END), less the full
    stops that end none: before a word in lower case ("the U.S. military"), after a title
    or after an initial ("John F. Kennedy"). What decides is read from `text` whole, so a
    window finds the ends a scan of the whole text finds there."""
    ends = []
    for match in _SENTENCE_END.finditer(text, low, len(text) if high is None else high):
        if text[match.start()] == "." and _continues(text, match.start(), match.end()):
            continue
        ends.append(match.end())
    return ends


def _continues(text: str, stop: int, after: int) -> bool:
    """Whether the full stop at `stop` (followed by text[after:]) is inside a sentence."""
    if after < len(text) and text[after].islower():
        return True
    word_start = stop
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:stop]
    return word.lower() in _TITLES or (len(word) == 1 and word.isupper())


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The quote with the sentence before and the sentence after it.

    Returns (before, passage, after), each whitespace-collapsed, for showing a quote in context.
    `before` ends and `after` starts with a space only where the text has one: a quote cut
    from inside quotation marks or a word stays joined to them.
    """
    boundaries = _boundaries_near(text, start, end) or sentence_boundaries(text)
    starts = [b for b in boundaries if b <= start]
    sentence_start = starts[-2] if len(starts) >= 2 else starts[-1]
    ends = [b for b in boundaries if b >= end]
    sentence_end = ends[1] if len(ends) >= 2 else ends[0]
    squash = lambda s: " ".join(s.split())  # noqa: E731
    before, after = squash(text[sentence_start:start]), squash(text[end:sentence_end])
    if before and text[start - 1].isspace():
        before += " "
    if after and text[end].isspace():
        after = " " + after
    return before, squash(text[start:end]), after


SENTENCE_WINDOW = 600  # characters on each side of a quote looked at first for its sentences (two of them)


def _boundaries_near(text: str, start: int, end: int) -> list[int] | None:
    """The sentence boundaries around text[start:end] that sentence_around needs (two at or
    before `start`, two at or after `end`), found in a window, or None when it holds fewer.

    A note page shows its quote in context, and an article is long: scanning it whole for
    every note costs more than the rest of the page. The window's edges are put on letters
    or digits, which no sentence end contains, so the ends found inside it are exactly the
    ones a scan of the whole text finds there.
    """
    low, high = max(0, start - SENTENCE_WINDOW), min(len(text), end + SENTENCE_WINDOW)
    while 0 < low < start and not text[low].isalnum():
        low += 1
    while high < len(text) and not text[high].isalnum():
        high += 1
    inside = _sentence_ends(text, low, high)
    boundaries = ([0] if low == 0 else []) + inside + ([len(text)] if high == len(text) else [])
    enough_before = sum(1 for b in boundaries if b <= start) >= 2 or low == 0
    enough_after = sum(1 for b in boundaries if b >= end) >= 2 or high == len(text)
    return boundaries if enough_before and enough_after else None


def sentence_at(text: str, offset: int, boundaries: list[int] | None = None) -> str:
    """The sentence of `text` that holds `offset`, whitespace-collapsed.

    `boundaries` (from sentence_boundaries) saves finding them again for each offset in one text.
    """
    boundaries = boundaries or sentence_boundaries(text)
    index = bisect_right(boundaries, offset)
    start = boundaries[index - 1]
    end = boundaries[index] if index < len(boundaries) else len(text)
    return " ".join(text[start:end].split())


def sentence_boundaries(text: str) -> list[int]:
    """Where sentences of `text` start, in order: 0, every sentence end, and len(text)."""
    return [0, *_sentence_ends(text), len(text)]


def text_fragment(passage: str) -> str:
    """A URL text fragment (`#:~:text=...`) that finds `passage` on the source page."""
    words = passage.split()
    encode = lambda s: percent_encode(s, safe="").replace("-", "%2D")  # noqa: E731
    if len(words) <= 8:
        return "#:~:text=" + encode(" ".join(words))
    return "#:~:text=" + encode(" ".join(words[:4])) + "," + encode(" ".join(words[-4:]))
