"""Every class of bad input gives its one-line `path:line: message`, exit 1, and leaves site/ as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main

INVALID = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if (p / "expected_error.txt").exists())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def previous_site(root: Path) -> dict[str, bytes]:
    """A site/ as an earlier successful build would have left it."""
    site = root / "site"
    site.mkdir()
    (site / ".sitegen-output").write_bytes(b"")
    (site / "index.html").write_text("<!doctype html><title>old</title>")
    return snapshot(site)


def build_errors(root: Path, capsys) -> tuple[int, list[str]]:
    code = main(["-C", str(root), "build", "--no-search"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert lines and lines[-1].startswith("sitegen: "), captured.err
    return code, lines[:-1]


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_its_error(case, tmp_path, capsys):
    root = tmp_path / case
    shutil.copytree(INVALID / case, root)
    before = previous_site(root)
    code, errors = build_errors(root, capsys)
    assert code == 1
    assert errors == (INVALID / case / "expected_error.txt").read_text().splitlines()
    assert snapshot(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith((".sitegen-tmp", ".sitegen-old"))] == []


ARTICLE = "---\ntitle: T\nauthors: [Ana Ruiz]\noutlet: X\n---\nBody.\n"


def test_huge_file_is_refused_quickly(tmp_path, capsys):
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "huge.md").write_bytes(ARTICLE.encode() + b"word " * (4 * 1024 * 1024))
    code, errors = build_errors(tmp_path, capsys)
    assert code == 1
    assert errors == ["content/articles/huge.md: file is 20 MB; the limit is 5 MB"]


def test_symlink_out_of_the_archive_is_refused(tmp_path, capsys):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("not for publishing")
    root = tmp_path / "archive"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "articles" / "a.md").write_text(ARTICLE)
    (root / "content" / "images").mkdir()
    os.symlink(secret, root / "content" / "images" / "photo.jpg")
    os.symlink(secret, root / "content" / "articles" / "b.md")
    code, errors = build_errors(root, capsys)
    assert code == 1
    assert errors == [
        "content/articles/b.md: symlink points outside the archive",
        "content/images/photo.jpg: symlink points outside the archive",
    ]


@pytest.mark.parametrize("cached", [False, True], ids=["cold", "cached"])
def test_a_file_that_is_not_text_is_refused_at_its_line(tmp_path, capsys, cached):
    """Cold, the files are read by the processing stage (scan_content's leave_unread); with a
    cache, the changed ones by the scan. Both report the same lines, all together."""
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "a.md").write_text(ARTICLE)
    if cached:
        assert main(["-C", str(tmp_path), "build", "--no-search"]) == 0
    (articles / "latin1.md").write_bytes(ARTICLE.replace("Body.", "Caf\xe9.").encode("latin-1"))
    (articles / "binary.md").write_bytes(ARTICLE.encode() + b"\nmore\n\x00\x01")
    (articles / "control.md").write_bytes(ARTICLE.encode() + "\nA form feed \x0c, an escape \x1b[1m, in t\u00e9xt.\n".encode())
    code, errors = build_errors(tmp_path, capsys)
    assert code == 1
    assert errors == [
        "content/articles/binary.md:9: file contains NUL bytes (binary?)",
        "content/articles/control.md:8: control character U+000C: remove it (HTML and feeds cannot carry it)",
        "content/articles/latin1.md:6: not UTF-8: byte 0xe9 at offset 50 (save the file as UTF-8)",
    ]


def test_bom_and_crlf_simply_work(tmp_path, capsys):
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "windows.md").write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode())
    assert main(["-C", str(tmp_path), "build", "--no-search"]) == 0
    page = (tmp_path / "site" / "articles" / "windows" / "index.html").read_text()
    assert "<h1 data-pagefind-meta=\"title\">T</h1>" in page or ">T</h1>" in page


@pytest.mark.parametrize("out", [".", "content", "content/articles"])
def test_out_refuses_the_project_and_content(tmp_path, capsys, out):
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "articles" / "a.md").write_text(ARTICLE)
    code = main(["-C", str(tmp_path), "build", "--no-search", "--out", str(tmp_path / out)])
    assert code == 1
    assert "refusing to build into" in capsys.readouterr().err
    assert (tmp_path / "content" / "articles" / "a.md").exists()


def test_out_refuses_a_foreign_non_empty_folder(tmp_path, capsys):
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "articles" / "a.md").write_text(ARTICLE)
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("years of work")
    assert main(["-C", str(tmp_path), "build", "--no-search", "--out", str(foreign)]) == 1
    assert "not empty and was not written by sitegen" in capsys.readouterr().err
    assert (foreign / "thesis.docx").read_text() == "years of work"


def test_an_image_whose_file_content_does_not_hold_is_a_warning_until_it_is_added(tmp_path, capsys):
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "pictured.md").write_text(ARTICLE.replace("outlet: X\n", "outlet: X\nimages: [{src: images/quay.png, credit: Ana Ruiz/Reuters, alt: A quay}]\n"))
    assert main(["-C", str(tmp_path), "build", "--no-search"]) == 0
    line = (articles / "pictured.md").read_text().splitlines().index("outlet: X") + 2  # the line of `images:`, which holds its src
    assert capsys.readouterr().err.splitlines() == [f"warning: content/articles/pictured.md:{line}: image src 'images/quay.png' is not a file in content/"]
    (tmp_path / "content" / "images").mkdir()
    (tmp_path / "content" / "images" / "quay.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert main(["-C", str(tmp_path), "build", "--no-search"]) == 0
    assert capsys.readouterr().err == ""
    assert (tmp_path / "site" / "images" / "quay.png").exists()


@pytest.mark.parametrize("case", ["template-syntax-error", "template-division-by-zero", "template-recursive-include"])
def test_a_template_error_in_a_worker_process_is_reported_alike(case, tmp_path, capsys):
    """Pages rendered by forked workers (`--jobs 2`) report a template's runtime error as the main process does."""
    root = tmp_path / case
    shutil.copytree(INVALID / case, root)
    before = previous_site(root)
    code = main(["-C", str(root), "build", "--no-search", "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert captured.err.splitlines()[:-1] == (INVALID / case / "expected_error.txt").read_text().splitlines()
    assert snapshot(root / "site") == before


@pytest.mark.parametrize("case", CASES)
def test_check_reports_what_build_reports(case, tmp_path, capsys):
    """`check` runs every stage that `build` runs before writing, and lists the same problems."""
    root = tmp_path / case
    shutil.copytree(INVALID / case, root)
    code = main(["-C", str(root), "check"])
    lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert lines[:-1] == (INVALID / case / "expected_error.txt").read_text().splitlines()
    assert not (root / "site").exists()


def test_once_mended_an_archive_that_failed_at_every_stage_builds_as_a_cold_build_does(tmp_path, capsys):
    """The stages run over the sound part of a failing archive leave nothing a later build reuses wrongly."""
    root = tmp_path / "mended"
    shutil.copytree(INVALID / "every-stage-at-once", root)
    code, _ = build_errors(root, capsys)
    assert code == 1
    mend(root)
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns(".sitegen-cache", "site"))
    assert main(["-C", str(root), "build", "--no-search"]) == 0
    assert main(["-C", str(cold), "build", "--no-search"]) == 0
    assert snapshot(root / "site") == snapshot(cold / "site")


def mend(root: Path) -> None:
    """Put right every mistake of fixtures/invalid/every-stage-at-once."""
    edits = {
        "sitegen.yaml": ("home_items: -3", "home_items: 3"),
        "content/articles/broken.md": ("published: last spring\n", ""),
        "content/entities/harbour.md": ("kind: harbor", "kind: place"),
        "content/notes/ambiguous.md": ("quote:", "prefix: 'Critics said '\nquote:"),
        "content/notes/unknown-link.md": ("[[no-such-page]]", "[[ambiguous]]"),
    }
    for path, (old, new) in edits.items():
        file = root / path
        file.write_text(file.read_text().replace(old, new))
    broken = root / "content/articles/broken.md"
    broken.write_text(broken.read_text().replace("rol:", "role:"))
    (root / "content/notes/missing-article.md").unlink()


def test_a_file_made_unreadable_after_a_build_is_listed_with_the_other_problems(tmp_path, capsys):
    """A file whose cached result the scan would have kept is read again there; unreadable, it
    is reported with the rest (and its old result is not used), not alone."""
    root = tmp_path / "archive"
    articles, notes = root / "content" / "articles", root / "content" / "notes"
    articles.mkdir(parents=True)
    notes.mkdir()
    (articles / "a.md").write_text(ARTICLE)
    (notes / "n.md").write_text("---\narticle: a\n---\nA note.\n")
    assert main(["-C", str(root), "build", "--no-search"]) == 0
    (notes / "n.md").write_bytes("---\narticle: a\ntitle: caf\u00e9\n---\n".encode("latin-1"))
    (articles / "a.md").write_text(ARTICLE.replace("title: T", "titel: T"))
    capsys.readouterr()
    code, errors = build_errors(root, capsys)
    assert code == 1
    assert errors == [
        "content/articles/a.md:2: article is missing required field 'title'",
        "content/articles/a.md:2: unknown field 'titel' (did you mean 'title'?)",
        "content/notes/n.md:3: not UTF-8: byte 0xe9 at offset 25 (save the file as UTF-8)",
    ]


def test_a_file_that_cannot_be_published_fails_a_build_that_would_otherwise_be_up_to_date(tmp_path, capsys):
    root = tmp_path / "archive"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "articles" / "a.md").write_text(ARTICLE)
    assert main(["-C", str(root), "build", "--no-search"]) == 0
    before = snapshot(root / "site")
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not for publishing")
    os.symlink(secret, root / "content" / "photo.jpg")
    capsys.readouterr()
    code, errors = build_errors(root, capsys)
    assert (code, errors) == (1, ["content/photo.jpg: symlink points outside the archive"])
    assert snapshot(root / "site") == before


@pytest.mark.parametrize("command", [["anchors"], ["export", "--format", "w3c"]])
def test_commands_that_analyse_the_archive_list_every_problem_too(command, tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(INVALID / "every-stage-at-once", root)
    code = main(["-C", str(root), *command])
    lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert lines[:-1] == (INVALID / "every-stage-at-once" / "expected_error.txt").read_text().splitlines()


def test_notes_edited_after_a_build_list_every_problem_at_once(tmp_path, capsys):
    """A build after note edits starts from the last analysis (note_edits.py); a note that no
    longer parses does not hide the problems of the others edited with it."""
    root = tmp_path / "archive"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "notes").mkdir()
    (root / "content" / "articles" / "a.md").write_text(ARTICLE)
    for name in ("n1", "n2"):
        (root / "content" / "notes" / f"{name}.md").write_text("---\narticle: a\n---\nA note.\n")
    assert main(["-C", str(root), "build", "--no-search"]) == 0
    (root / "content" / "notes" / "n1.md").write_text("---\narticle: a\nqoute: Body\n---\nA note.\n")
    (root / "content" / "notes" / "n2.md").write_text("---\narticle: a\n---\nSee [[nowhere]].\n")
    capsys.readouterr()
    code, errors = build_errors(root, capsys)
    assert code == 1
    assert errors == [
        "content/notes/n1.md:3: unknown field 'qoute' (did you mean 'quote'?)",
        "content/notes/n2.md:4: unknown wikilink target 'nowhere'",
    ]


def test_a_theme_that_is_not_there_is_listed_with_the_content_s_problems(tmp_path, capsys):
    """The archive is checked with the bundled theme in its place (build.sound_config)."""
    root = tmp_path / "archive"
    shutil.copytree(INVALID / "several-errors", root)
    (root / "sitegen.yaml").write_text("theme: nope\n")
    code, errors = build_errors(root, capsys)
    assert code == 1
    assert errors == [*(INVALID / "several-errors" / "expected_error.txt").read_text().splitlines(), "sitegen.yaml: theme 'nope' not found in themes/"]
