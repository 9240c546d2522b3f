"""The content walk that serve patches with the watcher's paths equals a fresh walk, or asks for one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.content.load import ContentWalk, walk_changes, walk_content
from tests.conftest import REPO, copy_archive


def same_walk(root: Path, changed: set[str]) -> None:
    """The walk made before the changes (by the fixture), patched, equals a fresh one."""
    patched = walk_changes(root, walk_before_changes[root], changed)
    fresh = walk_content(root)
    assert patched is not None
    assert [(c, rel) for c, rel, _ in patched.markdown] == [(c, rel) for c, rel, _ in fresh.markdown]
    assert [info.st_mtime_ns for *_, info in patched.markdown] == [info.st_mtime_ns for *_, info in fresh.markdown]
    assert patched.others == fresh.others


walk_before_changes: dict[Path, ContentWalk] = {}


@pytest.fixture
def archive(tmp_path) -> Path:
    root = copy_archive(REPO, tmp_path / "archive")
    walk_before_changes[root] = walk_content(root)
    return root


def test_an_edited_file_gets_its_new_stat(archive):
    note = archive / "content/notes/proxy-network.md"
    note.write_text(note.read_text() + "\nMore.\n")
    os.utime(note, ns=(1, 2))
    same_walk(archive, {"content/notes/proxy-network.md"})


def test_added_deleted_and_renamed_files(archive):
    (archive / "content/notes/new-one.md").write_text("A new note.\n")
    (archive / "content/notes/who-is-who.md").unlink()
    (archive / "content/notes/proxy-network.md").rename(archive / "content/notes/a-network.md")
    (archive / "content/articles/picture.png").write_bytes(b"\x89PNG")
    (archive / "content/stray.md").write_text("not in a collection\n")
    changed = {
        "content/notes/new-one.md",
        "content/notes/who-is-who.md",
        "content/notes/proxy-network.md",
        "content/notes/a-network.md",
        "content/articles/picture.png",
        "content/stray.md",
        "themes/default/static/style.css",  # outside content/: not looked at
    }
    same_walk(archive, changed)


def test_links_count_as_walk_content_counts_them(archive, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("linked\n")
    (archive / "content/notes/linked.md").symlink_to(outside)
    (archive / "content/notes/folder-link.md").symlink_to(tmp_path, target_is_directory=True)
    same_walk(archive, {"content/notes/linked.md", "content/notes/folder-link.md"})


@pytest.mark.parametrize("change", ["new folder", "removed folder", "whole folder reported"])
def test_a_changed_folder_asks_for_a_fresh_walk(archive, change):
    if change == "new folder":
        (archive / "content/notes/2026").mkdir()
        changed = {"content/notes/2026"}
    elif change == "removed folder":
        for file in (archive / "content/entities").iterdir():
            file.unlink()
        (archive / "content/entities").rmdir()
        changed = {"content/entities"}
    else:
        changed = {"content/"}
    assert walk_changes(archive, walk_before_changes[archive], changed) is None


def test_the_walk_orders_paths_by_their_parts(tmp_path):
    """Folders are walked where their names sort among their files ('a/' before 'a-b.md' and
    'a.md'), collections in their fixed order: as sorting every path by its parts would."""
    root = tmp_path / "archive"
    names = ["notes/a.md", "notes/a-b.md", "notes/a/z.md", "notes/a/b/c.md", "notes/B.md", "articles/x.md", "entities/e.md", "notes/a/pic.png", "notes/a.png", "loose.txt"]
    for name in names:
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text("text\n")
    walk = walk_content(root)
    markdown = [rel for _, rel, _ in walk.markdown]
    collections = ("articles", "notes", "entities")
    assert markdown == sorted(markdown, key=lambda rel: (collections.index(rel.split("/")[1]), rel.split("/")))
    assert sorted(markdown) == sorted(f"content/{name}" for name in names if name.endswith(".md"))
    assert walk.others == sorted(walk.others) and len(walk.others) == 3


def test_hidden_folders_and_editor_leftovers_are_not_walked(archive):
    (archive / "content/.obsidian/plugins/sync").mkdir(parents=True)
    (archive / "content/.obsidian/plugins/sync/data.json").write_text('{"token": "x"}')
    (archive / "content/notes/.trash").mkdir()
    (archive / "content/notes/.trash/deleted.md").write_text("---\n---\nGone.\n")
    for name in ("proxy-network.md~", "#proxy-network.md#", ".proxy-network.md.swp", "._proxy-network.md"):
        (archive / "content/notes" / name).write_bytes(b"\x00\x05\x16\x07")
    walk, before = walk_content(archive), walk_before_changes[archive]
    assert [rel for _, rel, _ in walk.markdown] == [rel for _, rel, _ in before.markdown]
    assert walk.others == before.others


def test_changes_to_ignored_files_leave_the_walk_as_it_was(archive):
    """Obsidian rewrites .obsidian/workspace.json at every click: that is no reason to walk content/ again."""
    (archive / "content/.obsidian").mkdir()
    (archive / "content/.obsidian/workspace.json").write_text("{}")
    (archive / "content/notes/proxy-network.md~").write_text("backup\n")
    changed = {"content/.obsidian/", "content/.obsidian/workspace.json", "content/notes/proxy-network.md~"}
    patched = walk_changes(archive, walk_before_changes[archive], changed)
    assert patched is not None
    assert patched.others == walk_before_changes[archive].others
    same_walk(archive, changed)
