"""`sitegen note`: capture a highlight as a new note file in one command.

The quote is checked against the article before anything is written, so a note made
here always anchors; the file is created atomically and never replaces another.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.anchor import (
    EXACT,
    FUZZY,
    NO_OTHER_TEXTS,
    NONE,
    NORMALIZED,
    Ambiguous,
    OtherTexts,
    find_in_article,
    find_quote,
    fold,
    normalize,
    others_of,
    text_of_place,
)
from generator.config import load_config
from generator.content.load import read_text, slugs_in
from generator.content.parse import parse_article
from generator.errors import ProblemLog, SiteError, SourceLoc, did_you_mean
from generator.markdown.render import render_body
from generator.records import SourceFile
from generator.slugs import readable_slug

MAX_SLUG_WORDS = 6
MAX_SLUG_PARTS = 8  # a Chinese or Japanese quote has no spaces: its first six words are all of it
CONTEXT_CHARS = 40  # shown on each side of each place an ambiguous quote was found
PREFIX_WORDS = 4  # words before a place suggested as its --prefix
_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.|\[\u2026\]|\[\.\.\.\])\s*")


@dataclass(frozen=True, slots=True)
class WrittenNote:
    """The note file written, and how its quote anchors (as the build will anchor it)."""

    path: Path
    tier: str  # exact, normalized or none (an article-level note); a fuzzy quote is never written
    quote: str | None


def write_note(
    root: Path,
    article_slug: str,
    quote: str | None,
    *,
    tags: tuple[str, ...] = (),
    slug: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    body: str | Callable[[], str] = "",
    use_exact: bool = False,
    confirm: Callable[[str], bool] | None = None,
    today: datetime.date,
) -> WrittenNote:
    """Write content/notes/<slug>.md for a passage of `article_slug` (or the whole article).

    A quote that is close to the article's wording but not it (a typo, words left out at an
    ellipsis) is written as the article's wording when `use_exact` or `confirm(wording)` says
    so, and refused otherwise: written as typed, it would anchor only fuzzily, with a warning
    at every build, or not at all. `body` may be a function (an editor session): it is called
    once the quote is placed, so that nothing is typed for a note that is then refused."""
    config = load_config(root)
    articles = slugs_in(root / "content" / "articles")
    path = articles.get(article_slug)
    if path is None:
        known = [p.stem for p in articles.values()]
        raise SiteError.at(SourceLoc(article_slug), f"no article '{article_slug}'{did_you_mean(article_slug, known)}")
    rel = path.relative_to(root).as_posix()
    log = ProblemLog()
    article = parse_article(SourceFile(rel, "articles", read_text(path, root, rel)), log)
    log.raise_errors()
    assert article is not None
    tier = NONE
    if quote is not None:
        quote = " ".join(quote.split())
        if not quote:
            raise SiteError.at(SourceLoc(rel), "the quote is empty")
        text = render_body(article.body, article.body_line, allow_html=config.allow_html).text
        tier, quote = place_quote(rel, text, quote, prefix, suffix, config.fuzzy_threshold, use_exact, confirm, others_of(article))
    notes = root / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    taken = slugs_in(notes)
    base = slug or note_slug(quote or f"on {article.title}")
    if slug and slug in taken:
        existing = taken[slug].relative_to(root).as_posix()
        raise SiteError.at(SourceLoc(existing), "a note with this slug exists already; choose another --slug")
    front: dict[str, object] = {"article": article.slug}
    if quote is not None:
        front["quote"] = quote
        if prefix:
            front["prefix"] = prefix
        if suffix:
            front["suffix"] = suffix
    front["tags"] = list(tags)
    front["created"] = today
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100000) + "---\n\n"
    body = body() if callable(body) else body
    if body.strip():
        text += body.strip("\n") + "\n"
    return WrittenNote(create_unique(notes, base, text, taken.keys()).relative_to(root), tier, quote)



def note_slug(words: str) -> str:
    """The slug of a new note, made from its quote (or what names it without one): its first words,
    transliterated (readable_slug) so that a note on an Arabic or Chinese passage has a name one can
    read, and at most MAX_SLUG_PARTS parts. Every command that writes notes names them this way."""
    return "-".join(readable_slug(" ".join(words.split()[:MAX_SLUG_WORDS])).split("-")[:MAX_SLUG_PARTS])


def place_quote(
    rel: str,
    text: str,
    quote: str,
    prefix: str | None,
    suffix: str | None,
    threshold: float,
    use_exact: bool,
    confirm: Callable[[str], bool] | None,
    others: OtherTexts = NO_OTHER_TEXTS,
) -> tuple[str, str]:
    """(tier, quote to write) for `quote` in the article text `text` (or its standfirst or a figure's caption, `others`),
    or a SiteError that says what to do: the places of an ambiguous quote, the article's wording
    for a near miss."""
    try:
        source, (tier, start, end, similarity) = located(text, quote, prefix, suffix, threshold, others)
    except Ambiguous as ambiguous:
        raise SiteError.at(SourceLoc(rel), ambiguous_message(text, quote, ambiguous.count)) from None
    if tier in (EXACT, NORMALIZED):
        return tier, quote
    wording = " ".join(source[start:end].split()) if tier == FUZZY else elided_wording(text, quote, threshold)
    if wording is None:
        raise SiteError.at(SourceLoc(rel), "quote not found in the article; copy it again from the article page")
    if use_exact or (confirm is not None and confirm(wording)):
        try:
            _, (exact_tier, *_) = located(text, wording, prefix, suffix, threshold, others)
        except Ambiguous as ambiguous:
            raise SiteError.at(SourceLoc(rel), ambiguous_message(text, wording, ambiguous.count)) from None
        return exact_tier, wording
    close = f" ({similarity:.0f}% similar)" if tier == FUZZY else " (with words left out)"
    raise SiteError.at(
        SourceLoc(rel), f'quote is not the article\'s wording{close}; the article says: "{wording}" (rerun with --use-exact to use it)'
    )


def located(
    text: str, quote: str, prefix: str | None, suffix: str | None, threshold: float, others: OtherTexts = NO_OTHER_TEXTS
) -> tuple[str, tuple[str, int, int, float]]:
    """(the text `quote` was found in, find_quote's answer): where the build anchors notes (the
    article's text, its standfirst or a figure's caption), so that a note written here anchors in the build as it did here."""
    place, found = find_in_article(text, others, quote, prefix, suffix, threshold)
    return text_of_place(place, text, others), found


def elided_wording(text: str, quote: str, threshold: float) -> str | None:
    """The article's passage a quote with an ellipsis ("A … B") stands for: from A to the next B,
    each part found as a quote is; None when a part is missing or fits several places."""
    parts = [part for part in _ELLIPSIS.split(quote) if part]
    if len(parts) < 2:
        return None
    start = end = None
    offset = 0
    for part in parts:
        try:
            tier, part_start, part_end, _ = find_quote(text[offset:], part, None, None, threshold)
        except Ambiguous:
            return None
        if tier not in (EXACT, NORMALIZED):
            return None
        start = offset + part_start if start is None else start
        end = offset = offset + part_end
    return " ".join(text[start:end].split())


def ambiguous_message(text: str, quote: str, count: int) -> str:
    """The message for a quote found in several places: each place with its context and a
    --prefix that picks it (for a quote found exactly or normalized; a fuzzy tie has none)."""
    folded = normalize(text)
    needle = fold(quote)
    places = []
    at = folded.text.find(needle)
    while at >= 0 and needle:
        places.append(folded.span_in_original(at, at + len(needle)))
        at = folded.text.find(needle, at + 1)
    lines = [f"quote matches {count} places; add --prefix or --suffix to pick one"]
    for number, (start, end) in enumerate(places, 1):
        before = " ".join(text[max(0, start - CONTEXT_CHARS) : start].split())
        after = " ".join(text[end : end + CONTEXT_CHARS].split())
        words = " ".join(text[:start].split()[-PREFIX_WORDS:])
        hint = f' --prefix "{words}"' if words else " (the article's start: pick another with --suffix)"
        lines.append(f"  {number}. …{before} [{' '.join(text[start:end].split())}] {after}…{hint}")
    return "\n".join(lines)


def create_unique(folder: Path, base: str, text: str, taken: Collection[str]) -> Path:
    """Write `text` to folder/<base>.md, or <base>-2.md and so on: atomic, never overwriting,
    and never with a slug in `taken` (those of the collection's subfolders)."""
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".note-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    number = 1
    while True:
        name = base if number == 1 else f"{base}-{number}"
        target = folder / f"{name}.md"
        if name in taken:
            number += 1
            continue
        try:
            os.link(temp, target)  # fails if target exists: no check-then-write race
        except FileExistsError:
            number += 1
            continue
        os.unlink(temp)
        return target
