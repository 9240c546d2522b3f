"""Running a stage on both cores: forked worker processes over the same frozen records.

Forking shares the records with the workers without pickling them; each process takes
every n-th item of the stage's work (`run_shared`'s parts), or the next chunk of items
from a counter they share (`Pull`), and returns a small result. A stage function is
kept in a module global for the workers to find, because closures cannot be pickled.
A stage whose results are large (parsing: every record and rendered body) streams them
back as it makes them instead (`map_streamed`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

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
        with interrupts_held():
            pool = context.Pool(workers - 1, initializer=leave_interrupts_to_parent)
        with pool:
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


def map_streamed(
    task: Callable[[Iterator[int]], Iterable[tuple[int, Result]]], total: int, workers: int, shown: Progress | None = None
) -> list[Result]:
    """The results for items 0 to total - 1, in order, from `task(indices)`, which yields
    (index, result) for each index it is handed; the indices are pulled a chunk at a time
    by this process and `workers - 1` forked ones.

    A worker sends its results back a batch at a time, from a thread of its own, while it
    works on; a thread here unpickles them meanwhile. Results sent all at the end (as a
    Pool's are) kept this process waiting on them at the end with the other core idle, and a
    static split of the items let one process finish well after the other
    when the two cores ran at different speeds. `shown` is told how many items were handed out.
    """
    results: list = [None] * total
    shown = shown or Progress("", total, False)
    if workers <= 1:
        for done, (index, result) in enumerate(task(iter(range(total))), start=1):
            results[index] = result
            shown.show(done)
        return results
    pull = Pull(total)
    context = multiprocessing.get_context("fork")
    processes, readers = [], []
    try:
        for _ in range(workers - 1):  # every fork before any thread starts here
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_stream_results, args=(task, pull, writer), daemon=True)
            with interrupts_held():
                process.start()
                processes.append(process)
            writer.close()
            readers.append(reader)
        streams = [_ResultStream(reader, results) for reader in readers]
        for index, result in task(pull.indices()):
            results[index] = result
            shown.show(pull.taken())
        for process, stream in zip(processes, streams):
            stream.finish()
            process.join()
            if process.exitcode != 0:
                raise RuntimeError(f"a worker process ended with exit code {process.exitcode} before sending all its results")
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
    return results


BATCH = 32  # results a worker pickles and sends together


def _stream_results(task: Callable[[Iterator[int]], Iterable[tuple[int, object]]], pull: Pull, writer) -> None:
    """A worker's side of map_streamed: work on pulled indices, a thread sending each batch of results."""
    leave_interrupts_to_parent()
    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def send() -> None:
        while (data := outbox.get()) is not None:
            writer.send_bytes(data)

    sender = threading.Thread(target=send)
    sender.start()
    try:
        batch: list[tuple[int, object]] = []
        for item in task(pull.indices()):
            batch.append(item)
            if len(batch) == BATCH:
                outbox.put(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
                batch = []
        outbox.put(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as error:  # carried to this process's parent, to be raised there
        try:
            outbox.put(pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:
            outbox.put(pickle.dumps(RuntimeError(f"a worker process failed: {error!r}"), protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        outbox.put(None)
        sender.join()
        writer.close()


class _ResultStream:
    """This process's side of one worker's stream: a thread that unpickles each batch as it arrives."""

    def __init__(self, reader, results: list) -> None:
        self.reader, self.results = reader, results
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._receive, daemon=True)
        self.thread.start()

    def _receive(self) -> None:
        try:
            while True:
                batch = pickle.loads(self.reader.recv_bytes())
                if isinstance(batch, BaseException):  # what the worker raised
                    self.failure = batch
                    return
                for index, result in batch:
                    self.results[index] = result
        except EOFError:  # the worker is done, or died (its exit code says which)
            return
        finally:
            self.reader.close()

    def finish(self) -> None:
        """Wait for every result the worker sent; raise what it raised (map_streamed tells a worker that died by its exit code)."""
        self.thread.join()
        if self.failure is not None:
            raise self.failure


class Background:
    """A task run in a forked process while this one goes on: for work on a finished stage's
    records that would otherwise keep the second core idle (writing the document cache while
    the link graph and the page keys are made). The task must leave nothing behind in this
    process's memory that is needed: its own changes stay in the child."""

    def __init__(self, task: Callable[[], object]) -> None:
        self.process = multiprocessing.get_context("fork").Process(target=_run_quietly, args=(task,))
        with interrupts_held():
            self.process.start()

    def succeeded(self) -> bool:
        """Wait for the task; False when it failed (it says nothing: the caller does the work again to report why)."""
        self.process.join()
        return self.process.exitcode == 0


def _run_quietly(task: Callable[[], object]) -> None:
    leave_interrupts_to_parent()
    try:
        task()
    except BaseException:
        os._exit(1)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C held back during the block, and taken at its end: while worker processes are
    forked (a child interrupted before it ignores Ctrl-C would print a traceback, and a
    parent interrupted between the fork and noting the child would leave it running,
    unterminated), and while pages are moved into the output folder (write.apply_patch).

    Python runs signal handlers in the main thread only, whichever thread the system gave
    the signal to, so a handler that notes it holds it back where a signal mask would not.
    Off the main thread, which never sees KeyboardInterrupt, there is nothing to hold back."""
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
            signal.raise_signal(signal.SIGINT)  # now, to the handler there was


def leave_interrupts_to_parent() -> None:
    """In a worker process: ignore Ctrl-C. The terminal sends SIGINT to every process of the
    command; a worker that took it printed its traceback above `sitegen: interrupted`. The
    parent takes it alone, and ends its workers (a pool's are terminated, map_streamed's and
    a finished Background's are joined or terminated)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
