"""Only the archive's own files reach site/: hidden folders (an Obsidian vault's settings, a git
checkout, a trash folder), editor and system leftovers and active content are never published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.published import is_ignored, unpublished_reason
from tests.conftest import REPO

HOSTILE = REPO / "tests" / "fixtures" / "sites" / "hostile-walk"
GIT_CONFIG = '[remote "origin"]\n\turl = https://SECRET-GIT-TOKEN@github.com/me/archive.git\n'

# The files of the fixture that are not the archive's own: each is either ignored or not published.
LEFTOVERS = (
    "content/.DS_Store",
    "content/feed.xml",
    "content/index.html",
    "content/notes/wall-timing",
    "content/.obsidian",
    "content/__MACOSX",
    "content/articles/.git",
    "content/articles/Thumbs.db",
    "content/articles/chart.svg",
    "content/articles/saved-page.html",
    "content/notes/#draft.md#",
    "content/notes/.trash",
    "content/notes/2024/._wall-timing.md",
    "content/notes/2024/.wall-timing.md.swp",
    "content/notes/2024/wall-timing.md~",
    "content/notes/export.json",
)


def hostile_copy(folder: Path) -> Path:
    root = shutil.copytree(HOSTILE, folder)
    (root / "content/articles/.git").mkdir()  # git cannot store a folder of this name in the fixture
    (root / "content/articles/.git/config").write_text(GIT_CONFIG)
    return root


def build(root: Path, capsys) -> tuple[int, list[str]]:
    code = main(["-C", str(root), "build", "--no-search"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err.splitlines()


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file() and p.name != ".sitegen-output"}


def test_a_hostile_archive_builds_the_site_of_its_own_files_alone(tmp_path, capsys):
    """The vault's tokens, the git remote's credentials, backups, swap files, trashed notes and
    AppleDouble files (which stopped the build: NUL bytes in a '.md') publish nothing."""
    hostile = hostile_copy(tmp_path / "hostile")
    code, err = build(hostile, capsys)
    assert code == 0, err
    clean = shutil.copytree(HOSTILE, tmp_path / "clean")
    for rel in LEFTOVERS:
        path = clean / rel
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    assert build(clean, capsys)[0] == 0
    published = site_files(hostile)
    assert published == site_files(clean)
    assert [path for path, data in published.items() if b"SECRET" in data] == []
    assert {"articles/harbour.png", "articles/minutes.pdf", "notes/wall-timing/index.html"} <= published.keys()


def test_each_file_left_unpublished_is_named_in_a_warning_and_ignored_ones_are_not(tmp_path, capsys):
    code, err = build(hostile_copy(tmp_path / "hostile"), capsys)
    assert code == 0
    script = "can run scripts at the site's address (publish a PDF or an image of it instead)"
    assert [line for line in err if line.startswith("warning:")] == [
        f"warning: content/articles/chart.svg: not published: a .svg file {script}",
        f"warning: content/articles/saved-page.html: not published: a .html file {script}",
        f"warning: content/feed.xml: not published: a .xml file {script}",
        f"warning: content/index.html: not published: a .html file {script}",
        "warning: content/notes/export.json: not published: only images, PDF, audio and video files in content/ are"
        " (see docs/content.md)",
        f"warning: content/notes/wall-timing/index.html: not published: a .html file {script}",
    ]


def test_a_file_added_that_is_not_published_is_named_by_the_next_build(tmp_path, capsys):
    """Nothing published changed, yet the build is not 'up to date' with the last one's warnings."""
    root = hostile_copy(tmp_path / "hostile")
    assert build(root, capsys)[0] == 0
    (root / "content/articles/keys.pem").write_text("SECRET-KEY\n")
    code, err = build(root, capsys)
    assert code == 0
    assert any(line.startswith("warning: content/articles/keys.pem: not published") for line in err), err
    assert not (root / "site/articles/keys.pem").exists()


def test_a_content_file_on_a_path_the_build_writes_is_an_error_naming_both(tmp_path, capsys):
    """Copied over the theme's file, which of the two a site ended with would depend on whether
    the build was incremental."""
    root = shutil.copytree(HOSTILE, tmp_path / "site-root", ignore=shutil.ignore_patterns(*(Path(p).name for p in LEFTOVERS)))
    theme = shutil.copytree(REPO / "themes" / "default", root / "themes" / "mine")
    (theme / "static/logo.png").write_bytes((HOSTILE / "content/articles/harbour.png").read_bytes())
    (root / "sitegen.yaml").write_text("title: Mine\ntheme: mine\n")
    (root / "content/static").mkdir()
    (root / "content/static/logo.png").write_bytes(b"\x89PNG not the theme's")
    code, err = build(root, capsys)
    assert code == 1
    assert err[:-1] == ["content/static/logo.png: would be published as static/logo.png, a file the build writes itself; rename or move it"]
    assert not (root / "site").exists()


def test_a_link_to_an_ignored_file_is_refused(tmp_path, capsys):
    root = hostile_copy(tmp_path / "hostile")
    (root / "content/articles/remote.png").symlink_to(root / "content/articles/.git/config")
    code, err = build(root, capsys)
    assert code == 1
    errors = [line for line in err if not line.startswith("warning: ")]  # the warnings found meanwhile come first
    assert errors[0] == "content/articles/remote.png: symlink points to an ignored file (a hidden one, or an editor's leftover)"
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    "path",
    [
        "content/.obsidian/plugins/sync/data.json",
        "content/articles/.git/config",
        "content/notes/.trash/old.md",
        "content/notes/x.md~",
        "content/notes/#x.md#",
        "content/notes/.x.md.swp",
        "content/notes/._x.md",
        "content/.DS_Store",
        "content/articles/Thumbs.db",
        "content/__MACOSX/notes/x.md",
        ".obsidian/workspace.json",
    ],
)
def test_hidden_files_and_leftovers_are_ignored(path):
    assert is_ignored(path)


@pytest.mark.parametrize("path", ["content/notes/x.md", "content/articles/2024/a-b.png", "content/notes/c#.md", "content/~notes.md"])
def test_the_archive_s_own_files_are_not_ignored(path):
    assert not is_ignored(path)


@pytest.mark.parametrize("name", ["a.png", "a.JPG", "a.jpeg", "a.webp", "a.avif", "a.gif", "a.pdf", "a.mp3", "a.ogg", "a.mp4", "a.webm"])
def test_images_pdf_audio_and_video_are_published(name):
    assert unpublished_reason(name) is None


@pytest.mark.parametrize("name", ["a.html", "a.HTM", "a.svg", "a.xhtml", "a.js", "a.xml"])
def test_active_content_is_not_published_and_says_why(name):
    assert "can run scripts" in unpublished_reason(name)


@pytest.mark.parametrize("name", ["a.json", "a.exe", "a.txt", "Makefile", "a.md.bak"])
def test_other_types_are_not_published(name):
    assert unpublished_reason(name).startswith("not published: only images, PDF, audio and video")
