"""`run_import` end to end: files written whole or not at all, and bad inputs reported as one-line errors."""

from __future__ import annotations

import datetime
import io
import pathlib
import sys
import time

import pytest

from generator.errors import SiteError
from generator.importers import import_source
from generator.importers.command import gaps, run_import

SEED = pathlib.Path(__file__).parent / "fixtures" / "import" / "seed" / "newsweek-iran.txt"
HTML = pathlib.Path(__file__).parent / "fixtures" / "import" / "dev" / "reuters-copper" / "page.html"
TODAY = datetime.date(2026, 11, 24)


def _run(paths, out_dir, **options):
    settings = dict(to_stdout=False, slug=None, tags=(), source_url=None, force=False, today=TODAY)
    settings.update(options)
    return run_import([str(p) for p in paths], out_dir=out_dir, **settings)


def _error(paths, out_dir, **options) -> str:
    with pytest.raises(SiteError) as caught:
        _run(paths, out_dir, **options)
    return str(caught.value)


def test_writes_article_named_by_slug(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "content" / "articles"
    written = _run([SEED], out, tags=("iran", "middle-east"), source_url="https://www.newsweek.com/iran-1")
    assert written == [out / "iran-is-facilitating-attacks-on-us-middle-east-troops-white.md"]
    text = written[0].read_text(encoding="utf-8")
    assert "tags:\n- iran\n- middle-east\n" in text
    assert "source_url: https://www.newsweek.com/iran-1\n" in text
    assert [p.name for p in out.iterdir()] == [written[0].name]


def test_existing_slug_is_refused_without_force(tmp_path: pathlib.Path) -> None:
    _run([SEED], tmp_path)
    target = next(tmp_path.iterdir())
    target.write_text("my edits", encoding="utf-8")
    message = _error([SEED], tmp_path)
    assert message.startswith(f"{SEED}: ") and "already exists" in message and "--force" in message
    assert target.read_text(encoding="utf-8") == "my edits"
    _run([SEED], tmp_path, force=True)
    assert target.read_text(encoding="utf-8").startswith("---\n")


def test_slug_flag_names_the_file(tmp_path: pathlib.Path) -> None:
    assert _run([HTML], tmp_path, slug="copper") == [tmp_path / "copper.md"]


def test_stdout_prints_and_writes_nothing(tmp_path: pathlib.Path, capsys) -> None:
    assert _run([SEED], tmp_path, to_stdout=True) == []
    assert capsys.readouterr().out.startswith("---\ntitle: ")
    assert list(tmp_path.iterdir()) == []


def test_dash_reads_standard_input(tmp_path: pathlib.Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HTML.read_bytes())))
    written = _run(["-"], tmp_path)
    assert written[0].name.startswith("copper-hits-two-year-high")


def test_every_input_is_attempted_every_failure_reported_and_nothing_written(tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    message = _error([empty, SEED, binary, tmp_path / "missing.html"], out)
    lines = message.split("\n")
    assert lines == sorted(lines) and len(lines) == 3
    assert f"{empty}: file is empty" in lines
    assert f"{binary}: binary file, not text or HTML" in lines
    assert any(line.startswith(f"{tmp_path / 'missing.html'}: cannot read") for line in lines)
    assert not out.exists()


def test_two_inputs_with_one_slug_are_refused(tmp_path: pathlib.Path) -> None:
    message = _error([SEED, SEED], tmp_path)
    assert message == f"{SEED}: same slug as {SEED}; import it with --slug"
    assert list(tmp_path.iterdir()) == []


def test_oversized_file_is_rejected_quickly(tmp_path: pathlib.Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>word </p>" * (20 * 1024 * 1024 // 12) + b"</body></html>")
    started = time.perf_counter()
    message = _error([big], tmp_path / "out")
    assert time.perf_counter() - started < 0.5
    assert message.startswith(f"{big}: file is 20.0 MB, over the 5 MB import limit")
    assert not (tmp_path / "out").exists()


def test_no_half_written_file_when_writing_fails(tmp_path: pathlib.Path, monkeypatch) -> None:
    import generator.importers.command as command

    def failing_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(command.os, "replace", failing_replace)
    message = _error([SEED], tmp_path)
    assert message == f"{SEED}: cannot write into {tmp_path}: No space left on device"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"   \n\n \t\n", "file is empty"),
        (b"\x00\x01\x02binary\x00data" * 50, "binary file, not text or HTML"),
        (b"<html><head></head><body><div>no heading at all</div></body></html>",
         "no title found (no JSON-LD headline, og:title, <h1> or <title>)"),
        (("x" * 400 + "\n\nbody").encode(), "no title: the first line is 400 characters long"),
    ],
)
def test_bad_input_messages(data: bytes, message: str) -> None:
    with pytest.raises(SiteError) as caught:
        import_source(data, origin="in.txt", today=TODAY)
    assert str(caught.value) in (f"in.txt: {message}", f"in.txt:1: {message}")
    assert "\n" not in str(caught.value)


