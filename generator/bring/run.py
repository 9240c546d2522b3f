"""Importing many entries: fetches in parallel (a few per host), each article and its notes written as one
unit as soon as it is ready, a progress bar, then a summary table and a file of the failures.

Workers only fetch and convert (pure work, no files); the main thread writes, so Ctrl-C, which Python
delivers to the main thread, finds the archive between two whole units. A second run skips what the first
imported (source_urls.url_key), so an interrupted import is finished by running it again.
"""

from __future__ import annotations

import datetime
import html
import sys
import threading
from collections import Counter, defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tqdm import tqdm

from generator.bring.archive import SlugsTaken, relative, write_together
from generator.bring.fetch import IMAGE_TYPES, FetchFailed, Limits, fetch, make_pool
from generator.bring.known import archived_urls
from generator.bring.notes import PlannedNote, article_text, plan_notes
from generator.bring.records import Entry
from generator.config import Config, load_config
from generator.errors import SiteError
from generator.importers import article_file_text, import_source
from generator.importers.command import gaps
from generator.importers.saved_images import CopiedImage, with_fetched_images
from generator.source_urls import url_key
from generator.write import replace_file

JOBS = 8
PER_HOST = 2  # pages fetched from one host at a time: a bulk import must not hammer a small site


@dataclass(frozen=True, slots=True)
class Options:
    root: Path
    articles: Path
    today: datetime.date
    jobs: int = JOBS
    tags: tuple[str, ...] = ()
    progress: bool = True
    limits: Limits = Limits()
    fetch_images: bool = False  # the article's pictures downloaded into content/images/ (saved_images.py)


@dataclass
class Summary:
    """What a run did, for the table at its end (a mutable tally, kept by the main thread alone)."""

    imported: list[tuple[str, str]] = field(default_factory=list)  # (url, article file)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    failed: list[tuple[Entry, str]] = field(default_factory=list)
    notes: int = 0
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (url, why a highlight was not written)
    to_fill: int = 0
    interrupted: bool = False


@dataclass(frozen=True, slots=True)
class _Prepared:
    url: str | None  # the final URL; None for a stored article whose service gave no web address
    slug: str
    text: str  # the article file
    notes: list[PlannedNote]
    left_out: list[str]
    images: list[CopiedImage]  # the pictures downloaded, to write before the article that names them
    not_fetched: list[str]  # why a picture keeps its web address


class _Failed(Exception):
    pass


def bring(entries: list[Entry], options: Options) -> Summary:
    config = load_config(options.root)
    summary = Summary()
    known = archived_urls(options.articles)
    taken = SlugsTaken.of(options.root, options.articles)
    queue = _to_fetch(entries, known, options.root, summary)
    pool = make_pool(options.jobs)
    gates = {host: threading.BoundedSemaphore(PER_HOST) for host in {_host(entry.url) for entry in queue}}
    executor = ThreadPoolExecutor(max_workers=options.jobs, thread_name_prefix="import")
    bar = tqdm(total=len(queue), unit="article", file=sys.stderr, disable=not (options.progress and sys.stderr.isatty()), dynamic_ncols=True)
    futures: dict[Future, Entry] = {
        executor.submit(_prepare, entry, pool, gates.get(_host(entry.url)), config, options): entry for entry in _interleaved(queue)
    }
    try:
        for future in as_completed(futures):
            _take(futures.pop(future), future, known, taken, options, summary, bar)  # popped: its page is freed once written
            bar.update(1)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        bar.close()
    order = {entry: index for index, entry in enumerate(entries)}
    summary.failed.sort(key=lambda failure: order[failure[0]])  # the file lists them as the input did
    return summary


def _to_fetch(entries: list[Entry], known: dict[str, str], root: Path, summary: Summary) -> list[Entry]:
    """The entries not in the archive already, each URL once."""
    first: dict[str, str] = {}
    queue = []
    for entry in entries:
        if not entry.url:
            summary.failed.append((entry, f"no URL: its highlights name '{entry.title}', which the documents file does not list"))
            continue
        key = url_key(entry.url)
        if key in known:
            summary.skipped.append((entry.url, f"already in the archive as {relative(known[key], root)}"))
        elif key in first:
            summary.skipped.append((entry.url, f"listed twice (first at {first[key]})"))
        else:
            first[key] = entry.origin
            queue.append(entry)
    return queue


def _take(entry: Entry, future: Future, known: dict[str, str], taken: SlugsTaken, options: Options, summary: Summary, bar: tqdm) -> None:
    """Write one finished entry (in the main thread), or record why it failed."""
    try:
        prepared: _Prepared = future.result()
    except _Failed as failure:
        summary.failed.append((entry, str(failure)))
        bar.write(f"{entry.url}: {failure}", file=sys.stderr)
        bar.set_postfix_str(f"{len(summary.failed)} failed", refresh=False)
        return
    key = url_key(prepared.url or entry.url)
    if key in known:
        summary.skipped.append((entry.url, f"already in the archive as {relative(known[key], options.root)} (redirects to {prepared.url})"))
        return
    new_images = [image for image in prepared.images if not image.target.exists()]  # named by their bytes: one there is this picture
    try:
        for image in new_images:
            replace_file(image.target, image.data)
        article_path, note_paths = write_together(options.root, options.articles, prepared.slug, prepared.text, prepared.notes, taken)
    except OSError as error:
        for image in new_images:  # no picture is published without the article that shows it
            image.target.unlink(missing_ok=True)
        summary.failed.append((entry, f"cannot write into {relative(options.articles, options.root)}: {error.strerror or error}"))
        bar.write(f"{entry.url}: {summary.failed[-1][1]}", file=sys.stderr)
        return
    known[key] = known[url_key(entry.url)] = str(article_path)
    summary.imported.append((entry.url, relative(article_path, options.root)))
    summary.notes += len(note_paths)
    summary.to_fill += bool(gaps(article_path))
    for why in prepared.left_out:
        summary.left_out.append((entry.url, why))
        bar.write(f"{entry.url}: {why}; not written", file=sys.stderr)
    for why in prepared.not_fetched:
        bar.write(f"warning: {entry.url}: not fetched, the article keeps its address: {why}", file=sys.stderr)


