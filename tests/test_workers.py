"""The worker helpers: parts run in forked processes, items pulled a chunk at a time, progress lines."""

from __future__ import annotations

import os
import time

import pytest

from generator.workers import BATCH, Progress, Pull, map_streamed, run_shared


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("total", [0, 1, Pull.CHUNK, Pull.CHUNK + 1, 10 * Pull.CHUNK + 7])
def test_pull_hands_out_every_item_once_across_processes(workers, total):
    pull = Pull(total)
    parts = run_shared(lambda part, parts: (part, os.getpid(), list(pull.indices())), workers)
    taken = [index for _, _, indices in parts for index in indices]
    assert sorted(taken) == list(range(total))
    assert [part for part, _, _ in parts] == list(range(workers))
    assert parts[0][1] == os.getpid()  # part 0 runs here, the others in forked processes
    assert all(pid != os.getpid() for _, pid, _ in parts[1:])
    assert pull.taken() == total


def test_first_runs_here_before_this_process_takes_its_part():
    events: list[str] = []
    pull = Pull(4 * Pull.CHUNK)

    def part_of(part: int, parts: int) -> list[int]:
        if part == 0:
            events.append("part 0")
        return list(pull.indices())

    parts = run_shared(part_of, 2, first=lambda: events.append(f"first in {os.getpid()}"))
    assert events == [f"first in {os.getpid()}", "part 0"]
    assert sorted(parts[0] + parts[1]) == list(range(4 * Pull.CHUNK))


def test_first_runs_with_a_single_worker_too():
    events: list[str] = []
    assert run_shared(lambda part, parts: events.append("part") or part, 1, first=lambda: events.append("first")) == [0]
    assert events == ["first", "part"]


def test_progress_rewrites_one_line_when_the_percentage_changes(capsys):
    shown = Progress("rendering pages", 200, True)
    for done in range(1, 201):
        shown.show(done)
    err = capsys.readouterr().err
    assert err.count("\r") == 101  # 0% .. 100%, each once
    assert err.endswith("\rrendering pages 100%\n")


def test_progress_is_silent_unless_shown(capsys):
    quiet = Progress("reading documents", 10, False)
    for done in range(11):
        quiet.show(done)
    assert capsys.readouterr().err == ""


def _squares(indices):
    """Squares, slowly enough that every process takes some chunks before they are all handed out."""
    for index in indices:
        time.sleep(0.0005)
        yield index, (index * index, os.getpid())


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("total", [0, 1, BATCH + 1, 10 * Pull.CHUNK + 7])
def test_map_streamed_returns_every_result_in_order_from_all_processes(workers, total):
    results = map_streamed(_squares, total, workers)
    assert [square for square, _ in results] == [index * index for index in range(total)]
    if workers > 1 and total > 4 * Pull.CHUNK:
        assert len({pid for _, pid in results}) == workers  # every process took part


def test_map_streamed_raises_what_a_worker_raised():
    def failing(indices):
        for index in indices:
            if os.getpid() != parent:
                raise ValueError(f"broken in a worker at item {index}")
            time.sleep(0.001)
            yield index, index

    parent = os.getpid()
    with pytest.raises(ValueError, match="broken in a worker at item"):
        map_streamed(failing, 8 * Pull.CHUNK, 2)


def test_map_streamed_says_when_a_worker_died():
    def dying(indices):
        for index in indices:
            if os.getpid() != parent:
                os._exit(3)
            time.sleep(0.001)
            yield index, index

    parent = os.getpid()
    with pytest.raises(RuntimeError, match="exit code 3"):
        map_streamed(dying, 8 * Pull.CHUNK, 2)


def test_map_streamed_shows_progress(capsys):
    map_streamed(_squares, 300, 2, Progress("reading documents", 300, True))
    assert capsys.readouterr().err.endswith("\rreading documents 100%\n")
