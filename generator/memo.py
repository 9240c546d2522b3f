"""Stage results kept in memory across the rebuilds of one `sitegen serve` session.

After an edit to one note, nearly every record and rendered body of a rebuild is the very
same object as in the build before (documents.py keeps the results of unchanged files),
so a stage's work on an item whose inputs are those same objects would give the same
answer again. A stage asks the memo first: `reuse(key, same, equal, compute)` returns the
result made last time when every input in `same` is the identical object and every
value in `equal` is equal, and computes it otherwise. Identity is the cheap and safe
test for large inputs (records are frozen; a rendered body is never changed in place);
equality is for small values that are made anew on each build (config, link targets).

A `build` from the command line starts with an empty memo, so every stage computes everything.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from generator.records import Analysis, KeyedPages

Result = TypeVar("Result")
_UNKNOWN_INPUTS = (object(),)  # matches no inputs: `reuse` compares by identity


class Memo:
    """Results by key with the inputs they were made from; kept only while they are asked for."""

    def __init__(self) -> None:
        self.held: dict[Hashable, tuple[tuple[Any, ...], tuple[Any, ...], Any]] = {}
        self.asked: dict[Hashable, tuple[tuple[Any, ...], tuple[Any, ...], Any]] = {}
        self.page_keys: KeyedPages | None = None  # the last build's page keys, with what each was computed from
        self.keyed: Analysis | None = None  # the analysis those keys were computed for
        self.touched: frozenset[tuple[str, str]] | None = None  # the documents whose key facts may differ from those of `keyed` (note_edits.py); None: any
        self._analysis: Analysis | None = None  # the last analysis, while it matches the document cache (note_edits.py)
        self._stored: Callable[[], Analysis | None] | None = None  # or what unpickles it from disk (analysis_cache.py)
        self.paths: tuple[str, ...] = ()  # the content files it was made from
        self.saved: SavedAnalysis | None = None  # the analysis on disk it was made from by note edits, if it was

    @property
    def analysis(self) -> Analysis | None:
        """The last analysis; the one on disk is unpickled when first read (a build after an
        article edit makes its own, and never reads it)."""
        if self._stored is not None:
            stored, self._stored = self._stored, None
            self._analysis = stored()
        return self._analysis

    @analysis.setter
    def analysis(self, analysis: Analysis | None) -> None:
        self._stored, self._analysis = None, analysis

    def store(self, unpickle: Callable[[], Analysis | None]) -> None:
        """The last analysis is on disk: `unpickle` gives it when it is first read (None if it is damaged)."""
        self._stored, self._analysis = unpickle, None

    def reuse(self, key: Hashable, same: tuple[Any, ...], equal: tuple[Any, ...], compute: Callable[[], Result]) -> Result:
        entry = self.held.get(key)
        if entry is None or not _matches(entry, same, equal):
            entry = (same, equal, compute())
        self.asked[key] = entry
        return entry[2]

    def last(self, key: Hashable) -> Any:
        """The result made for `key` by the last analysis, whatever it was made from (None if none):
        for a caller that knows the inputs are the same."""
        entry = self.held.get(key)
        return entry[2] if entry is not None else None

    def recall(self, key: Hashable, result: Any) -> None:
        """Hold a result whose inputs are not known (read back from disk): `last` gives it,
        `reuse` never takes it."""
        self.held[key] = (_UNKNOWN_INPUTS, (), result)

    def settle(self) -> None:
        """End of an analysis: forget what it did not ask for (deleted documents, old inputs)."""
        self.held, self.asked = self.asked, {}

    def drop_results(self) -> None:
        """Forget every stage result but the analysis: a command-line build saves that and ends,
        and every document's results would only take memory until then."""
        self.held, self.asked = {}, {}

    def keep(self) -> None:
        """End of an analysis that asked only about the documents that changed (note_edits.py):
        what it did not ask for still holds."""
        self.held.update(self.asked)
        self.asked = {}


@dataclass(slots=True)
class SavedAnalysis:
    """The analysis on disk (analysis_cache.py), as far as a memo's analysis was made from it by
    note edits: `superseded` holds its versions of the bodies of the notes edited since, which
    the document cache no longer holds, by path: (digest, body)."""

    token: str  # the file's own, which the file of superseded versions names
    superseded: dict[str, tuple[str, Any]]


def _matches(entry: tuple[tuple[Any, ...], tuple[Any, ...], Any], same: tuple[Any, ...], equal: tuple[Any, ...]) -> bool:
    held_same, held_equal, _ = entry
    return len(held_same) == len(same) and all(map(operator.is_, held_same, same)) and held_equal == equal
