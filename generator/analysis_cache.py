"""The last analysis kept on disk, so that a command-line build after notes were edited in
place can bring it up to date (note_edits.py) as serve does in memory, with the page keys
it was keyed by (incremental.KeyedPages), so that only the keys of the pages that read an
edited note are computed again.

Records and bodies are not stored twice: the pickle refers to each by the path and content
hash of its file in the document cache (documents.py), and loading resolves every reference
to the cache's own object. A reference whose file the cache now holds other bytes for makes
the whole file stale, and it is ignored: the cache moved on without it (a build killed
between the two saves, say). Like the cache, it is keyed by sitegen's code and the render
settings, and deleting it costs one ordinary analysis.

After a build that only brought it up to date for edited notes, the analysis is not
written again (10 MB at 5,000 articles, a third of a second): the build writes beside it
the saved analysis's own versions of the notes edited since (EDITS_FILE, a few kilobytes),
which the cache no longer holds, and the next build starts from the saved analysis and
those versions again, and brings it up to date for every note edited since. After
MAX_EDITED such notes, or any other analysis, the whole analysis is written again.
"""

from __future__ import annotations

import dataclasses
import gc
import io
import os
import pickle
from pathlib import Path

from generator.documents import CACHE_DIR, UNREADABLE_PICKLE, DocumentCache
from generator.graph import target_index
from generator.memo import Memo, SavedAnalysis
from generator.write import replace_file

ANALYSIS_FILE = CACHE_DIR.parent / "analysis.pickle"
EDITS_FILE = CACHE_DIR.parent / "analysis-edits.pickle"
MAX_EDITED = 64  # notes edited since the analysis on disk was written, before it is written again
RECORD, BODY = 0, 1


class StaleReference(Exception):
    """A reference to a document the cache no longer holds with those bytes."""


class _ReferencingPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, references: dict[int, tuple[str, str, int]]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.references = references  # id of a cached record or body -> (path, digest, RECORD | BODY)

    def persistent_id(self, obj: object) -> tuple[str, str, int] | None:
        return self.references.get(id(obj))


class _ResolvingUnpickler(pickle.Unpickler):
    """Resolves each reference to the cache's result for those bytes or, for a note edited
    since, to the saved analysis's own version of it (`superseded`)."""

    def __init__(self, file: io.BytesIO, cache: DocumentCache, superseded: dict[str, tuple]) -> None:
        super().__init__(file)
        self.cache = cache
        self.superseded = superseded
        self.edited: dict[str, tuple] = {}  # the superseded versions that were used

    def persistent_load(self, reference: tuple[str, str, int]) -> object:
        path, digest, part = reference
        entry = self.cache.entries.get(path)
        if entry is not None and entry.processed.digest == digest:
            return entry.processed.record if part == RECORD else entry.processed.body
        version = self.superseded.get(path)
        if version is None or version[0] != digest:
            raise StaleReference(path)
        self.edited[path] = version
        return version[1 + part]


def discard_analysis(root: Path) -> None:
    """The build failed: what is on disk no longer matches the document cache."""
    (root / ANALYSIS_FILE).unlink(missing_ok=True)
    (root / EDITS_FILE).unlink(missing_ok=True)


def save_analysis(root: Path, memo: Memo, cache: DocumentCache) -> None:
    """Keep the memo's last analysis and page keys, at the end of a build: only the saved
    analysis's versions of the notes edited since, if it was made from it; else the whole.

    Only the archive and the bodies hold cached objects: they are pickled with references,
    everything else (the link graph above all, and the page keys, which share its objects)
    by the plain pickler, which runs in C. The link targets are made again on loading,
    from the titles, faster than they load.
    """
    analysis = memo.analysis
    if analysis is None:
        return
    saved = memo.saved
    if saved is not None and len(saved.superseded) <= MAX_EDITED:
        replace_file(root / EDITS_FILE, pickle.dumps((saved.token, saved.superseded), protocol=pickle.HIGHEST_PROTOCOL))
        return
    references: dict[int, tuple[str, str, int]] = {}
    for path, entry in cache.entries.items():
        processed = entry.processed
        references[id(processed.record)] = (path, processed.digest, RECORD)
        references[id(processed.body)] = (path, processed.digest, BODY)
    documents = io.BytesIO()
    _ReferencingPickler(documents, references).dump((analysis.archive, analysis.bodies))
    rest = dataclasses.replace(analysis, archive=None, bodies=None)
    token = os.urandom(8).hex()  # pairs the edits file with this analysis
    data = (cache.settings, token, memo.paths, documents.getvalue(), rest, memo.page_keys)
    replace_file(root / ANALYSIS_FILE, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    (root / EDITS_FILE).unlink(missing_ok=True)
    memo.saved = SavedAnalysis(token, {})


def load_analysis(root: Path, cache: DocumentCache) -> Memo:
    """A memo holding the analysis saved by the last build, if it still matches `cache`; else an empty one."""
    memo = Memo()
    try:
        data = (root / ANALYSIS_FILE).read_bytes()
    except OSError:
        return memo
    gc.disable()  # as load_cache: many objects, no garbage
    try:
        settings, token, paths, documents, rest, page_keys = pickle.loads(data)
        if settings != cache.settings:
            return memo
        unpickler = _ResolvingUnpickler(io.BytesIO(documents), cache, _superseded(root, token))
        archive, bodies = unpickler.load()
    except (StaleReference, *UNREADABLE_PICKLE):
        return memo
    finally:
        gc.enable()
    gc.freeze()
    memo.analysis, memo.paths = dataclasses.replace(rest, archive=archive, bodies=bodies), paths
    memo.page_keys = page_keys
    memo.saved = SavedAnalysis(token, unpickler.edited)
    memo.recall("link targets", target_index(list(rest.graph.titles.items()), rest.config))
    return memo


def _superseded(root: Path, token: str) -> dict[str, tuple]:
    """The saved analysis's versions of notes edited since, by path: (digest, record, body)."""
    try:
        edits_token, superseded = pickle.loads((root / EDITS_FILE).read_bytes())
    except (OSError, *UNREADABLE_PICKLE):
        return {}
    return superseded if edits_token == token else {}
