"""`sitegen import URL...`: fetching with limits against a local site, one line per failed link, the
failures file, resumable and idempotent runs, and articles written whole with their notes."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from bring_helpers import archive, files, fill_in_and_build, run
from bring_site import serving
from generator.bring import archive as bring_archive
from generator.bring.archive import SlugsTaken, write_together
from generator.bring.fetch import FetchFailed, Limits, fetch, make_pool
from generator.bring.notes import PlannedNote
from generator.cli import main
from generator.source_urls import url_key

QUICK = Limits(max_bytes=5 * 1024 * 1024, connect_seconds=2, read_seconds=1, total_seconds=2)


@pytest.fixture(scope="module")
def site():
    with serving() as base:
        yield base


def _failure(base: str, path: str, limits: Limits = QUICK) -> str:
    with pytest.raises(FetchFailed) as caught:
        fetch(make_pool(2), base + path, limits)
    return str(caught.value)


def test_redirect_is_followed_and_final_url_kept(site: str) -> None:
    page = fetch(make_pool(2), f"{site}/moved/2", QUICK)
    assert page.url == f"{site}/articles/2"
    assert b"Report number 2" in page.data


def test_redirect_loop_is_refused(site: str) -> None:
    assert _failure(site, "/loop") == "more than 5 redirects"


def test_slow_drip_is_stopped_by_the_total_time_limit(site: str) -> None:
    started = time.monotonic()
    assert _failure(site, "/slow").startswith("timed out: the page took over 2 s")
    assert time.monotonic() - started < 6


def test_stalled_body_is_stopped_by_the_read_timeout(site: str) -> None:
    assert _failure(site, "/stall") == "timed out: no data for 1 s"


def test_huge_body_is_refused_while_streaming(site: str) -> None:
    assert _failure(site, "/huge") == "too large: over the 5 MB limit"


def test_wrong_content_type_and_missing_page(site: str) -> None:
    assert _failure(site, "/pdf") == "not HTML (Content-Type: application/pdf)"
    assert _failure(site, "/nothing") == "HTTP 404 Not Found"


def test_unreachable_host_and_non_web_address() -> None:
    assert _failure("http://127.0.0.1:9", "/").startswith("cannot connect")
    assert _failure("ftp://127.0.0.1", "/x") == "not an http(s) web address"


def test_header_encoding_wins_and_meta_encoding_is_read(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    code, _, err = run(root, f"{site}/latin2/3", f"{site}/cp1252-meta/4", capsys=capsys)
    assert code == 0, err
    written = files(root, "articles")
    assert "title: Zpráva o přístavu 3\n" in written["zprava-o-pristavu-3.md"]
    assert "title: Café “quotes” report 4\n" in written["cafe-quotes-report-4.md"]


def test_urls_import_each_good_one_and_name_each_failure(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    code, out, err = run(root, f"{site}/articles/1", f"{site}/nothing", f"{site}/moved/2", f"{site}/pdf", capsys=capsys)
    assert code == 1
    assert set(err.splitlines()[:2]) == {f"{site}/nothing: HTTP 404 Not Found", f"{site}/pdf: not HTML (Content-Type: application/pdf)"}
    imported = files(root, "articles")
    assert f"source_url: {site}/articles/2\n" in imported["report-number-2-on-the-harbour-works.md"]  # the final URL
    assert "imported" in out and "failed                    2" in out
    failures = (root / "import-failures.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in failures if not line.startswith("#")] == [f"{site}/nothing", f"{site}/pdf"]
    assert fill_in_and_build(root) == []


def test_second_run_skips_what_is_archived_and_failures_feed_back(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    run(root, f"{site}/articles/1", f"{site}/nothing", capsys=capsys)
    before = files(root, "articles")
    code, out, _ = run(root, f"{site}/articles/1/", f"{site}/articles/1?utm_source=x", f"{site}/articles/5", f"{site}/articles/5#top", capsys=capsys)
    assert code == 0
    after = files(root, "articles")
    assert {name: after[name] for name in before} == before
    assert sorted(set(after) - set(before)) == ["report-number-5-on-the-harbour-works.md"]
    assert "skipped                   3  already in the archive (2), listed twice (1)" in out
    code, out, err = run(root, "--from", "urls", str(root / "import-failures.txt"), capsys=capsys)
    assert code == 1 and err.startswith(f"{site}/nothing: HTTP 404 Not Found")


def test_redirect_to_an_archived_url_is_skipped(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    run(root, f"{site}/articles/2", capsys=capsys)
    code, out, _ = run(root, f"{site}/moved/2", capsys=capsys)
    assert code == 0 and "skipped                   1  already in the archive" in out
    assert len([name for name in files(root, "articles") if name.startswith("report-number-2")]) == 1


def test_links_and_files_are_not_mixed(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    with pytest.raises(SystemExit) as usage:  # a mistake on the command line: exit status 2, as argparse's own
        run(root, f"{site}/articles/1", "saved.html", capsys=capsys)
    err = capsys.readouterr().err
    assert usage.value.code == 2 and err.splitlines()[-1] == "sitegen import: error: import links and saved files in separate runs (or list the links in a file for --from urls)"
    with pytest.raises(SystemExit) as usage:
        run(root, "--stdout", f"{site}/articles/1", capsys=capsys)
    assert usage.value.code == 2 and "--stdout is for importing one saved file" in capsys.readouterr().err


def test_at_most_two_fetches_per_host_at_a_time(tmp_path: Path, capsys, monkeypatch) -> None:
    from generator.bring import run as bring_run

    busy: dict[str, int] = {}
    most: dict[str, int] = {}
    lock = threading.Lock()

    def counting_fetch(pool, url, limits):
        host = url.split("/")[2]
        with lock:
            busy[host] = busy.get(host, 0) + 1
            most[host] = max(most.get(host, 0), busy[host])
        time.sleep(0.05)
        with lock:
            busy[host] -= 1
        raise FetchFailed("counted")

    monkeypatch.setattr(bring_run, "fetch", counting_fetch)
    root = archive(tmp_path)
    urls = [f"http://{host}.test/{n}" for host in ("a", "b", "c") for n in range(8)]
    run(root, "--jobs", "8", *urls, capsys=capsys)
    assert most == {"a.test": 2, "b.test": 2, "c.test": 2}


def test_url_key_ignores_what_does_not_change_the_page() -> None:
    same = ["https://www.Example.com/a/b/", "http://example.com/a/b", "https://example.com/a/b?utm_source=rss#top"]
    assert len({url_key(url) for url in same}) == 1
    assert url_key("https://example.com/a/b?id=1") != url_key("https://example.com/a/b?id=2")
    assert url_key("https://example.com/story.php?article=5") != url_key("https://example.com/story.php?article=6")
    assert url_key("http://[::1/x") == "http://[::1/x"  # no address to normalise: compared as written, not a traceback


ARTICLE = "---\ntitle: A title\noutlet: X\nanonymous: true\n---\n\nSome words here.\n"


def _note(base: str) -> PlannedNote:
    return PlannedNote(base, (("quote", "Some words"), ("tags", [])), "")


def test_article_and_notes_are_written_together_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    real = bring_archive.create_unique
    calls = []

    def failing_second_note(folder, base, text, taken):
        calls.append(base)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(folder, base, text, taken)

    monkeypatch.setattr(bring_archive, "create_unique", failing_second_note)
    with pytest.raises(OSError):
        write_together(tmp_path, tmp_path / "content" / "articles", "a-title", ARTICLE, [_note("n-one"), _note("n-two")], SlugsTaken(set(), set()))
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == []


def test_ctrl_c_while_writing_finishes_the_unit_first(tmp_path: Path, monkeypatch) -> None:
    real = bring_archive.create_unique

    def interrupted_after_article(folder, base, text, taken):
        path = real(folder, base, text, taken)
        if base == "a-title":
            os.kill(os.getpid(), signal.SIGINT)
        return path

    monkeypatch.setattr(bring_archive, "create_unique", interrupted_after_article)
    with pytest.raises(KeyboardInterrupt):
        write_together(tmp_path, tmp_path / "content" / "articles", "a-title", ARTICLE, [_note("n-one")], SlugsTaken(set(), set()))
    notes = list((tmp_path / "content" / "notes").glob("*.md"))
    assert [p.name for p in notes] == ["n-one.md"]
    assert notes[0].read_text(encoding="utf-8").startswith("---\narticle: a-title\nquote: Some words\n")


def test_interrupted_run_keeps_whole_units_and_the_next_run_finishes(site: str, tmp_path: Path, capsys, monkeypatch) -> None:
    from generator.bring import run as bring_run

    real = bring_run.write_together
    calls = []

    def interrupted_on_second(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(bring_run, "write_together", interrupted_on_second)
    root = archive(tmp_path)
    before = set(files(root, "articles"))
    urls = [f"{site}/articles/{n}" for n in range(11, 15)]
    code, out, err = run(root, "--jobs", "1", *urls, capsys=capsys)
    assert code == 130 and err.endswith("sitegen: interrupted\n")
    assert "imported                  1" in out and "not reached               3  stopped by Ctrl-C" in out
    assert len(set(files(root, "articles")) - before) == 1
    monkeypatch.setattr(bring_run, "write_together", real)
    code, out, _ = run(root, *urls, capsys=capsys)
    assert code == 0 and "imported                  3" in out and "skipped                   1" in out
    assert len(set(files(root, "articles")) - before) == 4


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_counts_and_estimates(site: str, tmp_path: Path, monkeypatch, capsys) -> None:
    root = archive(tmp_path)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    code = main(["-C", str(root), "import", f"{site}/articles/21", f"{site}/articles/22", f"{site}/nothing"])
    shown = terminal.getvalue()
    assert code == 1
    assert "3/3 [" in shown and "article/s" in shown and "1 failed" in shown  # counts, rate and time left, failures
    assert f"{site}/nothing: HTTP 404 Not Found\n" in shown


def test_importing_the_same_saved_page_twice_skips_it(tmp_path: Path, capsys) -> None:
    page = Path(__file__).parent / "fixtures" / "import" / "dev" / "reuters-copper" / "page.html"
    root = archive(tmp_path)
    code, out, _ = run(root, str(page), capsys=capsys)
    assert code == 0 and out.startswith("wrote ")
    before = files(root, "articles")
    code, out, err = run(root, str(page), capsys=capsys)
    assert code == 0 and out.startswith(f"skipped {page}: already in the archive as ") and err == ""
    assert files(root, "articles") == before


def test_links_are_imported_into_an_archive_only(tmp_path: Path, capsys) -> None:
    code, _, err = run(tmp_path, "http://127.0.0.1:9/a", capsys=capsys)
    assert code == 1 and err.splitlines()[0].startswith(f"{tmp_path}: not an archive")
    assert list(tmp_path.iterdir()) == []
