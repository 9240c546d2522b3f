"""The per-document stages (parse, render, entity mentions), kept between builds.

A content file's record, its rendered body and, for an article, where entity names
occur in it depend only on the file's own bytes, the render settings and the archive's
entity names. So each result is kept in `.sitegen-cache/documents/`, keyed by the file's
content hash, and a build works only on the files that changed; a cold build shares that
work between forked worker processes.

A file is taken as unchanged without reading it when its stat signature (mtime, size,
inode) is the one recorded, but only if it had not been modified for a while when it
was hashed (as git does): an edit within the same clock tick as the read that hashed it
could otherwise pass for no change. The cache is sharded by path so a small edit
rewrites one small shard, and it is keyed by sitegen's own code and the render settings:
any other version simply starts afresh. Deleting it costs one cold build.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import struct
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.anchor import others_of
from generator.cache_damage import UNREADABLE_PICKLE, discard_unreadable
from generator.config import Config
from generator.content.load import MAX_FILE_BYTES, ContentWalk, load_assets, read_text, walk_changes, walk_content
from generator.content.parse import assemble_archive, file_stem, parse_source
from generator.errors import Problem, ProblemLog, SiteError
from generator.fingerprint import code_fingerprint
from generator.graph import KIND_OF_SECTION, ArticleMentions, NameMatcher, find_mentions
from generator.markdown.render import render_body
from generator.records import (
    NO_RESERVED_IDS,
    Archive,
    Article,
    Document,
    Entity,
    Note,
    RenderedBody,
    ReservedIds,
    ScannedFile,
    SourceFile,
    StatSignature,
)
from generator.theme import theme_ids
from generator.workers import Progress, map_streamed, worker_count
from generator.write import replace_file

CACHE_DIR = Path(".sitegen-cache") / "documents"
SHARDS = 128
STABLE_AFTER_NS = 2_000_000_000  # a file untouched this long before it was hashed cannot change unseen

@dataclass(frozen=True)  # no __slots__: see records.py
class ProcessedFile:
    """Everything one content file yields on its own."""

    path: str
    digest: str  # sha1 of the file's text
    record: Document
    body: RenderedBody
    mentions: ArticleMentions | None = None  # of entities, in an article
    mentions_of: str = ""  # the entity names the mentions were found with (names_key)


@dataclass(slots=True)
class Entry:
    signature: StatSignature | None  # None: re-hash next time (recently modified, or a symlink)
    processed: ProcessedFile


@dataclass
class DocumentCache:
    """Processed files by path, loaded from and saved to `.sitegen-cache/documents/`.

    Each shard file starts with the stat signature and content hash of every file it holds
    (`known`); its results are read only when one of them is asked for (`get`). Scanning
    needs only the former, and a build after a few notes were edited reads the results of
    the few shards its pages need, where unpickling every result would grow with the whole
    archive. The shard files stay open until read, so a build that
    replaces one meanwhile (serve's and a command-line build's) does not mix two versions.

    A serve session keeps one in memory across rebuilds; `build` loads it when not given one.
    """

    settings: str
    entries: dict[str, Entry] = field(default_factory=dict)  # the results read so far (or made), by path
    known: dict[str, tuple[StatSignature | None, str]] = field(default_factory=dict)  # every path's (signature, digest)
    stored: dict[int, StoredShard] = field(default_factory=dict)  # the shards whose results are not read yet
    dirty: set[int] = field(default_factory=set)  # shards changed since loaded
    scan: ContentScan | None = None  # content/ as last scanned (in memory only; see scan_content)
    unpublished: tuple[Problem, ...] = ()  # warnings naming the files of content/ the last walk did not publish
    unreadable: tuple[Problem, ...] = ()  # errors naming the files of content/ besides Markdown the last walk could not take (build.analyse reports them)

    def match(self, settings: str) -> None:
        """Forget every result if they were made with other settings."""
        if settings != self.settings:
            self.settings = settings
            self.entries.clear()
            self.known.clear()
            for shard in self.stored.values():
                shard.close()
            self.stored.clear()
            self.dirty.update(range(SHARDS))

    def get(self, path: str) -> Entry | None:
        """The result for `path`, its shard read first if it was not yet (a shard found
        damaged only now is dropped: its files are processed again, and it is written anew)."""
        number = shard_of(path)
        shard = self.stored.pop(number, None)
        if shard is not None:
            entries = shard.read()
            if entries is None:
                for lost in [p for p in self.known if shard_of(p) == number and p not in self.entries]:
                    del self.known[lost]
                self.dirty.add(number)
            else:
                self.entries.update(entries)
        return self.entries.get(path)

    def result(self, path: str) -> ProcessedFile:
        """The result for `path`, which the cache holds (a file processed in this build); KeyError if not."""
        entry = self.get(path)
        if entry is None:
            raise KeyError(path)
        return entry.processed

    def put(self, path: str, entry: Entry) -> None:
        self.get(path)  # its shard read, so that saving it keeps the other results in it
        self.entries[path] = entry
        self.known[path] = (entry.signature, entry.processed.digest)
        self.dirty.add(shard_of(path))

    def pending(self) -> int:
        """About how many results the shards to save hold (paths spread evenly over them)."""
        return len(self.known) * len(self.dirty) // SHARDS

    def forget(self, path: str) -> None:
        """Drop the result of `path` (a file that can no longer be read: its old result must not stand in for it)."""
        if path in self.known:
            self.get(path)
            self.entries.pop(path, None)
            del self.known[path]
            self.dirty.add(shard_of(path))

    def drop_missing(self, present: set[str]) -> None:
        for path in [p for p in self.known if p not in present]:
            self.get(path)
            del self.entries[path], self.known[path]
            self.dirty.add(shard_of(path))


class StoredShard:
    """The results of one shard file, not read yet: the file is kept open until they are, and
    read with positional reads, which worker processes forked meanwhile may also do."""

    def __init__(self, descriptor: int, offset: int, size: int, root: Path, name: Path) -> None:
        self.descriptor, self.offset, self.size = descriptor, offset, size
        self.root, self.name = root, name  # the file, at root/name, to discard if damaged

    def read(self) -> dict[str, Entry] | None:
        """The results, or None when they cannot be read (the file is then discarded)."""
        try:
            return unpickle_lasting(os.pread(self.descriptor, self.size, self.offset))
        except (OSError, *UNREADABLE_PICKLE):
            discard_unreadable(self.root, self.name)
            return None
        finally:
            self.close()

    def close(self) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1


def unpickle_lasting(data: bytes | memoryview) -> Any:
    """Unpickle objects that will live as long as the process (cached results, the saved analysis).

    Unpickling makes many objects and no garbage, so collections during it only cost time.
    Frozen after, the objects are left out of every later collection, which would otherwise
    walk them all each time, a cost that grows with the archive, not the edit. A long-lived
    process that loads caches again and again should unfreeze and collect between builds,
    as serve does.
    """
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        gc.enable()
        gc.freeze()


def cache_settings(root: Path, config: Config) -> str:
    """What every cached result depends on besides the file itself: the code, and the
    render settings (the ids the theme keeps for itself decide headings' ids)."""
    reserved = theme_ids(root, config)
    return f"{code_fingerprint()}:html={config.allow_html}:ids={sorted(reserved.ids)}:{list(reserved.prefixes)}"


def shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % SHARDS


# A cache file of two pickles: an index that every build reads, then what it indexes, read
# only when asked for (the document cache's shards, the saved analysis). The file starts with
# their sizes, so that a file cut short or grown is refused whole.
PICKLE_PAIR = struct.Struct("<QQ")


def pickle_pair(index: bytes, indexed: bytes) -> tuple[bytes, bytes, bytes]:
    """The parts of a pickle pair file, to write one after the other (replace_file)."""
    return PICKLE_PAIR.pack(len(index), len(indexed)), index, indexed


def pickle_pair_sizes(header: bytes | memoryview, file_size: int) -> tuple[int, int]:
    """The sizes of a pickle pair file's two pickles; struct.error or ValueError when damaged."""
    index_size, indexed_size = PICKLE_PAIR.unpack_from(header)
    if PICKLE_PAIR.size + index_size + indexed_size != file_size:
        raise ValueError("a cache file whose size is not the sum of its parts")
    return index_size, indexed_size


def load_cache(root: Path, config: Config) -> DocumentCache:
    """The cache's index (`known`); the results are read when asked for (DocumentCache.get)."""
    settings = cache_settings(root, config)
    cache = DocumentCache(settings)
    for shard in range(SHARDS):
        name = CACHE_DIR / f"{shard:02d}.pickle"
        try:
            descriptor = os.open(root / name, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            index_size, results_size = pickle_pair_sizes(os.pread(descriptor, PICKLE_PAIR.size, 0), os.fstat(descriptor).st_size)
            stored_settings, known = pickle.loads(os.pread(descriptor, index_size, PICKLE_PAIR.size))
        except (OSError, struct.error, *UNREADABLE_PICKLE):
            os.close(descriptor)
            discard_unreadable(root, name)
            continue
        if stored_settings != settings:  # written by other code or settings: replaced when saved
            os.close(descriptor)
            continue
        cache.known.update(known)
        cache.stored[shard] = StoredShard(descriptor, PICKLE_PAIR.size + index_size, results_size, root, name)
    return cache


def save_cache(root: Path, cache: DocumentCache) -> None:
    """Write the shards that changed, each atomically (a killed build leaves the old shard)."""
    if not cache.dirty:
        return
    folder = root / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    by_shard: dict[int, dict[str, Entry]] = {shard: {} for shard in cache.dirty}
    for path, entry in cache.entries.items():  # every result of a changed shard was read (DocumentCache.put)
        shard = shard_of(path)
        if shard in by_shard:
            by_shard[shard][path] = entry
    for shard, entries in by_shard.items():
        index = pickle.dumps((cache.settings, {path: cache.known[path] for path in entries}), protocol=pickle.HIGHEST_PROTOCOL)
        results = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
        replace_file(folder / f"{shard:02d}.pickle", *pickle_pair(index, results))
    cache.dirty.clear()


# --- scanning -----------------------------------------------------------------------


def scan_content(
    root: Path, cache: DocumentCache, changed: set[str] | None = None, *, leave_unread: bool = False
) -> tuple[tuple[ScannedFile, ...], tuple[tuple[str, bytes], ...]]:
    """The Markdown files (read only where needed) and the other content files. A file that
    cannot be taken does not stop the scan: an unreadable Markdown file is left for the
    processing stage to report (_scanned), the others are kept in `cache.unreadable`, so that
    analysing reports them with every other problem of the archive.

    `changed`: the project-relative paths a file watcher reported since the last scan with
    this cache (serve); only those are looked at again, unless a folder changed. When they
    are all Markdown files edited in place, the last scan is kept but for them.

    `leave_unread`: the files with no cached result at all are not read here but by the
    processing stage, in its workers, while they parse (in a cold build, reading files whose
    pages the system has dropped is mostly waiting on the disk, which one core here would
    spend idle). They have no digest until `with_digests`; the scan is then not
    kept for the next one (serve never leaves files unread).
    """
    log = ProblemLog()
    last, cache.scan = cache.scan, None
    edits = _edits_in_place(root, last, changed) if last is not None and changed is not None else None
    if last is not None and edits is not None:
        markdown, files = list(last.walk.markdown), list(last.files)
        now = time.time_ns()
        for position, item in edits.items():
            markdown[position] = item
            files[position] = _scanned(root, *item, cache, now, False)
        walk, positions, assets = ContentWalk(markdown, last.walk.others), last.positions, last.assets
        kept = list(last.files)
        for position in edits:
            kept[position] = _without_text(files[position])
    else:
        walk = (walk_changes(root, last.walk, changed) if last is not None and changed is not None else None) or walk_content(root)
        files = scan_sources(root, walk, cache, leave_unread)
        assets = load_assets(root, root / "content", log, walk.others)
        cache.unreadable, cache.unpublished = tuple(log.errors), tuple(log.warnings)
        if leave_unread:
            return tuple(files), assets
        positions = {rel: position for position, (_, rel, _) in enumerate(walk.markdown)}
        kept = [_without_text(file) for file in files]
    cache.scan = ContentScan(walk, tuple(kept), assets, positions)
    return tuple(files), assets


def with_digests(files: tuple[ScannedFile, ...], cache: DocumentCache) -> tuple[ScannedFile, ...]:
    """`files` with the digests of those the processing stage read (all processed by now)."""
    return tuple(
        file if file.digest is not None else file._replace(digest=cache.known[file.path][1])
        for file in files
    )


def _without_text(file: ScannedFile) -> ScannedFile:
    """A scanned file as the next scan sees it: its text is processed by then (or read again)."""
    return file if file.text is None else ScannedFile(file.path, file.collection, file.digest, None, file.signature)


@dataclass(frozen=True, slots=True)
class ContentScan:
    """content/ as the last build with this cache scanned it (a serve session keeps it)."""

    walk: ContentWalk
    files: tuple[ScannedFile, ...]  # one per walk.markdown entry, in its order, without their texts
    assets: tuple[tuple[str, bytes], ...]
    positions: dict[str, int]  # Markdown file path -> its place in walk.markdown and files


def _edits_in_place(root: Path, last: ContentScan, changed: set[str]) -> dict[int, tuple[str, str, os.stat_result]] | None:
    """The Markdown files in `changed`, by their place in the last scan, stat-ed again, when
    each is a file that scan had and is still a plain file (not a link); else None."""
    edits = {}
    for rel in changed:
        if not rel.startswith("content/"):
            continue
        position = last.positions.get(rel)
        if position is None:
            return None
        try:
            info = os.lstat(root / rel)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        collection, _, _ = last.walk.markdown[position]
        edits[position] = (collection, rel, info)
    return edits


def scan_sources(root: Path, walk: ContentWalk, cache: DocumentCache, leave_unread: bool = False) -> list[ScannedFile]:
    """Every `*.md` under content/<collection>/, in collection then path order, read only when it may have changed."""
    now = time.time_ns()
    scanned = [_scanned(root, collection, rel, info, cache, now, leave_unread) for collection, rel, info in walk.markdown]
    cache.drop_missing({rel for _, rel, _ in walk.markdown})
    return scanned


def _scanned(
    root: Path, collection: str, rel: str, info: os.stat_result, cache: DocumentCache, now: int, leave_unread: bool
) -> ScannedFile:
    """One Markdown file, read only when its stat signature is not the cached result's.

    A file that cannot be read (not UTF-8, too large, ...) is left unread, its cached result
    forgotten: the processing stage reads it again and reports why with every other file's
    problems, rather than the scan stopping at it alone."""
    linked = stat.S_ISLNK(info.st_mode)
    signature = (info.st_mtime_ns, info.st_size, info.st_ino)
    known = cache.known.get(rel)
    if known is not None and known[0] == signature and not linked:
        return ScannedFile(rel, collection, known[1], None)
    trusted = signature if not linked and now - info.st_mtime_ns > STABLE_AFTER_NS else None
    if known is None and leave_unread and not linked and info.st_size <= MAX_FILE_BYTES:  # else refused below, with the others
        return ScannedFile(rel, collection, None, None, trusted)
    try:
        text = read_text(root / rel, root, rel, info)
    except SiteError:
        cache.forget(rel)
        return ScannedFile(rel, collection, None, None)
    digest = content_digest(text)
    if known is not None and known[1] == digest:
        if known[0] == trusted:
            return ScannedFile(rel, collection, digest, None)
        entry = cache.get(rel)  # None when its shard is found damaged now: the file is processed again
        if entry is not None:
            cache.put(rel, Entry(trusted, entry.processed))
            return ScannedFile(rel, collection, digest, None)
    return ScannedFile(rel, collection, digest, text, trusted)


# --- processing ---------------------------------------------------------------------


def process_documents(
    root: Path,
    files: tuple[ScannedFile, ...],
    cache: DocumentCache,
    config: Config,
    jobs: int | None = None,
    progress: bool = False,
) -> tuple[Archive, dict[tuple[str, str], RenderedBody], dict[str, ArticleMentions]]:
    """Records, rendered bodies and entity mentions of every file, every problem raised together."""
    log = ProblemLog()
    archive, bodies, mentions, _ = process_sound_documents(root, files, cache, config, log, jobs, progress)
    log.raise_errors()
    return archive, bodies, mentions


def process_sound_documents(
    root: Path,
    files: tuple[ScannedFile, ...],
    cache: DocumentCache,
    config: Config,
    log: ProblemLog,
    jobs: int | None = None,
    progress: bool = False,
) -> tuple[Archive, dict[tuple[str, str], RenderedBody], dict[str, ArticleMentions], frozenset[tuple[str, str]]]:
    """Records, rendered bodies and entity mentions of every sound file, working only on what
    changed, and the (kind, slug) of each file that is not sound: its problems are in `log`.

    The sound part goes on to be anchored and linked (build.analyse), so that one run lists the
    problems of every stage; the unsound documents are named so that what refers to them is
    not reported as referring to nothing. Entities come first: the names they define are what
    mentions are found with. `progress` shows how far the work is on a terminal.
    """
    entities = [f for f in files if f.collection == "entities"]
    _process(root, entities, cache, config, None, "", log, jobs=1, progress=False)
    entity_records = tuple(sorted((p.record for p in _done_results(cache, entities) if isinstance(p.record, Entity)), key=lambda e: e.slug))
    matcher = NameMatcher(entity_records)
    key = names_key(entity_records)
    others = [f for f in files if f.collection != "entities"]
    _process(root, others, cache, config, matcher, key, log, jobs=jobs, progress=progress)
    done = _done_results(cache, files)
    archive = assemble_archive([p.record for p in done], log)
    kept = {id(record) for record in (*archive.articles, *archive.notes, *archive.entities)}  # without the duplicates of a slug
    bodies = {(_KIND[type(p.record)], p.record.slug): p.body for p in done if id(p.record) in kept}
    mentions = {p.record.slug: p.mentions for p in done if p.mentions is not None and id(p.record) in kept}
    failed = frozenset((KIND_OF_SECTION[file.collection], file_stem(file.path)) for file in files if not _done(cache, file))
    gc.freeze()  # new results join the cache, frozen as in unpickle_lasting (else a cold build's link stage walks all of them in full collections)
    return archive, bodies, mentions, failed


_KIND = {Article: "article", Note: "note", Entity: "entity"}


def process_files(root: Path, files: list[ScannedFile], cache: DocumentCache, config: Config, log: ProblemLog) -> None:
    """Parse and render a few notes (which have no entity mentions to find) into the cache, in this process."""
    _process(root, files, cache, config, None, "", log, jobs=1, progress=False)


def _done_results(cache: DocumentCache, files: Iterable[ScannedFile]) -> list[ProcessedFile]:
    """The results of those of `files` whose results the cache holds (see _done)."""
    results = []
    for file in files:
        entry = cache.get(file.path) if _done(cache, file) else None
        if entry is not None:
            results.append(entry.processed)
    return results


def _done(cache: DocumentCache, file: ScannedFile) -> bool:
    """True when the cache holds the result of this file's bytes (for one left unread, any: it had none before)."""
    known = cache.known.get(file.path)
    return known is not None and file.digest in (None, known[1])


def content_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def names_key(entities: tuple[Entity, ...]) -> str:
    text = "\n".join(f"{e.slug}\0{e.name}\0{chr(0).join(e.aliases)}" for e in entities)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _process(
    root: Path,
    files: list[ScannedFile],
    cache: DocumentCache,
    config: Config,
    matcher: NameMatcher | None,
    key: str,
    log: ProblemLog,
    jobs: int | None,
    progress: bool,
) -> None:
    """Parse and render the files without a current result, and find mentions where the names changed."""
    work: list[tuple[ScannedFile, ProcessedFile | None]] = []
    for file in files:
        entry = cache.get(file.path)
        current = entry.processed if entry is not None and entry.processed.digest == file.digest else None
        if current is None:
            work.append((file, None))
        elif isinstance(current.record, Article) and current.mentions_of != key:
            work.append((file, current))

    reserved = theme_ids(root, config) if work else NO_RESERVED_IDS

    def results(indices: Iterator[int]) -> Iterator[tuple[int, ProcessedFile | tuple[Problem, ...]]]:
        # Each file is read where it is parsed, in this thread: a thread reading ahead made both
        # fight over the GIL, which cost more CPU than the reading.
        for index in indices:
            file, earlier = item = work[index]
            yield index, _processed(file, _text_of(root, item), earlier, config, reserved, matcher, key)

    gc.disable()  # the workers' results arrive as many small objects: collecting among them only costs time
    try:
        shown = Progress("reading documents", len(work), progress and sys.stderr.isatty())
        processed = map_streamed(results, len(work), worker_count(len(work), jobs), shown)
    finally:
        gc.enable()
    for (file, _), result in zip(work, processed):
        if isinstance(result, ProcessedFile):
            cache.put(file.path, Entry(file.signature, result))
        else:
            log.errors.extend(result)


def _text_of(root: Path, item: tuple[ScannedFile, ProcessedFile | None]) -> str | SiteError | None:
    """The text of a file to parse (read now if the scan left it unread), or why it cannot be
    read; None for a file already parsed (`earlier`), whose mentions alone are found again."""
    file, earlier = item
    if earlier is not None or file.text is not None:
        return file.text
    try:
        return read_text(f"{root}/{file.path}", root, file.path)  # joined as text: a Path per file costs more than reading it
    except SiteError as error:
        return error


def _processed(
    file: ScannedFile,
    text: str | SiteError | None,
    earlier: ProcessedFile | None,
    config: Config,
    reserved: ReservedIds,
    matcher: NameMatcher | None,
    key: str,
) -> ProcessedFile | tuple[Problem, ...]:
    """The result for `file`, whose `text` is given when it has none in the cache (`earlier`)."""
    if earlier is None:
        if isinstance(text, SiteError):
            return text.problems
        assert text is not None, "a file without a result is read before it is processed"
        log = ProblemLog()
        try:
            record = parse_source(SourceFile(file.path, file.collection, text), log)
        except SiteError as error:
            return (*log.errors, *error.problems)
        if record is None or log.errors:
            return tuple(log.errors)
        body = render_record(record, config, reserved)
        if isinstance(record, Article):  # its rendering holds all that pages show of its text: not kept twice
            record = record._replace(body="")
        earlier = ProcessedFile(file.path, file.digest or content_digest(text), record, body)
    if not isinstance(earlier.record, Article) or matcher is None:
        return earlier
    return ProcessedFile(earlier.path, earlier.digest, earlier.record, earlier.body, find_mentions(earlier.body, matcher, others_of(earlier.record).captions), key)


def render_record(record: Document, config: Config, reserved: ReservedIds) -> RenderedBody:
    figures = tuple(image.after_paragraph for image in record.images) if isinstance(record, Article) else ()
    return render_body(record.body, record.body_line, allow_html=config.allow_html, figures_after=figures, reserved=reserved)
