"""The command line itself: finding the archive, the note and entity commands' feedback, exit codes, the reference."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO, copy_archive, run_cli

HIGHLIGHTS = REPO / "tests" / "fixtures" / "sites" / "highlights"


@pytest.fixture
def archive(tmp_path) -> Path:
    return copy_archive(HIGHLIGHTS, tmp_path / "archive")


def test_a_command_run_in_a_subfolder_works_on_the_archive_above(archive, capsys, monkeypatch):
    monkeypatch.chdir(archive / "content" / "notes")
    code, out, _ = run_cli(capsys, "note", "harbour-vote", "Work starts in May")
    assert code == 0 and out.strip() == "wrote content/notes/work-starts-in-may.md"
    assert (archive / "content" / "notes" / "work-starts-in-may.md").is_file()
    assert run_cli(capsys, "check")[0] == 0


def test_the_nearest_archive_wins_and_c_still_wins_over_it(archive, tmp_path, capsys, monkeypatch):
    inner = copy_archive(HIGHLIGHTS, archive / "nested")
    (inner / "sitegen.yaml").unlink()
    monkeypatch.chdir(inner / "content" / "articles")
    assert run_cli(capsys, "note", "harbour-vote", "Work starts in May")[0] == 0
    assert (inner / "content" / "notes" / "work-starts-in-may.md").is_file()
    assert not (archive / "content" / "notes" / "work-starts-in-may.md").exists()
    assert run_cli(capsys, "-C", str(archive), "note", "harbour-vote", "Work starts in May")[0] == 0
    assert (archive / "content" / "notes" / "work-starts-in-may.md").is_file()


def test_outside_any_archive_the_current_folder_is_still_not_an_archive(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "check")
    assert code == 1 and err.startswith(".: not an archive")


def note(archive, capsys, *args) -> tuple[int, str, str]:
    return run_cli(capsys, "-C", str(archive), "note", "harbour-vote", *args)


def test_note_takes_its_text_from_m_or_from_standard_input(archive, capsys, monkeypatch):
    code, out, _ = note(archive, capsys, "Work starts in May", "-m", "Late, as usual.")
    assert code == 0 and (archive / out.split("wrote ")[1].strip()).read_text().endswith("---\n\nLate, as usual.\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("From a pipe.\n\nTwo paragraphs.\n"))
    code, out, _ = note(archive, capsys, "nine to two", "-m", "-")
    assert code == 0 and (archive / out.split("wrote ")[1].strip()).read_text().endswith("---\n\nFrom a pipe.\n\nTwo paragraphs.\n")


def test_note_says_how_its_quote_anchors(archive, capsys):
    assert "the quote anchors: exact" in note(archive, capsys, "Work starts in May")[2]
    assert "the quote anchors: normalized" in note(archive, capsys, "WORK  starts in may")[2]
    assert "anchors" not in note(archive, capsys)[2]


def test_a_near_miss_is_refused_with_the_articles_wording_or_written_as_it_with_use_exact(archive, capsys):
    before = sorted((archive / "content" / "notes").iterdir())
    code, out, err = note(archive, capsys, "The contractor must keep the fish markt open")
    assert code == 1 and out == "" and sorted((archive / "content" / "notes").iterdir()) == before
    assert err.splitlines()[0] == (
        "content/articles/harbour-vote.md: quote is not the article's wording (98% similar); "
        'the article says: "The contractor must keep the fish market open" (rerun with --use-exact to use it)'
    )
    code, out, err = note(archive, capsys, "The contractor must keep the fish markt open", "--use-exact")
    assert code == 0 and "the quote anchors: exact" in err
    assert "quote: The contractor must keep the fish market open\n" in (archive / out.split("wrote ")[1].strip()).read_text()


def test_a_quote_with_an_ellipsis_is_offered_the_whole_passage(archive, capsys):
    code, _, err = note(archive, capsys, "Work starts in May … fish market open")
    assert code == 1
    assert 'with words left out); the article says: "Work starts in May. The contractor must keep the fish market open"' in err
    code, out, _ = note(archive, capsys, "Work starts in May [...] fish market open", "--use-exact")
    assert code == 0 and "quote: Work starts in May. The contractor must keep the fish market open\n" in (archive / out.split("wrote ")[1].strip()).read_text()


def test_on_a_terminal_a_near_miss_is_asked_about(archive, capsys, monkeypatch):
    answers = iter(["n", "y"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert note(archive, capsys, "The contractor must keep the fish markt open")[0] == 1
    code, out, err = note(archive, capsys, "The contractor must keep the fish markt open")
    assert code == 0 and '"The contractor must keep the fish market open"' in err


def test_an_ambiguous_quote_lists_its_places_each_with_a_prefix_that_picks_it(archive, capsys):
    code, _, err = note(archive, capsys, "three")
    lines = err.splitlines()
    assert code == 1 and lines[0] == "content/articles/harbour-vote.md: quote matches 2 places; add --prefix or --suffix to pick one"
    assert "lasted [three] winters" in lines[1] and "asked for [three] things" in lines[2]
    prefix = re.search(r'--prefix "([^"]+)"', lines[2])[1]
    code, out, _ = note(archive, capsys, "three", "--prefix", prefix)
    assert code == 0
    assert run_cli(capsys, "-C", str(archive), "check")[0] == 0


def test_on_a_terminal_without_m_the_note_is_written_in_the_editor(archive, capsys, monkeypatch, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('Typed in the editor.\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    code, out, _ = note(archive, capsys, "Work starts in May")
    assert code == 0 and (archive / out.split("wrote ")[1].strip()).read_text().endswith("---\n\n")  # not a terminal: no editor
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    code, out, _ = note(archive, capsys, "Work starts in May")
    assert code == 0 and (archive / out.split("wrote ")[1].strip()).read_text().endswith("---\n\nTyped in the editor.\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c 'raise SystemExit(3)'")
    code, _, err = note(archive, capsys, "Work starts in May")
    assert code == 1 and "the editor exited with status 3; no note was written" in err


@pytest.mark.parametrize(
    ("quote", "slug"),
    [
        ("مرحبا بالعالم", "mrhb-bl-lm"),
        ("北京大学的学生们今天在图书馆里读书", "bei-jing-da-xue-de-xue-sheng-men"),
        ("Привет, мир", "privet-mir"),
        ("Die Straße ist lang", "die-strasse-ist-lang"),
    ],
)
def test_a_note_on_a_quote_in_another_script_gets_a_readable_slug(archive, capsys, quote, slug):
    article = archive / "content" / "articles" / "harbour-vote.md"
    article.write_text(article.read_text() + f"\n\n{quote}\n", encoding="utf-8")
    code, out, _ = note(archive, capsys, quote)
    assert code == 0 and out.strip() == f"wrote content/notes/{slug}.md"


def test_entity_writes_an_entity_file_that_builds(archive, capsys):
    code, out, _ = run_cli(capsys, "-C", str(archive), "entity", "Harbour Council", "--kind", "organization", "--alias", "the council", "--alias", "yes", "-m", "Runs the town.")
    assert code == 0 and out.strip() == "wrote content/entities/harbour-council.md"
    assert (archive / "content/entities/harbour-council.md").read_text() == (
        "---\nname: Harbour Council\nkind: organization\naliases: [the council, 'yes']\n---\nRuns the town.\n"
    )
    assert run_cli(capsys, "-C", str(archive), "build", "--no-search")[0] == 0
    assert "Harbour Council" in (archive / "site/entities/harbour-council/index.html").read_text()


def test_entity_refuses_a_slug_taken_in_any_subfolder_and_a_bad_kind(archive, capsys):
    (archive / "content/entities/people").mkdir()
    (archive / "content/entities/people/mira-stone.md").write_text("---\nname: Mira Stone\nkind: person\n---\n")
    code, out, err = run_cli(capsys, "-C", str(archive), "entity", "Mira Stone", "--kind", "person")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "content/entities/people/mira-stone.md: an entity with this slug exists already; choose another --slug"
    assert not (archive / "content/entities/mira-stone.md").exists()
    with pytest.raises(SystemExit) as exit:
        main(["-C", str(archive), "entity", "Mira", "--kind", "thing"])
    assert exit.value.code == 2


COMMANDS = ["build", "check", "anchors", "init", "import", "note", "entity", "import-annotations", "serve", "export"]


def usage_status(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit:
        main(list(args))
    return exit.value.code, capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_exits_2_on_a_mistake_on_the_command_line(archive, capsys, command):
    code, err = usage_status(capsys, "-C", str(archive), command, "--no-such-flag")
    assert code == 2 and "error: " in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "a.txt", "b.txt", "--slug", "x"], "--slug names one article; import one file at a time with it"),
        (["import", "https://example.org/a", "saved.html"], "import links and saved files in separate runs"),
        (["note", "harbour-vote", "--prefix", "Work"], "--prefix is for a quote; give the quote after the article's slug"),
        (["note", "harbour-vote", "--use-exact"], "--use-exact is for a quote; give the quote after the article's slug"),
    ],
)
def test_flags_that_do_not_go_together_are_a_usage_error(archive, capsys, args, message):
    code, err = usage_status(capsys, "-C", str(archive), *args)
    assert code == 2 and f"sitegen {args[0]}: error: {message}" in err
    assert sorted(path.name for path in (archive / "content" / "notes").iterdir()) == sorted(path.name for path in (HIGHLIGHTS / "content" / "notes").iterdir())


def test_check_strict_fails_on_any_warning_not_only_highlights(archive, capsys):
    (archive / "content" / "notes" / "lost-quote.md").unlink()
    assert run_cli(capsys, "-C", str(archive), "check", "--strict")[0] == 0
    (archive / "content" / "notes.txt").write_text("not published\n")
    code, _, err = run_cli(capsys, "-C", str(archive), "check", "--strict")
    assert code == 1 and "content/notes.txt: not published" in err and "sitegen check --strict: 1 warning" in err


def test_markdown_outside_the_collections_is_named_in_a_warning(archive, capsys):
    (archive / "content" / "about.md").write_text("---\ntitle: About\n---\nWho we are.\n")
    (archive / "content" / "drafts").mkdir()
    (archive / "content" / "drafts" / "idea.md").write_text("An idea.\n")
    code, _, err = run_cli(capsys, "-C", str(archive), "build", "--no-search")
    assert code == 0
    reason = "not read: Markdown files are pages only in content/articles/, content/notes/ and content/entities/ (see docs/content.md)"
    assert f"warning: content/about.md: {reason}" in err.splitlines() and f"warning: content/drafts/idea.md: {reason}" in err.splitlines()
    assert not list((archive / "site").rglob("about*")) and not list((archive / "site").rglob("idea*"))


def test_the_cli_reference_is_the_parsers_own():
    from generator.cli import make_parser
    from generator.docs_reference import REFERENCE, reference

    assert REFERENCE.read_text(encoding="utf-8") == reference(make_parser()), "docs/cli.md is out of date: run python -m generator.docs_reference"
    for command in COMMANDS:
        assert f"\n## sitegen {command}\n" in REFERENCE.read_text(encoding="utf-8")


def test_entity_refuses_a_name_or_alias_another_entity_gives(archive, capsys):
    code, _, err = run_cli(capsys, "-C", str(archive), "entity", "Trust", "--kind", "organization", "--alias", "The Harbour Trust")
    assert code == 1 and err.splitlines()[0] == "content/entities/harbour-trust.md: 'The Harbour Trust' names this entity already; add to it, or give the new one another name"
    assert not (archive / "content/entities/trust.md").exists()


def test_a_deleted_current_folder_is_not_an_archive_rather_than_a_traceback(tmp_path, capsys, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    code, _, err = run_cli(capsys, "check")
    assert code == 1 and err.startswith(".: ")
