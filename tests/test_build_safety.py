"""Publishing safely: builds that overlap, are interrupted, meet a full disk or a damaged cache."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate_archive
from generator import build as build_module
from generator import serve as serve_module
from generator import write
from generator.build import build
from generator.cli import main
from generator.content import load as load_module
from generator.documents import shard_of
from generator.errors import SiteError
from generator.lock import build_lock
from tests.conftest import REPO, copy_archive

# A `sitegen build` whose every page write takes a little longer: its write stage lasts long
# enough for a second build to start while it runs (what an editor's on-save hook does).
SLOW_WRITER = """
import sys, time
from generator import cli, write
plain = write._write_new_file
def slow(target, data):
    time.sleep(0.004)
    plain(target, data)
write._write_new_file = slow
sys.argv[0] = "sitegen"
cli.run()
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A generated archive large enough for the worker processes, and its site built cold."""
    root = tmp_path_factory.mktemp("generated") / "archive"
    generate_archive(root, 300)
    cold = tmp_path_factory.mktemp("cold") / "archive"
    shutil.copytree(root, cold)
    build(cold, search=False)
    return root, snapshot(cold / "site")


def fresh_copy(generated: tuple[Path, dict[str, bytes]], target: Path) -> Path:
    shutil.copytree(generated[0], target)
    return target


def sitegen(root: Path, *args: str, code: str | None = None, **options) -> subprocess.Popen:
    command = [sys.executable, "-c", code, "-C", str(root), *args] if code else [sys.executable, "-m", "generator", "-C", str(root), *args]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def wait_for_staging(root: Path, process: subprocess.Popen) -> None:
    """Until the build writes its staging folder (some pages in it already)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        for staging in root.glob(".sitegen-tmp-site-*"):
            if sum(1 for _ in staging.rglob("index.html")) > 20:
                return
        time.sleep(0.01)
    raise AssertionError(f"the first build never wrote its staging folder: {process.communicate()}")


def test_a_build_started_while_another_writes_leaves_a_complete_site(generated, tmp_path):
    root = fresh_copy(generated, tmp_path / "archive")
    first = sitegen(root, "build", "--no-search", code=SLOW_WRITER)
    wait_for_staging(root, first)
    second = sitegen(root, "build", "--no-search")
    second_out, second_err = second.communicate(timeout=300)
    first_out, first_err = first.communicate(timeout=300)
    assert (first.returncode, second.returncode) == (0, 0), (first_err, second_err)
    assert snapshot(root / "site") == generated[1]
    assert build(root, search=False).up_to_date  # and what is recorded as up to date is that complete site
    assert snapshot(root / "site") == generated[1]
    assert not [p.name for p in root.iterdir() if p.name.startswith((".sitegen-tmp", ".sitegen-old"))]
    assert "waiting for another build of this archive to finish" in second_err


def test_a_staging_folder_is_removed_as_a_leftover_only_when_its_build_is_gone(tmp_path):
    out = tmp_path / "site"
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    try:
        theirs = tmp_path / f"{write.TEMP_PREFIX}site-{running.pid}"  # another build's, still writing
        (theirs / "articles").mkdir(parents=True)
        left = tmp_path / f"{write.TEMP_PREFIX}site-{ended.pid}"  # a killed build's
        left.mkdir()
        mine = write.staging_dir(out)
        assert theirs.is_dir() and (theirs / "articles").is_dir()
        assert not left.exists()
        write.discard(mine)
    finally:
        running.kill()
        running.wait()
    write.discard(write.staging_dir(out))  # its build has ended now
    assert not theirs.exists()


def test_a_staging_folder_that_lost_files_is_never_swapped_in_nor_recorded(tmp_path, monkeypatch):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    before = snapshot(root / "site")
    note = root / "content" / "notes" / "kirby-facilitating.md"
    note.write_text(note.read_text() + "\nOne more line.\n")
    plain = write.write_pages

    def losing(staging: Path, pages) -> list[str]:  # another program removes a page meanwhile
        written = plain(staging, pages)
        (staging / "index.html").unlink(missing_ok=True)
        return written

    monkeypatch.setattr(build_module, "write_pages", losing)
    with pytest.raises(SiteError) as raised:
        build(root, search=False, force=True)
    [problem] = raised.value.problems
    assert problem.loc.path == str(root / "site") and "removed from its staging folder" in problem.message
    assert snapshot(root / "site") == before
    monkeypatch.undo()
    assert not build(root, search=False).up_to_date  # the failed build recorded nothing
    cold = copy_archive(root, tmp_path / "cold")
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site")