def _prepare(entry: Entry, pool, gate: threading.BoundedSemaphore | None, config: Config, options: Options) -> _Prepared:
    """Fetch (unless the export holds the article) and convert one entry; no file is touched here."""
    try:
        if entry.html is not None:
            url: str | None = entry.url if entry.url.startswith(("http://", "https://")) else None  # a service's private scheme is no source to cite
            data = stored_page(entry)
        else:
            with gate or threading.Lock():
                page = fetch(pool, entry.url, options.limits)
            url, data = page.url, page.data
        tags = tuple(dict.fromkeys((*entry.tags, *options.tags)))
        article = import_source(data, origin=url or entry.origin, today=entry.saved or options.today, source_url=url, tags=tags)
        images: list[CopiedImage] = []
        not_fetched: list[str] = []
        if options.fetch_images:

            def download(image_url: str) -> bytes:
                return fetch(pool, image_url, options.limits, types=IMAGE_TYPES).data

            article, images, not_fetched = with_fetched_images(article, options.root / "content", article.slug, download, by_content=True)
        text = article_file_text(article)
        notes, left_out = plan_notes(entry.highlights, article_text(article, text, config), config, entry.saved or options.today)
    except FetchFailed as failure:
        raise _Failed(str(failure)) from None
    except SiteError as error:
        raise _Failed("; ".join(problem.message for problem in error.problems)) from None
    except Exception as error:  # one page that breaks a library must not stop 3,000 others
        raise _Failed(f"could not be read ({type(error).__name__}: {error})") from None
    return _Prepared(url, article.slug, text, notes, left_out, images, not_fetched)


def stored_page(entry: Entry) -> bytes:
    """The HTML a service stored, inside a page head built from the service's record of it (title,
    authors, date, language), so the saved-page importer reads it as it reads any saved page."""
    head = ['<meta charset="utf-8">']
    if entry.title:
        head += [f"<title>{html.escape(entry.title)}</title>", f'<meta property="og:title" content="{html.escape(entry.title)}">']
    head += [f'<meta name="author" content="{html.escape(author)}">' for author in entry.authors]
    if entry.published:
        head.append(f'<meta property="article:published_time" content="{html.escape(entry.published)}">')
    lang = f' lang="{html.escape(entry.language)}"' if entry.language else ""
    return f"<!DOCTYPE html>\n<html{lang}><head>{''.join(head)}</head><body><article>{entry.html}</article></body></html>".encode()


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _interleaved(entries: list[Entry]) -> list[Entry]:
    """Entries taken a host at a time in turn, so the workers are spread over hosts instead of all
    waiting on one host's limit while others sit idle."""
    by_host: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_host[_host(entry.url)].append(entry)
    rounds = max((len(group) for group in by_host.values()), default=0)
    return [group[i] for i in range(rounds) for group in by_host.values() if i < len(group)]


def write_failures(summary: Summary, path: Path, today: datetime.date) -> bool:
    """The failed links, one a line with the reason on a comment line above: `--from urls` reads it back.
    Returns whether it was written. A run with no failures leaves an earlier run's file alone: fed back,
    its links that have been imported since are skipped."""
    if not summary.failed:
        return False
    lines = [f"# sitegen import {today.isoformat()}: {len(summary.failed)} failed; retry with: sitegen import --from urls {path.name}"]
    for entry, why in summary.failed:
        lines.append(f"# {entry.origin}: {why}")
        lines.append(entry.url if entry.url else f"# (no URL) {entry.title}")
    replace_file(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return True


def table(summary: Summary, not_reached: int) -> list[str]:
    """The summary at the end of a run: counts, then the reasons for skips and failures, most common first."""
    rows = [("imported", len(summary.imported), f"{summary.notes} notes written")]
    rows.append(("skipped", len(summary.skipped), _reasons(why for _, why in summary.skipped)))
    rows.append(("failed", len(summary.failed), _reasons(why for _, why in summary.failed)))
    if summary.left_out:
        rows.append(("highlights left out", len(summary.left_out), _reasons(why.split('" ', 1)[-1] for _, why in summary.left_out)))
    if not_reached:
        rows.append(("not reached", not_reached, "stopped by Ctrl-C; run the same command again to go on"))
    return [f"{name:<20}{count:>7}  {detail}".rstrip() for name, count, detail in rows]


def _reasons(reasons) -> str:
    counts = Counter(_kind(why) for why in reasons)
    return ", ".join(f"{why} ({count})" for why, count in counts.most_common(6)) + (", …" if len(counts) > 6 else "")


def _kind(why: str) -> str:
    """A reason without its particulars, for grouping: "already in the archive as x.md" → "already in the archive"."""
    for mark in (" as ", " (", ": "):
        if mark in why and not why.startswith("HTTP"):
            why = why.split(mark, 1)[0]
    return why
