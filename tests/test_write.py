"""The write stage: all or nothing, even when the build is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import write
from generator.build import build
from generator.errors import SiteError
from generator.records import Page
from generator.write import OLD_PREFIX, swap_in
from tests.conftest import REPO, copy_archive


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def bigger_archive(root: Path, copies: int) -> Path:
    """The bundled archive plus many copies of its article, so a build takes a while."""
    copy_archive(REPO, root)
    source = (root / "content" / "articles" / "iran-facilitating-attacks-us-troops.md").read_text()
    for number in range(copies):
        (root / "content" / "articles" / f"copy-{number}.md").write_text(source)
    return root


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.4, 0.7, 1.0])
def test_a_killed_build_leaves_the_previous_site(tmp_path, delay):
    root = bigger_archive(tmp_path / "archive", copies=150)
    build(root, search=False)
    before = snapshot(root / "site")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "-C", str(root), "build", "--no-search", "--force"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Same content, deterministic output: whether the killed build got to its swap or not, site/ is whole.
    assert snapshot(root / "site") == before
    build(root, search=False, force=True)
    assert snapshot(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith((".sitegen-tmp", ".sitegen-old"))] == []


def test_an_interrupted_fallback_swap_is_repaired_by_the_next_build(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    before = snapshot(root / "site")
    (root / "site").rename(root / f"{OLD_PREFIX}site-12345")  # killed between the two renames
    build(root, search=False)
    assert snapshot(root / "site") == before
    assert not list(root.glob(f"{OLD_PREFIX}*"))


def test_a_large_replaced_site_is_deleted_in_the_background_and_the_next_build_does_not_wait(tmp_path, monkeypatch):
    deleting: list[Path] = []
    monkeypatch.setattr(write, "_delete_in_background", deleting.append)  # recorded, not run
    out, staging = tmp_path / "site", tmp_path / "staging"
    for folder, name in ((out, "old.html"), (staging, "new.html")):
        folder.mkdir()
        (folder / name).write_text(name)
    swap_in(staging, out, files=write.BACKGROUND_DELETE_FILES)
    [trash] = deleting
    assert trash.name.startswith(f"{write.TRASH_PREFIX}site-") and (trash / "old.html").exists()
    next_staging = write.staging_dir(out)  # the next build, while the deletion still runs
    assert (trash / "old.html").exists() and deleting == [trash]
    write.discard(next_staging)
    stale = tmp_path / f"{write.TRASH_PREFIX}site-{time.time_ns() - write.TRASH_GRACE_NS - 1}"
    stale.mkdir()  # left by a deletion that was cut short
    write.discard(write.staging_dir(out))
    assert deleting == [trash, stale]


def test_swap_replaces_the_whole_folder(tmp_path):
    out, staging = tmp_path / "site", tmp_path / "staging"
    out.mkdir()
    (out / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    swap_in(staging, out)
    assert sorted(os.listdir(out)) == [".sitegen-output", "new.html"]
    assert not staging.exists()


def test_an_unchanged_archive_is_not_rebuilt_but_any_change_is(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    first = build(root, search=False)
    assert not first.up_to_date
    again = build(root, search=False)
    assert again.up_to_date and again.warnings == first.warnings
    note = root / "content" / "notes" / "proxy-network.md"
    note.write_text(note.read_text().replace("The article names four", "The article names four groups"))
    changed = build(root, search=False)
    assert not changed.up_to_date
    assert "names four groups" in (root / "site" / "notes" / "proxy-network" / "index.html").read_text()
    assert not build(root, search=False, base_url="/repo/").up_to_date  # overrides count as inputs
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text("{% extends 'base.html' %}{% block main %}gone{% endblock %}")
    assert not build(root, search=False, base_url="/repo/").up_to_date
    assert "gone" in (root / "site" / "404.html").read_text()


@pytest.mark.parametrize("path", ["../outside.html", "/etc/passwd", "a/../../b.html", "a/b/..", "\\\\server\\x", "\\x.html"])
def test_a_page_path_that_could_leave_the_staging_folder_is_refused(tmp_path, path):
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(SiteError, match="escapes the site folder"):
        write.write_pages(staging, [Page(path, b"x")])
    assert not any(tmp_path.rglob("*.html"))


def test_pages_are_written_under_the_staging_folder(tmp_path):
    assert write.write_pages(tmp_path, [Page("a/b/index.html", b"1"), Page("a/c.html", b"2"), Page("top.xml", b"3")]) == ["a/b/index.html", "a/c.html", "top.xml"]
    assert (tmp_path / "a" / "b" / "index.html").read_bytes() == b"1" and (tmp_path / "top.xml").read_bytes() == b"3"


def test_ctrl_c_while_pages_are_moved_into_the_site_is_taken_once_all_are(tmp_path, monkeypatch):
    out, patch = tmp_path / "site", tmp_path / "patch"
    out.mkdir()
    written = [f"page-{number}.html" for number in range(20)]
    for name in written:
        (patch / name).parent.mkdir(parents=True, exist_ok=True)
        (patch / name).write_text(name)
    plain, moved = os.replace, []

    def interrupted(source, target):
        if len(moved) == 3:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C pressed among the moves
        plain(source, target)
        moved.append(target)

    monkeypatch.setattr(write.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write.apply_patch(patch, out, written, [])
    assert sorted(p.name for p in out.glob("page-*.html")) == sorted(written)
