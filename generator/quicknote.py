"""`sitegen note`: capture a highlight as a new note file in one command.

The quote is checked against the article before anything is written, so a note made
here always anchors; the file is created atomically and never replaces another.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

import yaml

from generator.anchor import ORPHAN, Ambiguous, captions_of, find_in_article
from generator.config import load_config
from generator.content.load import read_text
from generator.content.parse import parse_article
from generator.errors import ProblemLog, SiteError, SourceLoc, did_you_mean
from generator.markdown.render import render_body
from generator.records import SourceFile
from generator.slugs import slugify

MAX_SLUG_WORDS = 6


def write_note(
    root: Path,
    article_slug: str,
    quote: str | None,
    *,
    tags: tuple[str, ...] = (),
    slug: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    today: datetime.date,
) -> Path:
    """Write content/notes/<slug>.md for a passage of `article_slug` (or the whole article); returns its path."""
    config = load_config(root)
    articles = root / "content" / "articles"
    path = next(iter(sorted(articles.rglob(f"{article_slug}.md"))), None) if articles.is_dir() else None
    if path is None:
        known = [p.stem for p in articles.rglob("*.md")] if articles.is_dir() else []
        raise SiteError.at(SourceLoc(article_slug), f"no article '{article_slug}'{did_you_mean(article_slug, known)}")
    rel = path.relative_to(root).as_posix()
    log = ProblemLog()
    article = parse_article(SourceFile(rel, "articles", read_text(path, root, rel)), log)
    log.raise_errors()
    assert article is not None
    if quote is not None:
        quote = " ".join(quote.split())
        if not quote:
            raise SiteError.at(SourceLoc(rel), "the quote is empty")
        text = render_body(article.body, article.body_line, allow_html=config.allow_html).text
        try:
            _, (tier, *_) = find_in_article(text, captions_of(article), quote, prefix, suffix, config.fuzzy_threshold)
        except Ambiguous as ambiguous:
            raise SiteError.at(SourceLoc(rel), f"quote matches {ambiguous.count} places; add --prefix or --suffix to pick one") from None
        if tier == ORPHAN:
            raise SiteError.at(SourceLoc(rel), "quote not found in the article; copy it again from the article page")
    notes = root / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    base = slug or slugify(" ".join((quote or f"on {article.title}").split()[:MAX_SLUG_WORDS]))
    if slug and (notes / f"{slug}.md").exists():
        raise SiteError.at(SourceLoc(f"content/notes/{slug}.md"), "a note with this slug exists already; choose another --slug")
    front = {"article": article.slug}
    if quote is not None:
        front["quote"] = quote
        if prefix:
            front["prefix"] = prefix
        if suffix:
            front["suffix"] = suffix
    front["tags"] = list(tags)
    front["created"] = today
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100000) + "---\n\n"
    return create_unique(notes, base, text).relative_to(root)


def create_unique(folder: Path, base: str, text: str) -> Path:
    """Write `text` to folder/<base>.md, or <base>-2.md and so on: atomic, never overwriting."""
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".note-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    number = 1
    while True:
        target = folder / (f"{base}.md" if number == 1 else f"{base}-{number}.md")
        try:
            os.link(temp, target)  # fails if target exists: no check-then-write race
        except FileExistsError:
            number += 1
            continue
        os.unlink(temp)
        return target
