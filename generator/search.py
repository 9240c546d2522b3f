"""The index stage: Pagefind over the written site, once per build.

Runs the Pagefind binary from the `pagefind[extended]` wheel on the whole output folder
in one process (never page by page: its per-file API indexes about ten pages a second).
The extended binary segments Chinese and Japanese text; each page is indexed in the
language of its `<html lang>`, so stemming fits the article.

Only the document pages carry `data-pagefind-body`, so only they are walked: the glob
keeps Pagefind from parsing thousands of index and taxonomy pages it would then ignore.
The default-UI bundles Pagefind also writes are deleted, because the theme's own
search.js talks to `pagefind.js` directly and nothing loads them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config
from generator.errors import SiteError, SourceLoc

BUNDLE = "pagefind"
DOCUMENT_GLOB = "{articles,notes,entities}/**/*.html"
STOP_POLL_SECONDS = 0.05  # how soon a stopped index run ends
UNUSED_UI_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


@dataclass(frozen=True, slots=True)
class IndexStats:
    pages: int
    languages: tuple[str, ...]
    seconds: float
    files: int  # the files of the bundle, which the build's summary counts with the pages


def index_site(site_dir: Path, config: Config, bundle: Path | None = None, stop: threading.Event | None = None) -> IndexStats | None:
    """Index the written site folder into `site_dir/pagefind/` (replacing any old one), or into `bundle`.

    `config` is taken so callers need not know which settings matter: today none do, as
    each page already says its language in `<html lang>` and its filters in its markup.
    When `stop` is set while Pagefind runs, Pagefind is killed and None returned (serve
    stops an index run when a rebuild starts, so the two never share the cores).
    """
    started = time.perf_counter()
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise SiteError.at(SourceLoc(str(site_dir)), "search index: the site folder does not exist")
    bundle = bundle or site_dir / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    command = [str(pagefind_binary()), "--site", str(site_dir), "--output-path", str(bundle), "--glob", DOCUMENT_GLOB, "--quiet"]
    try:
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as error:
        raise SiteError.at(SourceLoc("pagefind"), f"search index: could not run Pagefind ({error.strerror or error})") from None
    output = _output_unless_stopped(run, stop)
    if output is None:
        return None
    if run.returncode != 0:
        raise SiteError.at(SourceLoc("pagefind"), f"search index: Pagefind failed: {_last_message(output)}")
    for name in UNUSED_UI_FILES:
        (bundle / name).unlink(missing_ok=True)
    languages = _indexed_languages(bundle)
    files = sum(1 for path in bundle.rglob("*") if path.is_file())
    return IndexStats(sum(languages.values()), tuple(sorted(languages)), time.perf_counter() - started, files)


def _output_unless_stopped(run: subprocess.Popen, stop: threading.Event | None) -> str | None:
    """What the process printed once it has exited; None if `stop` was set first (it is killed)."""
    while True:
        try:
            return run.communicate(timeout=None if stop is None else STOP_POLL_SECONDS)[0]
        except subprocess.TimeoutExpired:
            if stop is not None and stop.is_set():
                run.kill()
                run.communicate()
                return None


def pagefind_binary() -> Path:
    """The Pagefind executable shipped in the pagefind wheel (extended build preferred)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SiteError.at(SourceLoc("pagefind"), _MISSING) from None
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SiteError.at(SourceLoc("pagefind"), _MISSING)
    return Path(binary)


_MISSING = "search index: the Pagefind binary is not installed (pip install 'pagefind[extended]'), or build with --no-search"


def _indexed_languages(bundle: Path) -> dict[str, int]:
    """Pages per language, from the entry file Pagefind writes for its browser library."""
    entry = bundle / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        return {language: int(info["page_count"]) for language, info in languages.items()}
    except (OSError, ValueError, KeyError, TypeError):
        raise SiteError.at(SourceLoc("pagefind"), "search index: Pagefind wrote no readable pagefind-entry.json") from None


def _last_message(output: str) -> str:
    """Pagefind's own error line, without its progress chatter, on one line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no output"])[-1]
