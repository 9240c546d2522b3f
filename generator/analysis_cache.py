"""The last analysis kept on disk, so that a command-line build after notes were edited in
place can bring it up to date (note_edits.py) as serve does in memory. (The page keys of
the last build, incremental.KeyedPages, are not kept: as large again, they load and save
in about the time they take to compute.)

Records and bodies are not stored twice: the pickle refers to each by the path and content
hash of its file in the document cache (documents.py), and loading resolves every reference
to the cache's own object. A reference whose file the cache now holds other bytes for makes
the whole file stale, and it is ignored: the cache moved on without it (a build killed
between the two saves, say). Like the cache, it is keyed by sitegen's code and the render
settings, and deleting it costs one ordinary analysis.
"""

from __future__ import annotations

import dataclasses
import gc
import io
import pickle
from pathlib import Path

from generator.documents import CACHE_DIR, DocumentCache
from generator.graph import target_index
from generator.memo import Memo
from generator.write import replace_file

ANALYSIS_FILE = CACHE_DIR.parent / "analysis.pickle"
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
    def __init__(self, file: io.BytesIO, cache: DocumentCache) -> None:
        super().__init__(file)
        self.cache = cache

    def persistent_load(self, reference: tuple[str, str, int]) -> object:
        path, digest, part = reference
        entry = self.cache.entries.get(path)
        if entry is None or entry.processed.digest != digest:
            raise StaleReference(path)
        return entry.processed.record if part == RECORD else entry.processed.body


def discard_analysis(root: Path) -> None:
    """The build failed: what is on disk no longer matches the document cache."""
    (root / ANALYSIS_FILE).unlink(missing_ok=True)


def save_analysis(root: Path, memo: Memo, cache: DocumentCache) -> None:
    """Write the memo's last analysis, at the end of a build.

    Only the archive and the bodies hold cached objects: they are pickled with references,
    everything else (the link graph above all) by the plain pickler, which runs in C. The
    link targets are made again on loading, from the titles, faster than they load.
    """
    target = root / ANALYSIS_FILE
    analysis = memo.analysis
    if analysis is None:
        return
    references: dict[int, tuple[str, str, int]] = {}
    for path, entry in cache.entries.items():
        processed = entry.processed
        references[id(processed.record)] = (path, processed.digest, RECORD)
        references[id(processed.body)] = (path, processed.digest, BODY)
    documents = io.BytesIO()
    _ReferencingPickler(documents, references).dump((analysis.archive, analysis.bodies))
    rest = dataclasses.replace(analysis, archive=None, bodies=None)
    replace_file(target, pickle.dumps((cache.settings, memo.paths, documents.getvalue(), rest), protocol=pickle.HIGHEST_PROTOCOL))


def load_analysis(root: Path, cache: DocumentCache) -> Memo:
    """A memo holding the analysis saved by the last build, if it still matches `cache`; else an empty one."""
    memo = Memo()
    try:
        data = (root / ANALYSIS_FILE).read_bytes()
    except OSError:
        return memo
    gc.disable()  # as load_cache: many objects, no garbage
    try:
        settings, paths, documents, rest = pickle.loads(data)
        if settings != cache.settings:
            return memo
        archive, bodies = _ResolvingUnpickler(io.BytesIO(documents), cache).load()
    except (StaleReference, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError):
        return memo
    finally:
        gc.enable()
    gc.freeze()
    memo.analysis, memo.paths = dataclasses.replace(rest, archive=archive, bodies=bodies), paths
    memo.recall("link targets", target_index(list(rest.graph.titles.items()), rest.config))
    return memo
