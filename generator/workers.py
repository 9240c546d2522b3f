"""Running a stage on both cores: forked worker processes over the same frozen records.

Forking shares the records with the workers without pickling them; each process takes
every n-th item of the stage's work (`run_shared`'s parts), or the next chunk of items
from a counter they share (`Pull`), and returns a small result. A stage function is
kept in a module global for the workers to find, because closures cannot be pickled.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from typing import Callable, TypeVar

Result = TypeVar("Result")

MIN_ITEMS_FOR_WORKERS = 400
_task: Callable[[int, int], object] | None = None


def worker_count(items: int, requested: int | None = None) -> int:
    """How many processes a stage of `items` should use: one for small sites or without fork."""
    if requested is not None:
        return max(1, requested)
    if items < MIN_ITEMS_FOR_WORKERS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def run_shared(task: Callable[[int, int], Result], workers: int, first: Callable[[], object] | None = None) -> list[Result]:
    """task(part, parts) for every part, part 0 in this process; results in part order.

    `first` runs in this process before its part, while the workers start on theirs: work
    that would otherwise keep them waiting (the task should then take its items from a
    `Pull`, so that the late part takes fewer)."""
    global _task
    if workers <= 1:
        if first is not None:
            first()
        return [task(0, 1)]
    _task = task
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers - 1) as pool:
            pending = [pool.apply_async(_run_part, (part, workers)) for part in range(1, workers)]
            if first is not None:
                first()
            own = task(0, workers)
            return [own] + [result.get() for result in pending]
    finally:
        _task = None


class Pull:
    """A stage's items, numbered 0 to total - 1, handed out a chunk at a time to whichever
    process asks next (a counter in memory shared across the fork): the processes finish
    together even when one starts late or gets the slower items."""

    CHUNK = 32

    def __init__(self, total: int) -> None:
        self.total = total
        self._next = multiprocessing.Value("q", 0)

    def indices(self) -> Iterator[int]:
        while True:
            with self._next.get_lock():
                start = self._next.value
                self._next.value = start + self.CHUNK
            if start >= self.total:
                return
            yield from range(start, min(start + self.CHUNK, self.total))

    def taken(self) -> int:
        """How many items have been handed out, by now: read without the lock (`.value` takes
        it), since this is asked for every rendered page and only estimates progress."""
        return min(self._next.get_obj().value, self.total)


class Background:
    """A task run in a forked process while this one goes on: for work on a finished stage's
    records that would otherwise keep the second core idle (writing the document cache while
    the link graph and the page keys are made). The task must leave nothing behind in this
    process's memory that is needed: its own changes stay in the child."""

    def __init__(self, task: Callable[[], object]) -> None:
        self.process = multiprocessing.get_context("fork").Process(target=_run_quietly, args=(task,))
        self.process.start()

    def succeeded(self) -> bool:
        """Wait for the task; False when it failed (it says nothing: the caller does the work again to report why)."""
        self.process.join()
        return self.process.exitcode == 0


def _run_quietly(task: Callable[[], object]) -> None:
    try:
        task()
    except BaseException:
        os._exit(1)


def _run_part(part: int, parts: int):
    assert _task is not None
    return _task(part, parts)


class Progress:
    """`label NN%` on one terminal line, rewritten when the percentage changes; silent unless `shown`."""

    def __init__(self, label: str, total: int, shown: bool) -> None:
        self.label, self.total, self.shown = label, total, shown
        self.percent = -1

    def show(self, done: int) -> None:
        percent = 100 * done // max(self.total, 1)
        if self.shown and percent != self.percent:
            self.percent = percent
            print(f"\r{self.label} {percent:3d}%", end="" if percent < 100 else "\n", file=sys.stderr)
