"""The command line itself: finding the archive, the note and entity commands' feedback, exit codes, the reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO, copy_archive

HIGHLIGHTS = REPO / "tests" / "fixtures" / "sites" / "highlights"


@pytest.fixture
def archive(tmp_path) -> Path:
    return copy_archive(HIGHLIGHTS, tmp_path / "archive")


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_a_command_run_in_a_subfolder_works_on_the_archive_above(archive, capsys, monkeypatch):
    monkeypatch.chdir(archive / "content" / "notes")
    code, out, _ = run(capsys, "note", "harbour-vote", "Work starts in May")
    assert code == 0 and out.strip() == "wrote content/notes/work-starts-in-may.md"
    assert (archive / "content" / "notes" / "work-starts-in-may.md").is_file()
    assert run(capsys, "check")[0] == 0


def test_the_nearest_archive_wins_and_c_still_wins_over_it(archive, tmp_path, capsys, monkeypatch):
    inner = copy_archive(HIGHLIGHTS, archive / "nested")
    (inner / "sitegen.yaml").unlink()
    monkeypatch.chdir(inner / "content" / "articles")
    assert run(capsys, "note", "harbour-vote", "Work starts in May")[0] == 0
    assert (inner / "content" / "notes" / "work-starts-in-may.md").is_file()
    assert not (archive / "content" / "notes" / "work-starts-in-may.md").exists()
    assert run(capsys, "-C", str(archive), "note", "harbour-vote", "Work starts in May")[0] == 0
    assert (archive / "content" / "notes" / "work-starts-in-may.md").is_file()


def test_outside_any_archive_the_current_folder_is_still_not_an_archive(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check")
    assert code == 1 and err.startswith(".: not an archive")
