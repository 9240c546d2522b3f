"""The worker helpers: parts run in forked processes, items pulled a chunk at a time, progress lines."""

from __future__ import annotations

import os

import pytest

from generator.workers import Progress, Pull, run_shared


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
