"""Incremental builds: after any edit, a cached build is byte-identical to a cold one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import REPO, copy_archive

ARTICLE = "content/articles/iran-facilitating-attacks-us-troops.md"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def replace(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text()
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1))


EDITS = {
    "note text": lambda r: replace(r, "content/notes/proxy-network.md", "The article names four", "The piece names four"),
    "note quote": lambda r: replace(r, "content/notes/hezbollah-and-hamas.md", "including Hezbollah in Lebanon and Hamas", "including Hezbollah in Lebanon"),
    "article title": lambda r: replace(r, ARTICLE, "White House Aide", "White House Official"),
    "article text": lambda r: replace(r, ARTICLE, "Kirby said Monday, down from 14", "Kirby said on Monday, down from 14"),
    "entity alias": lambda r: replace(r, "content/entities/joe-biden.md", "aliases: [Biden, President Biden]", "aliases: [President Biden]"),
    "entity name": lambda r: replace(r, "content/entities/pentagon.md", "name: Pentagon", "name: The Pentagon"),
    "title quoted in a backlink": lambda r: replace(r, "content/entities/white-house.md", "name: White House", "name: The White House"),
    "new entity": lambda r: (r / "content/entities/egypt.md").write_text("---\nname: Egypt\nkind: place\n---\nNamed once.\n"),
    "new linking note": lambda r: (r / "content/notes/egypt-route.md").write_text("---\ntitle: Aid route\n---\nAid came through [[egypt]] and [[john-kirby]] said so.\n"),
    "deleted note": lambda r: (r / "content/notes/unaccounted-for.md").unlink(),
    "author role": lambda r: replace(r, ARTICLE, "role: White House Correspondent", "role: Senior White House Correspondent"),
    "tag": lambda r: replace(r, "content/notes/kirby-facilitating.md", "tags: [iran, attribution]", "tags: [iran, attribution, evidence]"),
    "config": lambda r: (r / "sitegen.yaml").write_text((r / "sitegen.yaml").read_text().replace("title: Reading archive", "title: My archive")),
}


@pytest.fixture(scope="module")
def incremental_root(tmp_path_factory) -> Path:
    root = copy_archive(REPO, tmp_path_factory.mktemp("incremental") / "archive")
    build(root, search=False)
    return root


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_cached_build_after_an_edit_equals_a_cold_build(incremental_root, tmp_path, edit):
    """The edits accumulate in one archive built incrementally; each state is compared to a cold build."""
    EDITS[edit](incremental_root)
    result = build(incremental_root, search=False)
    assert not result.up_to_date
    cold = copy_archive(incremental_root, tmp_path / "cold")
    shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
    build(cold, search=False)
    assert snapshot(incremental_root / "site") == snapshot(cold / "site")


def test_unchanged_pages_are_reused_not_rendered(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    untouched = root / "site" / "entities" / "khan-yunis" / "index.html"
    edited = root / "site" / "notes" / "who-is-who" / "index.html"
    before = (untouched.stat().st_ino, edited.stat().st_ino)
    replace(root, "content/notes/who-is-who.md", "answered with two carrier groups", "answered with two aircraft carrier groups")
    build(root, search=False)
    assert untouched.stat().st_ino == before[0]  # the same file, hard-linked into the new site
    assert edited.stat().st_ino != before[1]
    assert "two aircraft carrier groups" in edited.read_text()
