"""Running a stage on both cores: forked worker processes over the same frozen records.

Forking shares the records with the workers without pickling them; each worker takes
every n-th item of the stage's work and returns a small result. A stage function is
kept in a module global for the workers to find, because closures cannot be pickled.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
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


def run_shared(task: Callable[[int, int], Result], workers: int) -> list[Result]:
    """task(part, parts) for every part, part 0 in this process; results in part order."""
    global _task
    if workers <= 1:
        return [task(0, 1)]
    _task = task
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers - 1) as pool:
            pending = [pool.apply_async(_run_part, (part, workers)) for part in range(1, workers)]
            first = task(0, workers)
            return [first] + [result.get() for result in pending]
    finally:
        _task = None


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


def show_progress(label: str, done: int, total: int) -> None:
    """`label NN%` on one terminal line, rewritten every 200 items; call only when stderr is a terminal."""
    if done % 200 == 0 or done == total:
        print(f"\r{label} {100 * done // total:3d}%", end="" if done < total else "\n", file=sys.stderr)
