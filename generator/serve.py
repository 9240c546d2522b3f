"""`sitegen serve`: build, serve on 127.0.0.1, rebuild on every change and reload open tabs.

Why it is shaped this way:
- It runs the ordinary `build()` into its own folder (.sitegen-cache/serve/), so what is
  previewed is what gets published, and a running preview never fights `sitegen build`
  over site/. `build()` swaps a site in only when it is complete, so after a broken edit
  the last good site is still on disk: the server only has to remember the problems.
- The live-reload script is added to HTML responses as they are served; it is never
  written to disk, so no build output can carry it.
- Tabs hear about builds over server-sent events: one-way, plain HTTP, and the browser
  reconnects by itself. Standard-library HTTP with a thread per connection is plenty for
  one person previewing on their own machine.
- The search index (Pagefind, seconds on a large archive) is refreshed in the background
  once edits have settled, so it never delays a reload.
"""

from __future__ import annotations

import gc
import http.server
import importlib
import json
import mimetypes
import queue
import secrets
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, unquote, urlsplit

import watchfiles

from generator.build import FirstPages, ServeState, build
from generator.config import CONFIG_NAME, Config, load_config, with_overrides
from generator.content.published import is_ignored
from generator.documents import DocumentCache, load_cache
from generator.errors import Problem, SiteError, SourceLoc
from generator.memo import Memo
from generator.theme import fingerprint, theme_dir
from generator.urls import url_for

if TYPE_CHECKING:
    from generator.search import IndexStats  # imported when needed: see find_indexer

OUTPUT = Path(".sitegen-cache") / "serve"
WATCHED_DIRS = ("content", "themes", "templates")
RESERVED = "/__sitegen/"
EVENTS_PATH = RESERVED + "events"
CLIENT_PATH = RESERVED + "client.js"
CLIENT_JS = Path(__file__).with_name("serve_client.js")
SEARCH_QUIET_SECONDS = 1.5
WATCH_START_SECONDS = 5.0
ERROR_GRACE_SECONDS = 0.15  # a failed build is shown only if no further change follows this soon
KEEPALIVE_SECONDS = 15.0
SETTLE_WAIT_SECONDS = 60.0  # the longest a request waits for the rest of a rebuild
POLL_SECONDS = 0.3  # how often sitegen.yaml and the set of watched folders are checked
TEXT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}
BINARY_TYPES = {".wasm": "application/wasm", ".woff2": "font/woff2", ".woff": "font/woff"}


SWITCH_INTERVAL = 0.0005  # seconds
SIGNAL_CHECK_SECONDS = 0.2  # the longest the main thread sleeps before it handles a Ctrl-C


def serve(root: Path, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, base_url: str | None = None) -> int:
    """Build, serve and rebuild until Ctrl-C. Content errors are shown, never fatal."""
    root = root.resolve()
    with_overrides(Config(), base_url_override=base_url)  # a bad --base-url is a usage error: stop here
    preview = Preview(root, base_url=base_url)
    stop_on_sigterm()
    # A rebuild holds the GIL while the tabs fetch the pages it wrote first: with Python's
    # default switch interval, each of the request thread's turns waited a whole interval, so a
    # reloaded page arrived visibly after its reload event. A shorter interval lets it through.
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        return run_preview(preview, host, port, open_browser)
    except KeyboardInterrupt:
        print("\nsitegen serve: stopped", file=sys.stderr)
        return 0
    finally:
        preview.close()