def test_cp1252_text_is_decoded() -> None:
    data = "Caf\u00e9 owners \u201cdelighted\u201d\n\nThe caf\u00e9 reopened on Monday \u2013 to applause.\n".encode("cp1252")
    article = import_source(data, origin="old.txt", today=TODAY)
    assert article.front_matter["title"] == "Caf\u00e9 owners \u201cdelighted\u201d"
    assert "The caf\u00e9 reopened on Monday \u2013 to applause." in article.body
    assert article.slug == "cafe-owners-delighted"


def test_declared_legacy_charset_is_used() -> None:
    page = '<html><head><meta charset="iso-8859-2"><title>P\u0159\u00edb\u011bh</title></head><body><p>\u017dlu\u0165ou\u010dk\u00fd k\u016f\u0148.</p></body></html>'
    article = import_source(page.encode("iso-8859-2"), origin="cz.html", today=TODAY)
    assert article.front_matter["title"] == "P\u0159\u00edb\u011bh"


def test_undecodable_bytes_are_named() -> None:
    data = b"Title\n\nGood line\n" + b"\x81\x8d\x8f\x90\x9d" * 20
    with pytest.raises(SiteError) as caught:
        import_source(data, origin="bad.txt", today=TODAY)
    assert str(caught.value).startswith("bad.txt:4: not UTF-8 text: byte 0x81 at offset 17 is invalid")


def test_utf16_with_bom_is_decoded() -> None:
    data = "Título\n\nUn párrafo con acentos y eñes para el artículo.\n".encode("utf-16")
    assert import_source(data, origin="u16.txt", today=TODAY).front_matter["title"] == "Título"


def test_what_the_source_did_not_give_is_named_after_the_import(tmp_path: pathlib.Path) -> None:
    """No outlet on the page: the article is written with none (never invented), and the gap is named at its line."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Harbour vote</title></head><body><article><h1>Harbour vote</h1>"
        "<p class='byline'>By Mara Lind</p><p>The council voted to keep the fish market open.</p>"
        "<p>Work starts in May.</p></article></body></html>"
    )
    (written,) = _run([page], tmp_path / "articles")
    text = written.read_text()
    assert "outlet: null" in text
    line = text.splitlines().index("outlet: null") + 1
    assert [str(problem) for problem in gaps(written)] == [f"{written}:{line}: outlet unknown: add the publication the article comes from"]
    (complete,) = _run([SEED], tmp_path / "articles")
    assert gaps(complete) == []


def test_control_characters_and_terminal_colours_are_dropped_on_import() -> None:
    """They carry no words, and the build refuses them (HTML and XML feeds cannot hold them)."""
    data = b"Ports reopen\n\nThe port \x0creopened on Monday \x1b[1mafter\x1b[0m a week\x07.\n"
    article = import_source(data, origin="terminal.txt", today=TODAY)
    assert "The port reopened on Monday after a week." in article.body


def _nested_page(depth: int) -> str:
    words = "The council voted on the river crossing after a long night of debate. " * 6
    return (
        "<html><head><title>Nested page</title></head><body><article><h1>Nested page</h1>\n"
        + "<div>" * depth
        + f"<p>{words}</p><p>A second paragraph says the crossing opens next spring.</p>"
        + "</div>" * depth
        + "</article></body></html>"
    )


def test_html_nested_past_the_parsers_usual_depth_imports_its_text() -> None:
    """lxml stops at 256 levels by default and drops what is deeper: the body came out empty."""
    article = import_source(_nested_page(300).encode(), origin="deep.html", today=TODAY)
    assert "The council voted on the river crossing" in article.body
    assert "opens next spring" in article.body


def test_html_nested_past_every_parser_limit_is_one_error_and_nothing_written(tmp_path: pathlib.Path, capsys) -> None:
    from generator.cli import main

    page = tmp_path / "deeper.html"
    page.write_text(_nested_page(3000), encoding="utf-8")
    (tmp_path / "content" / "articles").mkdir(parents=True)
    code = main(["-C", str(tmp_path), "import", str(page)])
    errors = capsys.readouterr().err.splitlines()
    assert code == 1
    assert errors == [f"{page}:2: HTML nested too deeply to read: elements inside elements past the parser's limit", "sitegen: 1 error; nothing was written"]
    assert list((tmp_path / "content" / "articles").iterdir()) == []
