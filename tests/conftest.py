"""Shared test fixtures: building sites, serving them over HTTP under a subpath, Chromium.

Browser and validator tests skip locally when a tool is missing, with the reason shown,
but fail in CI (CI=true), where .ci/run installs everything.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_tool(available: bool, reason: str) -> None:
    """Skip when a tool is missing locally; in CI a missing tool is a failure."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """`sitegen ARGS` in this process: its exit code, standard output and standard error (never a traceback)."""
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def copy_archive(source: Path, target: Path) -> Path:
    """A copy of an archive (content/, sitegen.yaml, templates/) to build without touching the original."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "templates", "themes"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    if (source / "sitegen.yaml").exists():
        shutil.copy(source / "sitegen.yaml", target / "sitegen.yaml")
    return target


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled archive built with base URL https://example.org/repo/; returns the site folder."""
    root = copy_archive(REPO, tmp_path_factory.mktemp("bundled"))
    build(root, base_url="https://example.org/repo/")
    return root / "site"


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under URL `prefix` (like GitHub Pages at /repo/), 404.html for misses."""

    prefix = "/"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + clean[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextmanager
def serve_directory(directory: Path, prefix: str = "/", handler_class: type = _PrefixHandler):
    """Serve `directory` under `prefix` on 127.0.0.1; yields the base URL ('http://127.0.0.1:PORT/repo/')."""
    handler = type("Handler", (handler_class,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_tool(False, "playwright is not installed (pip install -e '.[test]')")
    need_tool(Path(CHROMIUM).exists(), "chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