def run_preview(preview: Preview, host: str, port: int, open_browser: bool) -> int:
    try:  # first, so a busy port stops us before we touch the output folder
        server = PreviewServer((host, port), preview)
    except OSError as error:
        print(f"sitegen serve: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    threading.Thread(target=server.serve_forever, name="sitegen-http", daemon=True).start()
    try:
        feed = ChangeFeed(preview.root, preview.stop)  # watching starts before the first build: no edit is missed
        problems = preview.rebuild(set(), initial=True)
        if problems:
            preview.report_failure(problems)
        feed.ready.wait(WATCH_START_SECONDS)
        url = f"http://{display_host(host)}:{server.server_address[1]}{preview.site.base_path}"
        print(f"serving {url} (Ctrl-C to stop); watching {', '.join(preview.watch_names())}", flush=True)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        preview.follow(feed)
    except WatchFailed as error:
        print(f"sitegen serve: stopped: cannot watch the files any more: {error}", file=sys.stderr)
        return 1
    finally:
        preview.close()  # ends the event streams, which would hold up the shutdown
        server.shutdown()
        server.server_close()
    return 0


def stop_on_sigterm() -> None:
    """Let `kill` stop the preview as cleanly as Ctrl-C (only the main thread may set handlers)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# --- What is being served -------------------------------------------------------------------


class ServedSite:
    """The output folder and the URL path the site lives under (base_url's path)."""

    def __init__(self, directory: Path, base_path: str) -> None:
        self.directory = directory
        self.base_path = base_path
        self.building = threading.Event()
        self._pending: frozenset[str] = frozenset()  # files a rebuild has still to bring up to date
        self._settled = threading.Event()
        self._settled.set()

    def hold(self, pending: frozenset[str]) -> None:
        """From now until `settle`, requests for `pending` files (and for missing ones) wait:
        the pages the open tabs show are already new, the rest of the rebuild is still running."""
        self._pending = pending
        self._settled.clear()

    def settle(self) -> None:
        self._pending = frozenset()
        self._settled.set()

    def resolve(self, raw_path: str) -> Resolution:
        """Where a request leads once the files it may show are up to date."""
        resolution = resolve_request(self.directory, self.base_path, raw_path)
        if not self._settled.is_set() and (resolution.status == 404 or (resolution.file is not None and self.relative(resolution.file) in self._pending)):
            self._settled.wait(SETTLE_WAIT_SECONDS)
            resolution = resolve_request(self.directory, self.base_path, raw_path)
        return resolution

    def relative(self, file: Path) -> str:
        return file.relative_to(self.directory.resolve()).as_posix()

    def page_of(self, raw_path: str) -> str | None:
        """The output file a tab showing `raw_path` displays, if any."""
        resolution = resolve_request(self.directory, self.base_path, raw_path)
        return self.relative(resolution.file) if resolution.file is not None else None

    def wait_until_present(self, seconds: float = 2.0) -> bool:
        """True when the folder exists; a rebuild's swap leaves it missing for an instant."""
        deadline = time.monotonic() + seconds
        while not self.directory.is_dir():
            if not self.building.is_set() or time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a request path leads: a file (200), a redirect, or nothing (403/404)."""

    status: int
    file: Path | None = None
    location: str | None = None


def resolve_request(site_dir: Path, base_path: str, raw_path: str) -> Resolution:
    """Map a request path to a file inside `site_dir`, and never outside it.

    The path is percent-decoded once, so `%2e%2e%2f` is `../` and refused like it; the
    resolved file (symlinks followed) must still lie inside the output folder.
    """
    if not raw_path.startswith(base_path):
        if raw_path == "/" or raw_path == base_path.rstrip("/"):
            return Resolution(302, location=base_path)
        return Resolution(404)
    relative = unquote(raw_path[len(base_path) :], errors="replace")
    if "\x00" in relative:
        return Resolution(403)
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if ".." in parts:
        return Resolution(403)
    top = site_dir.resolve()
    try:
        found = top.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return Resolution(404)
    if not found.is_relative_to(top):
        return Resolution(403)
    if found.is_dir():
        if not raw_path.endswith("/"):  # built from the checked parts: never a '//host' redirect
            return Resolution(301, location=base_path + "".join(f"{quote(part)}/" for part in parts))
        try:
            found = (found / "index.html").resolve(strict=True)
        except (OSError, RuntimeError):
            return Resolution(404)
        if not found.is_relative_to(top):
            return Resolution(403)
    if not found.is_file():
        return Resolution(404)
    return Resolution(200, file=found)


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in TEXT_TYPES:
        return TEXT_TYPES[suffix] + "; charset=utf-8"
    if suffix in BINARY_TYPES:
        return BINARY_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed and guessed.startswith("text/"):
        return guessed + "; charset=utf-8"
    return guessed or "application/octet-stream"


def inject_client(html: bytes, build_id: str) -> bytes:
    """Add the live-reload script just before `</body>` (or at the end when there is none)."""
    tag = f'<script src="{CLIENT_PATH}" data-sitegen-build="{build_id}"></script>\n'.encode()
    index = html.lower().rfind(b"</body>")
    if index < 0:
        return html + tag
    return html[:index] + tag + html[index:]


# --- Telling the open tabs ------------------------------------------------------------------


def sse_message(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


class LiveChannel:
    """Fans build outcomes out to every open tab.

    It remembers the current problems, so a tab opened (or reloaded) while the archive
    is broken shows the overlay at once, and the current build id, so a tab that missed
    a rebuild while disconnected reloads when it reconnects.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[queue.Queue[bytes | None], str | None] = {}  # each tab's queue -> the file it shows
        self._problems: list[dict] = []
        self._token = secrets.token_hex(4)
        self._generation = 0
        self._closed = False

    @property
    def build_id(self) -> str:
        return f"{self._token}:{self._generation}"

    def subscribe(self, page: str | None = None) -> queue.Queue[bytes | None]:
        """A new tab, showing output file `page` (None: not known)."""
        client: queue.Queue[bytes | None] = queue.Queue()
        with self._lock:
            client.put(sse_message("hello", {"build": self.build_id}))
            if self._problems:
                client.put(sse_message("error", {"problems": self._problems}))
            if self._closed:
                client.put(None)
            self._clients[client] = page
        return client

    def unsubscribe(self, client: queue.Queue[bytes | None]) -> None:
        with self._lock:
            self._clients.pop(client, None)

    def shown_pages(self) -> frozenset[str]:
        """The output files the open tabs show."""
        with self._lock:
            return frozenset(page for page in self._clients.values() if page is not None)

    def built(self, event: str, data: dict) -> None:
        """A build succeeded: clear the problems and send `reload` or `css`."""
        with self._lock:
            self._generation += 1
            self._problems = []
            self._send(sse_message(event, {**data, "build": self.build_id}))

    def failed(self, problems: tuple[Problem, ...]) -> None:
        with self._lock:
            self._problems = [{"where": str(p.loc), "message": p.message} for p in problems]
            self._send(sse_message("error", {"problems": self._problems}))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._send(None)

    def _send(self, message: bytes | None) -> None:
        for client in self._clients:
            client.put(message)


# --- HTTP -----------------------------------------------------------------------------------


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        super().__init__(address, PreviewHandler)


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD for the served site, plus the reserved /__sitegen/ endpoints."""

    server: PreviewServer
    server_version = "sitegen-serve"

    def log_message(self, format: str, *args) -> None:  # the terminal is for build results
        pass

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        preview = self.server.preview
        parts = urlsplit(self.path)
        path = parts.path or "/"
        if path == EVENTS_PATH:
            shown = parse_qs(parts.query).get("page", [None])[0]
            self.stream_events(preview.channel, preview.site.page_of(shown) if shown else None)
            return
        if path == CLIENT_PATH:
            self.send_bytes(200, "text/javascript; charset=utf-8", CLIENT_JS.read_bytes(), send_body)
            return
        site = preview.site
        if not site.wait_until_present():
            self.send_html(503, NOT_BUILT, send_body)
            return
        resolution = site.resolve(path)
        if resolution.location:
            location = resolution.location + (f"?{parts.query}" if parts.query else "")
            self.send_response(resolution.status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif resolution.file is not None:
            build_id = preview.channel.build_id  # read before the file: never older than the page
            try:
                data = resolution.file.read_bytes()
            except OSError:  # removed by a rebuild in the meantime
                self.send_not_found(send_body)
                return
            kind = content_type(resolution.file)
            if kind.startswith("text/html"):
                data = inject_client(data, build_id)
            self.send_bytes(200, kind, data, send_body)
        elif resolution.status == 403:
            self.send_bytes(403, "text/plain; charset=utf-8", b"403 Forbidden: outside the site folder\n", send_body)
        else:
            self.send_not_found(send_body)

    def send_not_found(self, send_body: bool) -> None:
        """The site's own 404 page, with status 404, like GitHub Pages."""
        page = self.server.preview.site.directory / "404.html"
        try:
            self.send_html(404, page.read_bytes(), send_body)
        except OSError:
            self.send_html(404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n", send_body)

    def send_html(self, status: int, html: bytes, send_body: bool) -> None:
        data = inject_client(html, self.server.preview.channel.build_id)
        self.send_bytes(status, "text/html; charset=utf-8", data, send_body)

    def send_bytes(self, status: int, kind: str, data: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a reload must see the new build
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def stream_events(self, channel: LiveChannel, page: str | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        client = channel.subscribe(page)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                try:
                    message = client.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    message = b": keep-alive\n\n"  # also finds tabs that went away
                if message is None:
                    break
                self.wfile.write(message)
        except OSError:  # the tab was closed or reloaded
            pass
        finally:
            channel.unsubscribe(client)
            self.close_connection = True


NOT_BUILT = (
    b"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>sitegen serve</title>"
    b"<body><h1>The site has not been built yet</h1>"
    b"<p>Fix the problems shown (also printed in the terminal); this page reloads by itself.</p></body></html>\n"
)


# --- Rebuilding -----------------------------------------------------------------------------


class Preview:
    """Rebuilds the site on change and tells the open tabs the outcome."""

    def __init__(self, root: Path, *, base_url: str | None) -> None:
        self.root = root
        self.base_url = base_url
        self.out = root / OUTPUT
        self.channel = LiveChannel()
        self.stop = threading.Event()
        self.search = SearchRefresher(self.out)
        self.site = ServedSite(self.out, self.initial_base_path())
        self.failing = False
        self.warnings: set[Problem] = set()
        self.documents: DocumentCache | None = None  # per-document results, kept in memory between rebuilds
        self.memo = Memo()  # anchors and links of the last build, reused where their inputs are unchanged

    def initial_base_path(self) -> str:
        try:
            return self.load_config().base_path
        except SiteError:
            return "/"

    def load_config(self) -> Config:
        return with_overrides(load_config(self.root), base_url_override=self.base_url)

    def watch_names(self) -> list[str]:
        names = [f"{name}/" for name in WATCHED_DIRS if (self.root / name).is_dir()]
        return names + [CONFIG_NAME]

    def follow(self, feed: ChangeFeed) -> None:
        """Rebuild on every batch of changes, until interrupted.

        A failed build is reported only when no further change arrives within a moment:
        a save in progress (a file half written, a burst of saves) often fails only until
        its last write lands, and flashing an error for it would be noise.
        """
        while True:
            changed = feed.next()
            problems = self.rebuild(changed)
            while problems and (more := feed.next(timeout=ERROR_GRACE_SECONDS)):
                changed |= more
                problems = self.rebuild(changed)
            if problems:
                self.report_failure(problems)

    def rebuild(self, changed: set[str], *, initial: bool = False) -> tuple[Problem, ...]:
        """Build the current state of the files (so the last of several edits wins).

        After an edit to content only, the pages the open tabs show are written first and
        the tabs reload while the rest of the site is brought up to date; requests for the
        other pages wait for it (ServedSite.hold). Returns the problems of a failed build;
        the caller decides when to report them.
        """
        self.search.cancel()
        started = time.perf_counter()
        reloaded: list[float] = []  # when the tabs were told, if before the end

        def shown(pending: frozenset[str]) -> None:
            self.site.hold(pending)
            self.channel.built("reload", {"changed": sorted(changed)})
            reloaded.append(time.perf_counter())

        shown_pages = self.channel.shown_pages()
        first = FirstPages(shown_pages, shown) if shown_pages and not initial and edits_content_only(changed) else None
        self.site.building.set()
        gc.disable()  # a rebuild makes little garbage; settle_memory collects it once the tabs are told
        try:
            config = self.load_config()
            if self.documents is None:
                self.documents = load_cache(self.root, config)
            result = build(
                self.root,
                out=self.out,
                base_url=self.base_url,
                search=False,
                serving=ServeState(self.documents, self.memo, changed=None if initial else changed, first=first),
            )
        except SiteError as error:
            return error.problems
        except Exception as error:  # a bug must not end the preview; the next edit retries
            return (Problem(SourceLoc("sitegen"), f"internal error while building: {type(error).__name__}: {error}"),)
        finally:
            self.site.settle()
            self.site.building.clear()
            gc.enable()
        self.site.base_path = config.base_path
        stylesheets = None if (initial or self.failing) else changed_stylesheets(self.root, config, self.out, changed)
        self.failing = False
        if stylesheets:
            self.channel.built("css", {"stylesheets": stylesheets})
        elif not reloaded:  # else the tabs were told as soon as their pages were written
            self.channel.built("reload", {"changed": sorted(changed)})
        new_warnings = [w for w in result.warnings if w not in self.warnings]
        self.warnings = set(result.warnings)
        for warning in new_warnings:
            print(f"warning: {warning}", file=sys.stderr)
        what = "built" if initial else "rebuilt"
        because = f" ({', '.join(sorted(changed)[:3])}{', …' if len(changed) > 3 else ''})" if changed else ""
        early = f"; open pages reloaded after {(reloaded[0] - started) * 1000:.0f} ms" if reloaded else ""
        index = "; the search index follows" if config.search else ""
        print(f"{what} {result.pages} pages and other files in {(time.perf_counter() - started) * 1000:.0f} ms{because}{early}{index}", flush=True)
        if config.search:
            self.search.schedule(config)
        settle_memory()
        return ()

    def report_failure(self, problems: tuple[Problem, ...]) -> None:
        self.failing = True
        for problem in problems:
            print(problem, file=sys.stderr)
        count = len(problems)
        serving = "still serving the last good site" if self.site.directory.is_dir() else "the site is served once they are fixed"
        print(f"sitegen serve: {count} error{'s' if count != 1 else ''}; {serving}", file=sys.stderr, flush=True)
        self.channel.failed(problems)

    def close(self) -> None:
        self.stop.set()
        self.search.cancel()
        self.channel.close()


def edits_content_only(changed: set[str]) -> bool:
    """True when every changed file is a Markdown file of content/: such an edit changes pages,
    never the theme's files or the site's settings, so its pages may be shown one by one."""
    return bool(changed) and all(path.startswith("content/") and path.endswith(".md") for path in changed)


def settle_memory() -> None:
    """Collect the last build's garbage now, while the tabs reload, then freeze what is left
    (mostly the per-document results) so that later collections skip it. Builds run with
    the collector off (see Preview.rebuild)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def changed_stylesheets(root: Path, config: Config, out: Path, changed: set[str]) -> dict[str, str]:
    """{stylesheet URL path: new URL} when every change is to a stylesheet of the theme, else {}.

    Only then can the tabs swap stylesheets instead of reloading: every page still links the
    same files, only their `?v=` fingerprint moved.
    """
    if not changed or not all(path.endswith(".css") for path in changed):
        return {}
    static = theme_dir(root, config) / "static"
    stylesheets = {}
    for path in changed:
        source = (root / path).resolve()
        if not source.is_relative_to(static.resolve()):
            return {}
        site_path = "static/" + source.relative_to(static.resolve()).as_posix()
        built = out / site_path
        if not built.is_file():
            return {}
        url = url_for(config, site_path)
        stylesheets[url] = f"{url}?v={fingerprint(built.read_bytes())}"
    return stylesheets


class SearchRefresher:
    """Re-indexes the served site once edits have been quiet for a moment, off the main thread.

    A rebuild replaces the output folder and with it the old index, so every successful
    build schedules a fresh one. A rebuild also stops an index run under way (Pagefind
    uses both cores for seconds on a large archive, which would slow the rebuild the
    reader is waiting for); the build after it schedules the run again.
    """

    def __init__(self, site_dir: Path, quiet: float = SEARCH_QUIET_SECONDS) -> None:
        self.site_dir = site_dir
        self.quiet = quiet
        self._timer: threading.Timer | None = None
        self._stop = threading.Event()  # of the scheduled or running index run
        self._running = threading.Lock()
        self._explained = False

    def schedule(self, config: Config) -> None:
        self.cancel()
        self._stop = threading.Event()
        self._timer = threading.Timer(self.quiet, self._run, args=(config, self._stop))
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.cancel()

    def _run(self, config: Config, stop: threading.Event) -> None:
        index_site = find_indexer()
        if isinstance(index_site, str):
            if not self._explained:
                print(f"sitegen serve: search is not refreshed: {index_site}", file=sys.stderr, flush=True)
                self._explained = True
            return
        with self._running:
            if stop.is_set():
                return
            started = time.perf_counter()
            try:
                stats = index_site(self.site_dir, config, stop=stop)
                if stats is None:
                    return  # stopped by a rebuild, which schedules a new run
            except SiteError as error:
                for problem in error.problems:
                    print(f"search: {problem}", file=sys.stderr)
                return
            except Exception as error:  # e.g. a rebuild swapped the folder mid-run; the next build retries
                print(f"sitegen serve: search index not refreshed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
                return
            print(f"search index refreshed ({stats.files} files) in {time.perf_counter() - started:.2f} s", flush=True)


def find_indexer() -> Callable[..., IndexStats | None] | str:
    """`generator.search.index_site`, or why it cannot be used."""
    try:
        module = importlib.import_module("generator.search")
    except ImportError as error:
        return f"generator.search could not be imported ({error})"
    index_site = getattr(module, "index_site", None)
    if not callable(index_site):
        return "generator.search has no index_site(site_dir, config, stop=...)"
    return index_site


# --- Watching -------------------------------------------------------------------------------


class WatchFailed(Exception):
    """The file watcher itself broke (e.g. the system's limit of watches was reached)."""


class ChangeFeed:
    """Batches of changed paths from a watcher thread.

    Running the watcher in its own thread lets the builder ask "did anything else change
    in the last moment?" without consuming a batch it would then have to hold back.
    """

    def __init__(self, root: Path, stop: threading.Event) -> None:
        self._batches: queue.Queue[set[str] | Exception] = queue.Queue()
        self.ready = threading.Event()  # set once the watcher is up: edits from then on are seen
        threading.Thread(target=self._watch, args=(root, stop), name="sitegen-watch", daemon=True).start()

    def _watch(self, root: Path, stop: threading.Event) -> None:
        try:
            for changed in watch_project(root, stop, self.ready):
                self._batches.put(changed)
        except Exception as error:
            self._batches.put(error)

    def next(self, timeout: float | None = None) -> set[str]:
        """Every path changed since the last call; waits up to `timeout` (None: for ever).

        The wait is cut into short slices: Ctrl-C's SIGINT may be delivered to another thread
        (the watcher's, or Pagefind's reader), and then only a main thread that wakes up by
        itself notices it; one blocked wait on the queue slept through it."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SIGNAL_CHECK_SECONDS if deadline is None else min(SIGNAL_CHECK_SECONDS, deadline - time.monotonic())
            try:
                batches = [self._batches.get(timeout=max(left, 0))]
                break
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    return set()
        while not self._batches.empty():
            batches.append(self._batches.get_nowait())
        changed: set[str] = set()
        for batch in batches:
            if isinstance(batch, Exception):
                raise WatchFailed(f"{type(batch).__name__}: {batch}")
            changed |= batch
        return changed


def watch_project(root: Path, stop: threading.Event, ready: threading.Event) -> Iterator[set[str]]:
    """Yield the root-relative paths changed in each burst of edits, until `stop` is set.

    watchfiles groups the events of a burst (20 ms of quiet, at most 1.6 s); edits made
    during a rebuild are held and come out as the next burst. sitegen.yaml is polled,
    not watched: editors replace it by renaming, which loses a watch on a single file.
    Creating or removing content/, themes/ or templates/ restarts the watcher. `ready` is
    set once the first watcher runs.
    """
    while not stop.is_set():
        folders = watched_folders(root)
        config_seen = file_signature(root / CONFIG_NAME)
        changes = (
            watchfiles.watch(
                *folders, watch_filter=ProjectFilter(root), stop_event=stop, yield_on_timeout=True,
                rust_timeout=int(POLL_SECONDS * 1000), debounce=1600, step=20,
            )
            if folders
            else idle(stop)
        )
        for batch in changes:
            ready.set()  # the first (possibly empty, on timeout) batch proves the watcher is running
            changed = {relative(root, path) for _, path in batch}
            config_now = file_signature(root / CONFIG_NAME)
            if config_now != config_seen:
                changed.add(CONFIG_NAME)
                config_seen = config_now
            folders_now = watched_folders(root)
            if folders_now != folders:
                changed.update(f"{folder.name}/" for folder in set(folders) ^ set(folders_now))
            if changed:
                yield changed
            if folders_now != folders:
                break


class ProjectFilter(watchfiles.DefaultFilter):
    """watchfiles' own filter (version-control folders, caches) and the files the build ignores
    (published.is_ignored): an editor saving `.obsidian/workspace.json` or a swap file at every
    keystroke must not rebuild the site and reload every tab."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return super().__call__(change, path) and not is_ignored(relative(self.root, path))


def watched_folders(root: Path) -> list[Path]:
    return [root / name for name in WATCHED_DIRS if (root / name).is_dir()]


def idle(stop: threading.Event) -> Iterator[set]:
    while not stop.wait(POLL_SECONDS):
        yield set()


def file_signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def relative(root: Path, path: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path
