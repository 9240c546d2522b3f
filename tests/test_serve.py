"""`sitegen serve` end to end: a real server process on a free port, a copy of the bundled
archive, edits on disk, and what an HTTP client, an SSE client and a browser then see."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from generator import serve as serve_module
from generator.theme import fingerprint
from tests.conftest import REPO, copy_archive

ARTICLE = "iran-facilitating-attacks-us-troops"
NOTE = Path("content/notes/kirby-facilitating.md")
OUTPUT = Path(".sitegen-cache/serve")
EVENT_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeProcess:
    """`python -m generator serve` on a free port; collects its terminal output."""

    def __init__(self, root: Path, *extra: str) -> None:
        self.root = root
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "-C", str(root), "serve", "--port", str(self.port), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._ready = threading.Event()
        self._readers = [
            threading.Thread(target=self._collect, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))
        ]
        for reader in self._readers:
            reader.start()
        if not self._ready.wait(30):
            self.stop()
            raise AssertionError(f"server did not start:\n{self.output()}")

    def _collect(self, stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))
            if line.startswith("serving http://"):
                self._ready.set()

    def said(self, prefix: str, timeout: float = 5.0) -> bool:
        """Whether a terminal line starts with `prefix` (waiting a little: output is read in threads)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(line.startswith(prefix) for line in self.stdout + self.stderr):
                return True
            time.sleep(0.02)
        return False

    def output(self) -> str:
        return "\n".join(self.stdout + self.stderr)

    def request(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        """The path is sent exactly as given (http.client does not normalise `..`)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def text(self, path: str) -> str:
        status, _, body = self.request(path)
        assert status == 200, f"{path}: {status}"
        return body.decode()

    def events(self, page: str | None = None) -> EventStream:
        return EventStream(self.port, self.output, page)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:  # hung: SIGABRT makes faulthandler print every thread's stack
                self.process.send_signal(signal.SIGABRT)
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        for reader in self._readers:  # every line the server wrote is collected
            reader.join(5)
        return self.process.returncode


class EventStream:
    """A minimal server-sent-events client reading /__sitegen/events in a thread."""

    def __init__(self, port: int, server_output=lambda: "", page: str | None = None) -> None:
        """`page`: the path of the page the tab shows, as the live-reload script names it."""
        self.server_output = server_output
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.request("GET", "/__sitegen/events" + (f"?page={quote(page)}" if page else ""))
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")
        self.received: queue.Queue[tuple[str, dict]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next({"hello"})[0] == "hello"

    def _read(self) -> None:
        event, data = "message", []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\r\n")
                if not line:
                    if data:
                        self.received.put((event, json.loads("\n".join(data))))
                    event, data = "message", []
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError):
            pass

    def next(self, names: set[str] = frozenset({"reload", "css", "error"}), timeout: float = EVENT_TIMEOUT) -> tuple[str, dict]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {sorted(names)} event within {timeout} s; the server said:\n{self.server_output()}")
            try:
                event, data = self.received.get(timeout=remaining)
            except queue.Empty:
                continue
            if event in names:
                return event, data

    def quiet(self, seconds: float) -> list[str]:
        """Events that arrive in the next `seconds`."""
        seen = []
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                seen.append(self.received.get(timeout=remaining)[0])
            except queue.Empty:
                break
        return seen

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def archive(tmp_path) -> Path:
    return copy_archive(REPO, tmp_path / "archive")


@pytest.fixture
def server(archive):
    process = ServeProcess(archive)
    yield process
    process.stop()


def edit(root: Path, path: Path, old: str, new: str) -> str:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_pages_are_served_with_the_reload_script_which_build_output_never_has(server, archive):
    status, headers, body = server.request(f"/articles/{ARTICLE}/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b'<script src="/__sitegen/client.js"' in body
    assert body.rstrip().endswith(b"</html>") and body.index(b"/__sitegen/client.js") < body.rindex(b"</body>")
    status, headers, script = server.request("/__sitegen/client.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"EventSource" in script

    subprocess.run([sys.executable, "-m", "generator", "-C", str(archive), "build", "--no-search"], check=True, capture_output=True)
    built = archive / "site" / "articles" / ARTICLE / "index.html"
    assert built.is_file()
    for page in (archive / "site").rglob("*.html"):
        assert b"__sitegen" not in page.read_bytes(), page
    # serve never writes into site/, and its own output never carries the script either
    for page in (archive / OUTPUT).rglob("*.html"):
        assert b"__sitegen" not in page.read_bytes(), page


def test_content_types_and_the_sites_own_404_page(server):
    status, headers, body = server.request("/static/style.css")
    assert (status, headers["content-type"]) == (200, "text/css; charset=utf-8")
    status, headers, _ = server.request("/static/site.js")
    assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    status, headers, _ = server.request("/feed.xml")
    assert (status, headers["content-type"]) == (200, "application/xml; charset=utf-8")
    status, headers, body = server.request("/no/such/page/")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"Page not found" in body and b"/__sitegen/client.js" in body
    status, headers, body = server.request("/articles", "HEAD")
    assert status == 301 and headers["location"] == "/articles/" and body == b""


def test_paths_outside_the_output_folder_are_refused(server, archive, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENTS")
    out = archive / OUTPUT
    depth = len(out.relative_to(tmp_path).parts)  # from the output folder up to tmp_path
    up = "../" * depth
    (out / "leak.txt").symlink_to(secret)
    (out / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    attempts = [
        f"/{up}secret.txt",
        f"/{up.replace('../', '%2e%2e/')}secret.txt",
        f"/{up.replace('../', '..%2f')}secret.txt",
        f"/{up.replace('../', '%2e%2e%2f')}secret.txt",
        f"/{up.replace('../', '%2E%2E%2F')}secret.txt",
        f"/{up.replace('../', '.%2e/')}secret.txt",
        f"/{up.replace('../', '%252e%252e%252f')}secret.txt",
        f"/articles/{up}../secret.txt",
        "/../../sitegen.yaml",
        "/%2e%2e/%2e%2e/sitegen.yaml",
        "/leak.txt",
        "/leakdir/secret.txt",
    ]
    for path in attempts:
        status, _, body = server.request(path)
        assert status in (403, 404), (path, status)
        assert b"TOP-SECRET" not in body and b"title: Reading archive" not in body, path


def test_editing_a_note_reloads_and_serves_the_new_text(server, archive):
    stream = server.events()
    edit(archive, NOTE, "no evidence is offered", "no evidence whatsoever is offered")
    event, data = stream.next()
    assert event == "reload"
    assert str(NOTE) in data["changed"]
    assert "no evidence whatsoever is offered" in server.text("/notes/kirby-facilitating/")
    # the note's text is shown beside its highlight on the article page too
    assert "no evidence whatsoever is offered" in server.text(f"/articles/{ARTICLE}/")


def test_a_tab_s_own_page_is_written_first_and_other_pages_wait_for_the_rest(server, archive):
    stream = server.events(page="/notes/kirby-facilitating/")
    edit(archive, NOTE, "no evidence is offered", "no evidence at all is offered")
    assert stream.next()[0] == "reload"
    assert "no evidence at all is offered" in server.text("/notes/kirby-facilitating/")
    assert "no evidence at all is offered" in server.text(f"/articles/{ARTICLE}/")  # waited for, or already written
    assert server.said("rebuilt "), server.output()
    assert "open pages reloaded after" in next(line for line in server.stdout if line.startswith("rebuilt "))


def test_requests_for_pages_a_rebuild_still_has_to_write_wait_for_it(tmp_path):
    site = serve_module.ServedSite(tmp_path, "/")
    for name in ("fresh", "pending"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(name)
    site.hold(frozenset({"pending/index.html"}))
    answers: list[str] = []
    for path in ("/pending/", "/missing/"):
        threading.Thread(target=lambda path=path: answers.append(f"{path} {site.resolve(path).status}"), daemon=True).start()
    assert site.resolve("/fresh/").file == tmp_path / "fresh" / "index.html"  # at once
    time.sleep(0.2)
    assert answers == []
    (tmp_path / "missing").mkdir()
    (tmp_path / "missing" / "index.html").write_text("new in this rebuild")
    site.settle()
    deadline = time.monotonic() + 5
    while len(answers) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(answers) == ["/missing/ 200", "/pending/ 200"]


def test_a_broken_edit_reports_path_line_keeps_the_last_good_site_and_clears_when_fixed(server, archive):
    stream = server.events()
    original = edit(archive, NOTE, "tags: [iran, attribution]", "tags: [iran, attribution")
    event, data = stream.next()
    assert event == "error"
    where = [problem["where"] for problem in data["problems"]]
    assert where == ["content/notes/kirby-facilitating.md:4"], data
    assert "invalid YAML" in data["problems"][0]["message"]
    assert server.said("content/notes/kirby-facilitating.md:4: invalid YAML")  # the same line in the terminal
    assert "no evidence is offered" in server.text("/notes/kirby-facilitating/")  # the last good site
    assert server.process.poll() is None

    late = server.events()  # a tab opened while the archive is broken hears the problem at once
    assert late.next({"error"})[1]["problems"][0]["where"] == "content/notes/kirby-facilitating.md:4"

    (archive / NOTE).write_text(original.replace("no evidence is offered", "fixed and rebuilt"), encoding="utf-8")
    assert stream.next()[0] == "reload"
    assert "fixed and rebuilt" in server.text("/notes/kirby-facilitating/")


def test_unknown_wikilinks_and_template_errors_are_reported_at_their_line(server, archive):
    stream = server.events()
    original = edit(archive, NOTE, "[[john-kirby]]", "[[nobody-here]]")
    event, data = stream.next()
    assert event == "error" and data["problems"][0]["where"] == "content/notes/kirby-facilitating.md:7"
    (archive / NOTE).write_text(original, encoding="utf-8")
    assert stream.next()[0] == "reload"

    template = Path("themes/default/templates/404.html")
    original = edit(archive, template, "{% block main %}", "{% block main %}{% if %}")
    event, data = stream.next()
    assert event == "error"
    assert data["problems"][0]["where"] == f"{template.as_posix()}:3", data
    (archive / template).write_text(original, encoding="utf-8")
    assert stream.next()[0] == "reload"


def test_a_half_written_file_is_an_error_that_clears_when_the_write_completes(server, archive):
    stream = server.events()
    full = (archive / NOTE).read_text(encoding="utf-8").replace("no evidence is offered", "written in two goes")
    with open(archive / NOTE, "w", encoding="utf-8") as file:
        file.write(full[:60])
        file.flush()
        assert stream.next()[0] == "error"
        file.write(full[60:])
    assert stream.next()[0] == "reload"
    assert "written in two goes" in server.text("/notes/kirby-facilitating/")


def test_a_burst_of_edits_is_coalesced_and_the_last_one_wins(server, archive):
    stream = server.events()
    original = (archive / NOTE).read_text(encoding="utf-8")
    for number in range(40):  # like a formatter or a checkout: 40 saves, each within the 20 ms a burst waits for
        (archive / NOTE).write_text(original.replace("no evidence is offered", f"edit number {number}"), encoding="utf-8")
        time.sleep(0.005)
    assert stream.next()[0] == "reload"
    events = ["reload"] + stream.quiet(3.0)
    # builds run one after another on the current files, never one per save
    assert events.count("reload") < 20 and "error" not in events, events
    page = server.text("/notes/kirby-facilitating/")
    assert "edit number 39" in page and "edit number 38" not in page


def test_a_thousand_rapid_edits_with_half_written_files_end_in_the_right_state(server, archive):
    """Issue 9: the server survives a storm of saves, some of them torn mid-write, and serves the last."""
    stream = server.events()
    original = (archive / NOTE).read_text(encoding="utf-8")
    for number in range(1000):
        text = original.replace("no evidence is offered", f"storm edit {number}")
        with open(archive / NOTE, "w", encoding="utf-8") as file:
            if number % 10 == 0:  # a torn write: the front-matter is cut off for a moment
                file.write(text[:25])
                file.flush()
                time.sleep(0.002)
            file.write(text[25:] if number % 10 == 0 else text)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if "storm edit 999" in server.text("/notes/kirby-facilitating/"):
            break
        time.sleep(0.25)
    assert server.process.poll() is None, server.output()
    page = server.text("/notes/kirby-facilitating/")
    assert "storm edit 999" in page and "storm edit 998" not in page
    assert "Traceback" not in server.output()
    events = stream.quiet(2.0)  # everything the open tab was told during the storm
    assert events and events[-1] == "reload", events


def test_added_renamed_and_deleted_files(server, archive):
    stream = server.events()
    article = archive / "content/articles/second-article.md"
    article.write_text(
        "---\ntitle: A second article\nauthors: [Jane Roe]\noutlet: Example Weekly\narchived: 2026-11-26\n---\n"
        "The committee published its findings on Tuesday.\n",
        encoding="utf-8",
    )
    note = archive / "content/notes/on-the-findings.md"
    note.write_text(
        "---\narticle: second-article\nquote: published its findings\ncreated: 2026-11-26\n---\nSee [[kirby-facilitating]].\n",
        encoding="utf-8",
    )
    assert stream.next()[0] == "reload"
    assert "A second article" in server.text("/articles/second-article/")
    assert "on-the-findings" in server.text("/notes/kirby-facilitating/")  # backlink from the new note

    note.rename(note.with_name("renamed-note.md"))
    assert stream.next()[0] == "reload"
    assert server.request("/notes/on-the-findings/")[0] == 404
    assert server.text("/notes/renamed-note/")
    backlinks = server.text("/notes/kirby-facilitating/")
    assert "renamed-note" in backlinks and "on-the-findings" not in backlinks

    article.unlink()  # its note now points nowhere: reported, the last good site stays
    event, data = stream.next()
    assert event == "error"
    assert data["problems"][0]["where"].startswith("content/notes/renamed-note.md:")
    assert "second-article" in data["problems"][0]["message"]
    assert server.request("/articles/second-article/")[0] == 200

    note.with_name("renamed-note.md").unlink()
    assert stream.next()[0] == "reload"
    status, _, body = server.request("/articles/second-article/")
    assert status == 404 and b"Page not found" in body
    assert server.request("/notes/renamed-note/")[0] == 404


def test_the_watcher_ignores_hidden_files_and_editor_leftovers(tmp_path):
    """Obsidian rewrites .obsidian/workspace.json at every click and editors save swap files as
    one types: none of them may rebuild the site and reload every open tab."""
    root = tmp_path.resolve()
    (root / "content/notes").mkdir(parents=True)
    (root / "content/.obsidian").mkdir()
    stop, ready, batches = threading.Event(), threading.Event(), queue.Queue()

    def watch() -> None:
        for batch in serve_module.watch_project(root, stop, ready):
            batches.put(batch)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        assert ready.wait(10)
        for name in ("content/.obsidian/workspace.json", "content/notes/x.md~", "content/notes/.x.md.swp", "content/notes/#x.md#"):
            (root / name).write_text("{}")
        (root / "content/notes/x.md").write_text("---\n---\nA note.\n")
        assert batches.get(timeout=10) == {"content/notes/x.md"}
    finally:
        stop.set()
        watcher.join(5)


def test_saving_an_editor_s_settings_in_content_reloads_no_tab(server, archive):
    stream = server.events()
    (archive / "content/.obsidian").mkdir()
    (archive / "content/.obsidian/workspace.json").write_text('{"active": "x"}')
    (archive / "content/notes/kirby-facilitating.md~").write_text("backup\n")
    assert stream.quiet(3.0) == []
    assert server.request("/.obsidian/workspace.json")[0] == 404


def test_a_css_only_change_swaps_stylesheets_without_a_reload(server, archive):
    stream = server.events()
    edit(archive, Path("themes/default/static/style.css"), "}", "}\n.sitegen-serve-test { color: red; }", )
    event, data = stream.next()
    assert event == "css", (event, data)
    served = server.request("/static/style.css")[2]
    assert b".sitegen-serve-test" in served
    assert data["stylesheets"] == {"/static/style.css": f"/static/style.css?v={fingerprint(served)}"}
    assert f"/static/style.css?v={fingerprint(served)}" in server.text("/")  # pages link the new version too

    edit(archive, Path("themes/default/templates/404.html"), "Page not found", "Nothing here")
    assert stream.next()[0] == "reload"


def test_an_archive_broken_from_the_start_is_served_once_fixed(archive):
    original = edit(archive, NOTE, "[[john-kirby]]", "[[nobody-here]]")
    process = ServeProcess(archive)
    try:
        assert process.said("content/notes/kirby-facilitating.md:7: unknown wikilink target 'nobody-here'")
        status, _, body = process.request("/")
        assert status == 503 and b"not been built yet" in body and b"/__sitegen/client.js" in body
        stream = process.events()
        assert stream.next({"error"})[1]["problems"][0]["where"] == "content/notes/kirby-facilitating.md:7"
        (archive / NOTE).write_text(original, encoding="utf-8")
        assert stream.next()[0] == "reload"
        assert "Reading archive" in process.text("/")
    finally:
        process.stop()


def test_preview_under_a_base_path(archive):
    process = ServeProcess(archive, "--base-url", "/repo/")
    try:
        assert f"serving http://127.0.0.1:{process.port}/repo/" in process.output()
        status, headers, _ = process.request("/")
        assert status == 302 and headers["location"] == "/repo/"
        assert 'href="/repo/articles/' in process.text("/repo/")
        assert process.text(f"/repo/articles/{ARTICLE}/")
        status, _, body = process.request(f"/articles/{ARTICLE}/")
        assert status == 404 and b"Page not found" in body
    finally:
        process.stop()


def test_search_index_is_refreshed_in_the_background_after_edits_settle(server, archive):
    indexer = serve_module.find_indexer()
    assert callable(indexer), f"generator.search.index_site is needed here: {indexer}"

    def refreshed() -> int:
        return sum(line.startswith("search index refreshed") for line in server.stdout)

    deadline = time.monotonic() + 30
    while not refreshed() and time.monotonic() < deadline:  # the first build's index
        time.sleep(0.05)
    assert refreshed() == 1, server.output()
    pages = int(re.search(r"^built (\d+) pages and other files in \d+ ms; the search index follows$", server.output(), re.M)[1])
    index = int(re.search(r"^search index refreshed \((\d+) files\) in ", server.output(), re.M)[1])
    served = [path for path in (archive / OUTPUT).rglob("*") if path.is_file() and path.name != ".sitegen-output"]
    assert index == sum(1 for path in served if "pagefind" in path.relative_to(archive / OUTPUT).parts) > 0
    assert pages + index == len(served)  # as build counts them
    stream = server.events()
    edit(archive, NOTE, "no evidence is offered", "searchable afterwards")
    assert stream.next()[0] == "reload"
    reloaded_at = time.monotonic()
    assert refreshed() == 1  # the reload did not wait for the index ...
    while refreshed() == 1 and time.monotonic() < reloaded_at + 30:
        time.sleep(0.02)
    assert refreshed() == 2, server.output()  # ... which followed by itself once the edits settled
    assert time.monotonic() - reloaded_at >= serve_module.SEARCH_QUIET_SECONDS - 0.2
    assert (archive / OUTPUT / "pagefind").is_dir()


def test_a_missing_search_module_is_explained_not_a_traceback(monkeypatch):
    monkeypatch.setitem(sys.modules, "generator.search", None)
    assert "generator.search could not be imported" in serve_module.find_indexer()


def test_ctrl_c_exits_cleanly_with_one_line(archive):
    process = ServeProcess(archive)
    assert process.stop() == 0, process.output()
    assert process.stderr[-1] == "sitegen serve: stopped", process.output()
    assert "Traceback" not in process.output()


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the IPv4/IPv6 sockets listening on `port`, from /proc/net (Linux)."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                addresses.add(address)
    return addresses


def test_default_bind_is_loopback_only(server):
    assert any(line.startswith(f"serving http://127.0.0.1:{server.port}/") for line in server.stdout)
    assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, in /proc's byte order


@pytest.mark.browser
def test_browser_reloads_by_itself_keeps_scroll_shows_the_overlay_and_swaps_css(server, archive, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1000, "height": 600})
    try:
        page.goto(f"http://127.0.0.1:{server.port}/articles/{ARTICLE}/")
        page.wait_for_function("document.documentElement.scrollHeight > 2000")
        page.evaluate("window.scrollTo(0, 900)")
        page.wait_for_function("window.scrollY === 900")
        page.evaluate("window.__beforeReload = true")

        edit(archive, NOTE, "no evidence is offered", "the browser reloaded this")
        page.wait_for_function("window.__beforeReload === undefined", timeout=20000)  # a new document
        page.wait_for_selector("text=the browser reloaded this", state="attached")
        page.wait_for_function("Math.abs(window.scrollY - 900) <= 2", timeout=5000)

        original = edit(archive, NOTE, "[[john-kirby]]", "[[<img src=x onerror=alert(1)>]]")
        overlay = page.locator("#sitegen-serve-overlay")
        overlay.wait_for(state="visible", timeout=20000)
        assert "content/notes/kirby-facilitating.md:7" in overlay.inner_text()
        assert "unknown wikilink target '<img src=x onerror=alert(1)>'" in overlay.inner_text()
        assert overlay.locator("img").count() == 0  # text, never markup
        page.screenshot(path=str(tmp_path / "overlay.png"))

        page.evaluate("window.__beforeReload = true")
        (archive / NOTE).write_text(original, encoding="utf-8")
        page.wait_for_function("window.__beforeReload === undefined", timeout=20000)  # reloaded again
        overlay.wait_for(state="detached", timeout=20000)
        # The browser restores the position as the new document lays out, which may be after its
        # first frame: wait for it, as above, rather than read it at once.
        page.wait_for_function("Math.abs(window.scrollY - 900) <= 2", timeout=5000)

        page.evaluate("window.__beforeSwap = true")
        edit(archive, Path("themes/default/static/style.css"), "}", "}\nbody { outline: 3px solid rgb(255, 0, 1); }")
        page.wait_for_function("getComputedStyle(document.body).outlineColor === 'rgb(255, 0, 1)'", timeout=20000)
        assert page.evaluate("window.__beforeSwap") is True  # the stylesheet was swapped, the page not reloaded
        assert page.locator('link[rel="stylesheet"][href*="style.css"]').count() == 1
    finally:
        page.close()


def test_waiting_for_changes_notices_a_ctrl_c_delivered_to_another_thread(tmp_path):
    """The kernel may hand Ctrl-C's SIGINT to any thread; Python raises KeyboardInterrupt only in
    the main thread, once that thread wakes up. A wait that never wakes sleeps through Ctrl-C
    until the next edit (here: one made 5 s later, which the old wait needed to notice it)."""
    (tmp_path / "content").mkdir()
    stop = threading.Event()
    feed = serve_module.ChangeFeed(tmp_path, stop)
    assert feed.ready.wait(10)
    edit_later = threading.Timer(5, (tmp_path / "content" / "later.md").write_text, args=("x",))
    edit_later.start()
    other = threading.Thread(target=lambda: (time.sleep(0.1), signal.pthread_kill(threading.get_ident(), signal.SIGINT)))
    try:
        with pytest.raises(KeyboardInterrupt):
            other.start()
            feed.next()
        assert not edit_later.finished.is_set(), "Ctrl-C was noticed only after the next edit"
    finally:
        other.join()
        edit_later.cancel()
        stop.set()