def test_serve_builds_take_the_same_lock(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    preview = serve_module.Preview(root.resolve(), base_url=None)
    outcome: list[tuple] = []
    with build_lock(root):  # a `sitegen build` running
        rebuild = threading.Thread(target=lambda: outcome.append(preview.rebuild(set(), initial=True)))
        rebuild.start()
        rebuild.join(3)
        assert rebuild.is_alive() and not (root / serve_module.OUTPUT).exists()
    rebuild.join(120)
    assert outcome == [()] and (root / serve_module.OUTPUT / "index.html").is_file()
    preview.close()


def worker_processes(pid: int) -> list[str]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.read_text().split() if children.exists() else []


@pytest.mark.parametrize("stage", ["parsing", "writing"])
def test_ctrl_c_prints_only_interrupted_and_leaves_the_site_as_it_was(generated, tmp_path, stage):
    root = fresh_copy(generated, tmp_path / "archive")
    build(root, search=False)
    before = snapshot(root / "site")
    note = next((root / "content" / "notes").glob("*.md"))
    note.write_text(note.read_text() + "\nAn edit the interrupted build was to publish.\n")
    if stage == "parsing":
        shutil.rmtree(root / ".sitegen-cache")  # every document is parsed again, by the worker processes
    process = sitegen(root, "build", "--no-search", "--force", code=SLOW_WRITER, start_new_session=True)
    deadline = time.monotonic() + 120
    if stage == "parsing":
        while not worker_processes(process.pid) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.005)
    else:
        wait_for_staging(root, process)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to every process of the command
    out, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (130, "sitegen: interrupted\n")
    assert snapshot(root / "site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith((".sitegen-tmp", ".sitegen-old"))]
    build(root, search=False)
    assert "An edit the interrupted build was to publish." in (root / "site" / "notes" / note.stem / "index.html").read_text()


def test_a_full_disk_is_one_line_naming_the_file_and_leaves_the_site(tmp_path, capsys, monkeypatch):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    before = snapshot(root / "site")
    plain, calls = os.write, []

    def full(fd: int, data) -> int:  # the disk fills up after a few pages, as the kernel says it
        calls.append(fd)
        if len(calls) > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return plain(fd, data)

    monkeypatch.setattr(write.os, "write", full)
    code = main(["-C", str(root), "build", "--no-search", "--force", "--jobs", "1"])
    monkeypatch.undo()
    first, *rest = capsys.readouterr().err.splitlines()
    assert code == 1 and rest == ["sitegen: stopped by the error above"]
    path, message = first.rsplit(": ", 1)
    assert message == "No space left on device" and path.startswith(f"{root / 'site'}/") and Path(path).relative_to(root / "site").suffix
    assert snapshot(root / "site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith((".sitegen-tmp", ".sitegen-old"))]


def test_a_file_deleted_while_the_build_reads_it_is_named_by_its_project_path(tmp_path, capsys, monkeypatch):
    root = copy_archive(REPO, tmp_path / "archive")
    article = root / "content" / "articles" / "iran-facilitating-attacks-us-troops.md"
    scanned = build_module.scan_content

    def deleting(*args, **options):  # the file is gone between the scan and its reading
        found = scanned(*args, **options)
        article.unlink()
        return found

    monkeypatch.setattr(build_module, "scan_content", deleting)
    monkeypatch.chdir(root)
    assert main(["build", "--no-search"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/articles/iran-facilitating-attacks-us-troops.md: file was deleted while the build read it (build again)",
        "sitegen: 1 error; nothing was written",
    ]
    assert not (root / "site").exists()


CACHE_FILES = {
    "templates": "templates/*.cache",
    "documents": "documents/*.pickle",
    "analysis": "analysis.pickle",
    "page keys": "last-build-*.marshal",
}


@pytest.mark.parametrize("damage", ["cut short", "emptied", "garbage"])
@pytest.mark.parametrize("kind", sorted(CACHE_FILES))
def test_an_unreadable_cache_file_is_discarded_with_a_warning_and_made_again(tmp_path, capsys, kind, damage):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    note = root / "content" / "notes" / "kirby-facilitating.md"
    note.write_text(note.read_text() + "\nAn edit after the cache was damaged.\n")  # a build that reads every cache
    damaged = sorted((root / ".sitegen-cache").glob(CACHE_FILES[kind]))
    assert damaged
    for file in damaged:
        data = file.read_bytes()
        file.write_bytes({"cut short": data[: len(data) // 2], "emptied": b"", "garbage": b"\x80\x05not a cache" * 3}[damage])
    assert main(["-C", str(root), "build", "--no-search"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: ")]
    assert warnings and all(line.endswith(": unreadable cache file (cut short or damaged); discarded, it is made again") for line in warnings)
    assert {line.split(": ")[1] for line in warnings} <= {file.relative_to(root).as_posix() for file in damaged}
    cold = copy_archive(root, tmp_path / "cold")
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site")
    note.write_text(note.read_text() + "\nAnd another.\n")
    assert main(["-C", str(root), "build", "--no-search"]) == 0  # the files were made again, sound
    assert "warning" not in capsys.readouterr().err


def damage_results(shard: Path) -> None:
    """Scramble the end of a document cache shard (its results), keeping its size and its index."""
    data = bytearray(shard.read_bytes())
    third = len(data) // 3  # not `-len(data) // 3`, which rounds away from zero: one byte shorter, the index no longer fits
    data[len(data) - third :] = bytes(third)
    assert len(data) == shard.stat().st_size
    shard.write_bytes(bytes(data))


def test_a_cache_damaged_where_only_the_saved_analysis_reads_it_is_made_again_in_the_same_build(tmp_path, capsys):
    root = copy_archive(REPO, tmp_path / "archive")
    for file in (root / "content").rglob("*.md"):  # unchanged long enough for their signatures to be trusted: the scan reads none
        os.utime(file, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    build(root, search=False)
    note = root / "content" / "notes" / "kirby-facilitating.md"  # on the article, whose page shows it
    note.write_text(note.read_text() + "\nAn edit after the cache was damaged.\n")
    article = "content/articles/iran-facilitating-attacks-us-troops.md"
    assert shard_of(article) != shard_of(note.relative_to(root).as_posix())  # read only for the article's page
    damage_results(root / ".sitegen-cache" / "documents" / f"{shard_of(article):02d}.pickle")
    assert main(["-C", str(root), "build", "--no-search"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"warning: .sitegen-cache/documents/{shard_of(article):02d}.pickle: unreadable cache file (cut short or damaged); discarded, it is made again"
    ]
    cold = copy_archive(root, tmp_path / "cold")
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site")


def test_a_cache_damaged_where_the_scan_reads_it_is_made_again(tmp_path, capsys):
    root = copy_archive(REPO, tmp_path / "archive")
    files = sorted((root / "content").rglob("*.md"))
    for file in files:  # unchanged long enough for their signatures to be trusted
        os.utime(file, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    build(root, search=False)
    for file in files:  # touched, not changed: the scan reads each and finds its bytes the cached ones
        os.utime(file, ns=(time.time_ns() - 5 * 10**9, time.time_ns() - 5 * 10**9))
    for shard in (root / ".sitegen-cache" / "documents").glob("*.pickle"):
        damage_results(shard)
    assert main(["-C", str(root), "build", "--no-search", "--force"]) == 0
    warnings = capsys.readouterr().err.splitlines()
    assert warnings and all(line.endswith("unreadable cache file (cut short or damaged); discarded, it is made again") for line in warnings)
    cold = copy_archive(root, tmp_path / "cold")
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site")


def test_a_file_deleted_while_content_is_walked_is_left_out(tmp_path, monkeypatch):
    root = copy_archive(REPO, tmp_path / "archive")
    gone = root / "content" / "notes" / "kirby-facilitating.md"
    plain = os.scandir

    @contextlib.contextmanager
    def listed_then_deleted(path):  # the file is listed, then deleted before it is looked at
        with plain(path) as entries:
            listed = list(entries)
        if Path(path) == gone.parent:
            gone.unlink()
        yield iter(listed)

    documents = len(list((root / "content").rglob("*.md")))

    monkeypatch.setattr(load_module.os, "scandir", listed_then_deleted)
    walk = load_module.walk_content(root)
    assert gone.relative_to(root).as_posix() not in [rel for _, rel, _ in walk.markdown]
    assert len(walk.markdown) == documents - 1
