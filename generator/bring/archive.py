"""What the archive holds already, keyed by normalised source URL, and writing an article with its notes
as one unit.

The key makes every import idempotent and a stopped bulk import resumable: a link whose article is in
content/articles/ (under its own URL or the one its redirects end at) is skipped, not fetched again.
Writing: the article first, then its notes, each file whole (temporary file, then a link that never
replaces another file), with Ctrl-C held back until the unit is done; if a file cannot be written, the
unit's files already written are removed. So the archive never holds a note without its article, half a
file, or an article missing notes the import meant to give it.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import courlan

from generator.bring.notes import PlannedNote, note_file_text
from generator.content.frontmatter import split_front_matter
from generator.errors import SiteError, SourceLoc
from generator.quicknote import create_unique


def url_key(url: str) -> str:
    """The same article's URL however it was written: courlan's normalisation (host case, default port,
    tracking parameters, fragment, query order), then without the scheme, `www.` and a trailing slash, as
    read-later services store http and https, with and without `www.`, for one page."""
    url = url.strip()
    try:
        url = courlan.normalize_url(url, strict=True)
    except (ValueError, AttributeError):
        pass
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{parts.path.rstrip('/')}{query}"


def archived_urls(articles: Path) -> dict[str, str]:
    """url_key → the article file that has it as `source_url`. A file that does not parse is the build's
    to report; here it only holds no URL."""
    found: dict[str, str] = {}
    if not articles.is_dir():
        return found
    for path in sorted(articles.rglob("*.md")):
        try:
            meta = split_front_matter(path.read_text(encoding="utf-8"), SourceLoc(str(path))).meta
        except (SiteError, OSError, UnicodeDecodeError):
            continue
        url = meta.value.get("source_url") if meta is not None and isinstance(meta.value, dict) else None
        if isinstance(url, str) and url:
            found.setdefault(url_key(url), str(path))
    return found


def write_together(root: Path, articles: Path, slug: str, article_text: str, notes: list[PlannedNote]) -> tuple[Path, list[Path]]:
    """Write the article (`slug`.md, or -2 … when taken), then its notes; all of them or, when the disk
    refuses one, none."""
    notes_dir = root / "content" / "notes"
    written: list[Path] = []
    with _held_interrupts():
        try:
            articles.mkdir(parents=True, exist_ok=True)
            article_path = create_unique(articles, slug, article_text)
            written.append(article_path)
            if notes:
                notes_dir.mkdir(parents=True, exist_ok=True)
            for note in notes:
                written.append(create_unique(notes_dir, note.base, note_file_text(article_path.stem, note)))
        except OSError:
            for path in reversed(written):
                path.unlink(missing_ok=True)
            raise
    return written[0], written[1:]


@contextmanager
def _held_interrupts():
    """Ctrl-C during the block takes effect after it: the unit is written whole first. (Signals reach the
    main thread only, which is the one that writes.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def relative(path: Path | str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)

