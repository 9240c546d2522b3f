"""The last analysis kept on disk, so that a command-line build after notes were edited in
place can bring it up to date (note_edits.py) as serve does in memory, with the page keys
it was keyed by (incremental.KeyedPages), so that only the keys of the pages that read an
edited note are computed again.

Bodies are not stored twice: the pickle names each by the path and content hash of its
file in the document cache (documents.py), and `StoredBodies` reads a body from the cache
when a page first asks for it, so a build that renders a few pages reads a few shards of
the cache. The records are stored whole: every list and page key reads them all; the link
graph's indexes by document entry by entry (`StoredIndex`), since a build after a note edit
reads the entries of a few documents. An analysis naming a file that the cache now holds
other bytes for is stale, and it is ignored: the cache moved on without it (a build killed
between the two saves, say). Like the cache, it is keyed by sitegen's code and the render
settings, and deleting it costs one ordinary analysis.

After a build that only brought it up to date for edited notes, the analysis is not
written again (it grows with the whole archive, not the edit): the build writes beside it
the saved analysis's own versions of the bodies of the notes edited since (EDITS_FILE, a
few kilobytes), which the cache no longer holds, and the next build starts from the saved
analysis and those versions again, and brings it up to date for every note edited since.
After MAX_EDITED such notes, or any other analysis, the whole analysis is written again.
"""

from __future__ import annotations

import dataclasses
import mmap
import os
import pickle
import struct
from collections.abc import Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.cache_damage import discard_unreadable
from generator.documents import CACHE_DIR, PICKLE_PAIR, UNREADABLE_PICKLE, DocumentCache, pickle_pair, pickle_pair_sizes, unpickle_lasting
from generator.errors import SiteError, SourceLoc
from generator.graph import EntityLinks, LinkGraph, LinkTargets
from generator.memo import Memo, SavedAnalysis
from generator.records import Analysis, RenderedBody
from generator.write import replace_file

ANALYSIS_FILE = CACHE_DIR.parent / "analysis.pickle"
# A pickle pair file (documents.PICKLE_PAIR): the index (what load_analysis checks), then the
# analysis. It is mapped, not read: the analysis is unpickled from the page cache where it
# lies, without first copying the whole file (a cost a one-note rebuild would otherwise pay in full), and
# only when a build asks for it.
EDITS_FILE = CACHE_DIR.parent / "analysis-edits.pickle"
MAX_EDITED = 64  # notes edited since the analysis on disk was written, before it is written again

DocKey = tuple[str, str]


class StoredBodies(Mapping):
    """The rendered bodies of the analysis on disk, each read when first asked for: from the
    document cache, or for a note edited since, from the saved analysis's own version.

    A build from it may set a body (`copy` first, as with a dict): the edited notes' new ones."""

    def __init__(
        self,
        sources: dict[DocKey, tuple[str, str]],
        cache: DocumentCache,
        superseded: dict[str, tuple[str, RenderedBody]],
        read: dict[DocKey, RenderedBody] | None = None,
    ) -> None:
        self.sources = sources  # document -> (path, digest) of its file
        self.cache = cache
        self.superseded = superseded  # path -> (digest, body): the versions the cache no longer holds
        self.read = dict(read or {})  # the bodies read or set so far

    def __getitem__(self, key: DocKey) -> RenderedBody:
        body = self.read.get(key)
        if body is None:
            body = self.read[key] = self._stored(*self.sources[key])
        return body

    def _stored(self, path: str, digest: str) -> RenderedBody:
        version = self.superseded.get(path)
        if version is not None and version[0] == digest:
            return version[1]
        entry = self.cache.get(path)
        if entry is None or entry.processed.digest != digest:  # load_analysis checked the cache's index: it is damaged
            raise SiteError.at(SourceLoc(CACHE_DIR.as_posix()), "damaged; delete .sitegen-cache/ and build again")
        return entry.processed.body

    def __setitem__(self, key: DocKey, body: RenderedBody) -> None:
        if key not in self.sources:
            raise KeyError(key)  # note edits replace bodies, they add none
        self.read[key] = body

    def __iter__(self) -> Iterator[DocKey]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def copy(self) -> StoredBodies:
        return StoredBodies(self.sources, self.cache, self.superseded, self.read)


