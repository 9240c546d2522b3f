"""The capture and interchange commands: note, anchors, import-annotations, init's output builds."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO, copy_archive, run_cli

HIGHLIGHTS = REPO / "tests" / "fixtures" / "sites" / "highlights"
ANNOTATIONS = REPO / "tests" / "fixtures" / "annotations"


@pytest.fixture
def archive(tmp_path) -> Path:
    return copy_archive(HIGHLIGHTS, tmp_path / "archive")


def test_note_writes_a_note_that_anchors(archive, capsys):
    code, out, _ = run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "keep the fish market open", "--tag", "market")
    assert code == 0
    path = archive / out.split("wrote ", 1)[1].strip()
    text = path.read_text()
    assert "article: harbour-vote" in text and "quote: keep the fish market open" in text and "- market" in text
    assert f"created: {datetime.date.today().isoformat()}" in text
    assert run_cli(capsys, "-C", str(archive), "build", "--no-search")[0] == 0
    page = (archive / "site" / "articles" / "harbour-vote" / "index.html").read_text()
    assert f'id="note-{path.stem}"' in page


def test_note_never_overwrites_and_refuses_bad_quotes(archive, capsys):
    first = run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "Work starts in May")[1]
    second = run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "Work starts in May")[1]
    assert first != second and second.strip().endswith("-2.md")
    code, _, err = run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "the mayor resigned over it")
    assert code == 1 and "quote not found" in err
    code, _, err = run_cli(capsys, "-C", str(archive), "note", "harbor-vote", "Work")
    assert code == 1 and "did you mean 'harbour-vote'" in err


def test_anchors_reports_tiers_and_changes(archive, capsys):
    code, out, _ = run_cli(capsys, "-C", str(archive), "anchors")
    assert code == 0
    assert "orphan" in out and "content/notes/lost-quote.md:3" in out and "[new]" in out
    article = archive / "content" / "articles" / "harbour-vote.md"
    article.write_text(article.read_text().replace("a new ramp for boats", "a ramp for small boats"))
    out = run_cli(capsys, "-C", str(archive), "anchors")[1]
    line = next(line for line in out.splitlines() if "ramp-and-lights" in line)
    assert line.startswith("orphan") and "[lost]" in line
    moved = next(line for line in out.splitlines() if "trust-reaction" in line)
    assert moved.endswith("[moved]")  # later in the article: same words, new offset
    assert "2 changed since the last report" in out.splitlines()[-1]


@pytest.mark.parametrize("export", ["hypothesis.json", "readwise.csv"])
def test_import_annotations_matches_by_url_or_title(archive, capsys, export):
    code, out, err = run_cli(capsys, "-C", str(archive), "import-annotations", str(ANNOTATIONS / export))
    assert code == 1  # each export holds a highlight on a page the archive does not have
    written = [archive / line.split("wrote ", 1)[1] for line in out.splitlines() if line.startswith("wrote ")]
    assert written and all("article: harbour-vote" in p.read_text() for p in written)
    assert "no article in the archive has the" in err
    assert run_cli(capsys, "-C", str(archive), "build", "--no-search")[0] == 0


def test_import_annotations_rejects_a_file_of_another_shape(archive, tmp_path, capsys):
    bogus = tmp_path / "notes.csv"
    bogus.write_text("a,b\n1,2\n")
    code, _, err = run_cli(capsys, "-C", str(archive), "import-annotations", str(bogus))
    assert code == 1 and "not a Readwise CSV export" in err


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([1], "annotation 1: an annotation must be an object, not int"),
        ([{"uri": 5}], "annotation 1: 'uri' must be text, not int"),
        ([{"uri": "https://x.org/a"}, {"target": "y"}], "annotation 2: 'target' must be a list, not str"),
        ([{"target": [{"selector": "z"}]}], "annotation 1: 'selector' must be a list, not str"),
        ([{"target": [{"selector": [{"type": "TextQuoteSelector", "exact": 5}]}]}], "annotation 1: 'exact' must be text, not int"),
        ([{"tags": "harbour"}], "annotation 1: 'tags' must be a list, not str"),
        ([{"document": {"title": "T"}}], "annotation 1: 'title' must be a list, not str"),
    ],
)
def test_a_hypothesis_row_of_another_shape_is_an_error_naming_it(archive, tmp_path, capsys, rows, message):
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"rows": rows}))
    before = sorted((archive / "content" / "notes").iterdir())
    code, _, err = run_cli(capsys, "-C", str(archive), "import-annotations", str(export))
    assert code == 1 and err.splitlines()[0] == f"{export}: {message}"
    assert sorted((archive / "content" / "notes").iterdir()) == before


def test_check_writes_nothing_and_strict_fails_on_orphans(archive, capsys):
    code, out, err = run_cli(capsys, "-C", str(archive), "check")
    assert code == 0 and "warning: content/notes/lost-quote.md:3: quote not found in article 'harbour-vote'" in err
    assert out.splitlines()[-1].endswith(" files would be written (build adds the search index made from them), 1 warning")
    assert not (archive / "site").exists() and not (archive / ".sitegen-cache").exists()
    code, _, err = run_cli(capsys, "-C", str(archive), "check", "--strict")
    assert code == 1 and "sitegen check --strict: 1 warning" in err
    (archive / "content" / "notes" / "lost-quote.md").unlink()
    assert run_cli(capsys, "-C", str(archive), "check", "--strict")[0] == 0


@pytest.mark.parametrize("command", [["build"], ["check"], ["serve"], ["export", "--format", "bibtex"]])
def test_a_folder_that_is_no_archive_is_refused_and_left_as_it_was(tmp_path, capsys, command):
    missing, empty = tmp_path / "no-such-folder", tmp_path / "empty"
    empty.mkdir()
    assert main(["-C", str(missing), *command]) == 1
    assert f"{missing}: no such folder" in capsys.readouterr().err
    assert not missing.exists()
    assert main(["-C", str(empty), *command]) == 1
    assert f"{empty}: not an archive" in capsys.readouterr().err
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize(("port", "message"), [("99999", "99999 is not a port (0-65535)"), ("-1", "-1 is not a port (0-65535)"), ("http", "not a number: 'http'")])
def test_serve_refuses_a_port_out_of_range_as_a_usage_error(archive, capsys, port, message):
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(archive), "serve", "--port", port])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == f"sitegen serve: error: argument --port: {message}" and "Traceback" not in err


@pytest.mark.parametrize("jobs", ["0", "-3", "two"])
def test_build_refuses_a_process_count_below_one_as_a_usage_error(archive, capsys, jobs):
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(archive), "build", "--jobs", jobs])
    assert exited.value.code == 2
    assert "argument --jobs/-j: " in capsys.readouterr().err.splitlines()[-1]
    assert not (archive / "site").exists()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["note", "harbour-vote", "Work starts in May", "--slug", "../../escaped"], "argument --slug: invalid slug '../../escaped': use lowercase letters, digits and '-' (try 'escaped')"),
        (["import", "SEED", "--slug", "../escaped"], "argument --slug: invalid slug '../escaped': use lowercase letters, digits and '-' (try 'escaped')"),
        (["import", "SEED", "--source-url", "javascript:alert(1)"], "argument --source-url: must be an http(s) URL, not 'javascript:alert(1)'"),
        (["note", "*", "Work starts in May"], "argument article: invalid slug '*': use lowercase letters, digits and '-'"),
        (["note", "/etc/passwd", "Work"], "argument article: invalid slug '/etc/passwd': use lowercase letters, digits and '-' (try 'etc-passwd')"),
        (["note", "harbour-vote", "Work starts in May", "--tag", " "], "argument --tag: a tag must not be empty"),
        (["import", "SEED", "--tag", ""], "argument --tag: a tag must not be empty"),
    ],
)
def test_a_slug_or_url_given_on_the_command_line_is_checked_before_anything_is_written(archive, capsys, command, message):
    before = sorted(path for path in archive.parent.rglob("*"))
    seed = REPO / "tests" / "fixtures" / "import" / "seed" / "newsweek-iran.txt"
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(archive), *[str(seed) if part == "SEED" else part for part in command]])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(message)
    assert sorted(path for path in archive.parent.rglob("*")) == before


def test_a_file_system_refusal_is_one_line_naming_the_path(archive, capsys, tmp_path):
    code, _, err = run_cli(capsys, "-C", str(archive), "export", "--format", "ris", "-o", str(tmp_path / "missing" / "out.ris"))
    assert code == 1 and err.splitlines()[0] == f"{tmp_path / 'missing' / 'out.ris'}: cannot write: No such file or directory"
    (tmp_path / "a-file").write_text("")
    code, _, err = run_cli(capsys, "-C", str(archive), "build", "--no-search", "--out", str(tmp_path / "a-file" / "site"))
    assert code == 1 and len(err.splitlines()) == 2 and err.splitlines()[0].startswith(str(tmp_path / "a-file"))


def test_note_with_a_slug_taken_in_a_subfolder_is_refused_naming_that_file(archive, capsys):
    """Written beside it, the next build failed on the duplicate slug."""
    (archive / "content/notes/2024").mkdir()
    (archive / "content/notes/2024/my-note.md").write_text("---\narticle: harbour-vote\n---\nMine.\n")
    before = sorted((archive / "content").rglob("*"))
    code, _, err = run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "Work starts in May", "--slug", "my-note")
    assert code == 1
    assert err.splitlines()[0] == "content/notes/2024/my-note.md: a note with this slug exists already; choose another --slug"
    assert sorted((archive / "content").rglob("*")) == before


def test_note_with_a_derived_slug_taken_in_a_subfolder_or_the_trash_gets_a_free_one(archive, capsys):
    (archive / "content/notes/2024").mkdir()
    (archive / "content/notes/2024/work-starts-in-may.md").write_text("---\narticle: harbour-vote\n---\nMine.\n")
    (archive / "content/notes/.trash").mkdir()
    (archive / "content/notes/.trash/work-starts-in-may-3.md").write_text("deleted\n")
    code, out, _ = run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "Work starts in May")
    assert code == 0 and out.strip() == "wrote content/notes/work-starts-in-may-2.md"
    assert run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "Work starts in May")[1].strip().endswith("/work-starts-in-may-3.md")
    assert run_cli(capsys, "-C", str(archive), "build", "--no-search")[0] == 0


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_import_of_a_slug_taken_in_a_subfolder_is_refused_naming_that_file(archive, capsys, force):
    seed = REPO / "tests" / "fixtures" / "import" / "seed" / "newsweek-iran.txt"
    existing = archive / "content/articles/2024/iran-is-facilitating-attacks-on-us-middle-east-troops-white.md"
    existing.parent.mkdir()
    existing.write_text("my own copy\n")
    before = sorted((archive / "content").rglob("*"))
    code, _, err = run_cli(capsys, "-C", str(archive), "import", str(seed), *force)
    assert code == 1
    assert err.splitlines()[0] == f"{seed}: an article with this slug exists already: {existing}; import it with --slug"
    assert sorted((archive / "content").rglob("*")) == before and existing.read_text() == "my own copy\n"


def test_import_annotations_never_takes_a_slug_used_in_a_subfolder(archive, capsys):
    first_code, out, _ = run_cli(capsys, "-C", str(archive), "import-annotations", str(ANNOTATIONS / "hypothesis.json"))
    first = [archive / line.split("wrote ", 1)[1] for line in out.splitlines() if line.startswith("wrote ")]
    assert first
    (archive / "content/notes/2024").mkdir()
    for path in first:  # filed away and rewritten by the reader: no longer the imported annotation
        text = re.sub(r"(?m)^annotation_id: .*\n", "", path.read_text(encoding="utf-8")) + "Rewritten by hand.\n"
        (archive / "content/notes/2024" / path.name).write_text(text, encoding="utf-8")
        path.unlink()
    code, out, _ = run_cli(capsys, "-C", str(archive), "import-annotations", str(ANNOTATIONS / "hypothesis.json"))
    assert code == first_code
    again = [Path(line.split("wrote ", 1)[1]).stem for line in out.splitlines() if line.startswith("wrote ")]
    assert len(again) == len(first) and not {path.stem for path in first} & set(again)
    assert run_cli(capsys, "-C", str(archive), "build", "--no-search")[0] == 0


def test_build_says_how_many_files_it_wrote_search_index_included(archive, capsys):
    """The summary's total is the files in site/ (all but build's own marker file), after a full build
    and after an incremental one; the search index is named apart, as it is not one of the pages, and
    `check` gives the figure of pages and other files that build then writes."""
    code, out, _ = run_cli(capsys, "-C", str(archive), "check")
    checked = int(re.fullmatch(r"ok: (\d+) pages and other files would be written \(build adds the search index made from them\), .*\n", out)[1])
    for edit in (None, "Council votes again."):
        if edit is not None:
            article = archive / "content" / "articles" / "harbour-vote.md"
            article.write_text(article.read_text() + f"\n{edit}\n")
        code, out, _ = run_cli(capsys, "-C", str(archive), "build")
        assert code == 0, out
        total, pages, index = map(int, re.fullmatch(r"built (\d+) files \((\d+) pages and other files, (\d+) of the search index\) into site/ with .*\n", out).groups())
        written = [path for path in (archive / "site").rglob("*") if path.is_file() and path.name != ".sitegen-output"]
        assert index == sum(1 for path in written if "pagefind" in path.relative_to(archive / "site").parts) > 0
        assert total == pages + index == len(written) and pages == checked
    code, out, _ = run_cli(capsys, "-C", str(archive), "build", "--no-search")
    assert out.startswith(f"built {checked} files into site/ ")
