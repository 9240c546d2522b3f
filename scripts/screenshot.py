"""Make docs/images/article.png, the README's picture of the reading page, and with --quickstart
docs/images/quickstart.png, the quick start's picture of the site its reader has made.

Builds the bundled archive (a copy of content/ and sitegen.yaml, so the repository's
site/ and .sitegen-cache/ stay as they were) into a temporary folder, or walks
docs/quickstart.md there (its commands, as tests/test_docs.py runs them), serves the site on
127.0.0.1 and photographs the top of the article page in Chromium at 1280 px wide,
highlights and margin notes included. Run it after a change to the reading page so
the docs show what a reader sees: `python scripts/screenshot.py [--quickstart]`.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTICLE = "/articles/iran-facilitating-attacks-us-troops/"
VIEWPORT = {"width": 1280, "height": 1000}  # the top of the article: header, lead and the first highlights


def build_archive_copy(folder: Path) -> Path:
    """The bundled archive built inside `folder`; returns its site folder."""
    sys.path.insert(0, str(REPOSITORY))
    from generator.build import build

    archive = folder / "archive"
    shutil.copytree(REPOSITORY / "content", archive / "content")
    shutil.copy(REPOSITORY / "sitegen.yaml", archive / "sitegen.yaml")
    build(archive, search=False)
    return archive / "site"


def walk_quickstart(folder: Path) -> tuple[Path, str]:
    """The site docs/quickstart.md makes, made inside `folder`, and the path of the page of the article
    its reader imported (the one `sitegen init`'s example is not)."""
    sys.path.insert(0, str(REPOSITORY / "tests"))
    from quickstart_helpers import run_quickstart

    archive = run_quickstart(folder)
    example = {path.name for path in (REPOSITORY / "generator" / "starter" / "content" / "articles").glob("*.md")}
    [article] = [path.stem for path in (archive / "content" / "articles").glob("*.md") if path.name not in example]
    return archive / "site", f"/articles/{article}/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        """No request log: the script prints only where the picture went."""


def photograph(site: Path, page_path: str, destination: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}{page_path}", wait_until="networkidle")
            destination.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(destination))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quickstart", action="store_true", help="photograph the site docs/quickstart.md makes, not the bundled archive")
    parser.add_argument("--out", type=Path, help="where the PNG goes (default: docs/images/article.png, or quickstart.png)")
    args = parser.parse_args()
    out = args.out or REPOSITORY / "docs" / "images" / ("quickstart.png" if args.quickstart else "article.png")
    with tempfile.TemporaryDirectory() as folder:
        site, page_path = walk_quickstart(Path(folder)) if args.quickstart else (build_archive_copy(Path(folder)), ARTICLE)
        photograph(site, page_path, out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