class StoredIndex(Mapping):
    """One of the link graph's indexes by document (its backlinks, mentions, ...) as the
    analysis on disk holds it: each document's entry pickled apart, and unpickled when first
    asked for. A build after a note edit reads the entries of a few documents; unpickling
    all of them would make it pay for every document's entries, not the few it reads.

    `copy` gives one that `relinked` may change, as it would a dict (note_edits.py)."""

    __slots__ = ("pickled", "read")

    def __init__(self, pickled: dict[Hashable, bytes], read: dict[Hashable, Any] | None = None) -> None:
        self.pickled = pickled
        self.read = read if read is not None else {}  # the entries unpickled or set so far

    @classmethod
    def of(cls, index: Mapping) -> StoredIndex:
        if isinstance(index, StoredIndex):
            return index
        return cls({key: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) for key, value in index.items()})

    def __getitem__(self, key: Hashable) -> Any:
        try:
            return self.read[key]
        except KeyError:
            value = self.read[key] = pickle.loads(self.pickled[key])
            return value

    def __contains__(self, key: object) -> bool:
        return key in self.pickled

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.pickled)

    def __len__(self) -> int:
        return len(self.pickled)

    def __setitem__(self, key: Hashable, value: Any) -> None:
        self.pickled[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.read[key] = value

    def pop(self, key: Hashable, default: Any = None) -> Any:
        value = self.get(key, default)
        self.pickled.pop(key, None)
        self.read.pop(key, None)
        return value

    def copy(self) -> StoredIndex:
        return StoredIndex(dict(self.pickled), dict(self.read))

    def __reduce__(self):
        return StoredIndex, (self.pickled,)


def _stored_graph(graph: LinkGraph) -> LinkGraph:
    """`graph` as the analysis on disk holds it: the indexes by document as StoredIndex."""
    autolinks = graph.autolinks
    assert isinstance(autolinks, EntityLinks), "build_graph makes them"
    return dataclasses.replace(
        graph,
        wikilinks=StoredIndex.of(graph.wikilinks),
        backlinks=StoredIndex.of(graph.backlinks),
        links_from=StoredIndex.of(graph.links_from),
        notes_by_article=StoredIndex.of(graph.notes_by_article),
        mentions=StoredIndex.of(graph.mentions),
        entities_in=StoredIndex.of(graph.entities_in),
        autolinks=EntityLinks(StoredIndex.of(autolinks.first_mentions), autolinks.names, autolinks.config),
    )


def discard_analysis(root: Path) -> None:
    """The build failed: what is on disk no longer matches the document cache."""
    (root / ANALYSIS_FILE).unlink(missing_ok=True)
    (root / EDITS_FILE).unlink(missing_ok=True)


def save_analysis(root: Path, memo: Memo, cache: DocumentCache) -> None:
    """Keep the memo's last analysis and page keys, at the end of a build: only the saved
    analysis's versions of the notes edited since, if it was made from it; else the whole.

    Every body is named by its file's path and content hash, which are the cache's: the
    memo's analysis is the one made from the cache, in this build. The link targets are
    looked up in the titles (graph.LinkTargets), not stored.
    """
    analysis = memo.analysis
    if analysis is None:
        return
    saved = memo.saved
    if saved is not None and len(saved.superseded) <= MAX_EDITED:
        replace_file(root / EDITS_FILE, pickle.dumps((saved.token, saved.superseded), protocol=pickle.HIGHEST_PROTOCOL))
        return
    archive = analysis.archive
    sources = {
        (kind, record.slug): (record.loc.path, cache.known[record.loc.path][1])
        for kind, records in (("article", archive.articles), ("note", archive.notes), ("entity", archive.entities))
        for record in records
    }
    stored = dataclasses.replace(analysis, bodies=None, graph=_stored_graph(analysis.graph))  # type: ignore[arg-type]  # the bodies are stored apart
    rest = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
    token = os.urandom(8).hex()  # pairs the edits file with this analysis
    index = pickle.dumps((cache.settings, token, memo.paths, sources, memo.page_keys), protocol=pickle.HIGHEST_PROTOCOL)
    replace_file(root / ANALYSIS_FILE, *pickle_pair(index, rest))
    (root / EDITS_FILE).unlink(missing_ok=True)
    memo.saved = SavedAnalysis(token, {})


def load_analysis(root: Path, cache: DocumentCache) -> Memo:
    """A memo holding the analysis saved by the last build, if it still matches `cache`; else an empty one."""
    memo = Memo()
    try:
        with open(root / ANALYSIS_FILE, "rb") as file:
            data = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    except FileNotFoundError:
        return memo
    except (OSError, ValueError):  # empty (mmap refuses it: cut short) or unreadable
        discard_unreadable(root, ANALYSIS_FILE)
        return memo
    try:
        index_size, _ = pickle_pair_sizes(data, len(data))
        index_end = PICKLE_PAIR.size + index_size
        rest = data[index_end:]
        settings, token, paths, sources, page_keys = unpickle_lasting(data[PICKLE_PAIR.size : index_end])
    except (struct.error, *UNREADABLE_PICKLE):  # cut short or damaged
        discard_unreadable(root, ANALYSIS_FILE)
        return memo
    if settings != cache.settings:
        return memo
    superseded, used = _superseded(root, token), {}
    for path, digest in sources.values():
        known = cache.known.get(path)
        if known is None or known[1] != digest:
            version = superseded.get(path)
            if version is None or version[0] != digest:
                return memo  # stale: see the module's docstring
            used[path] = version

    def unpickle() -> Analysis | None:
        try:
            stored = unpickle_lasting(rest)
        except UNREADABLE_PICKLE:
            discard_unreadable(root, ANALYSIS_FILE)
            return None  # the build makes an ordinary analysis
        analysis = dataclasses.replace(stored, bodies=StoredBodies(sources, cache, used))
        memo.keyed = analysis  # the page keys were made for it
        memo.recall("link targets", LinkTargets(analysis.graph.titles, analysis.config))
        return analysis

    memo.store(unpickle)
    memo.paths, memo.page_keys = paths, page_keys
    memo.saved = SavedAnalysis(token, used)
    return memo


def _superseded(root: Path, token: str) -> dict[str, tuple[str, RenderedBody]]:
    """The saved analysis's versions of the bodies of notes edited since, by path: (digest, body)."""
    try:
        edits_token, superseded = pickle.loads((root / EDITS_FILE).read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, *UNREADABLE_PICKLE):
        discard_unreadable(root, EDITS_FILE)
        return {}
    return superseded if edits_token == token else {}
