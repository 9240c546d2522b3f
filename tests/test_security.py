"""Nothing unsafe is published: hostile text in every field comes out escaped or dropped."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from generator.build import build
from generator.markdown.render import is_safe_link

PAYLOADS = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "]]><script>alert(1)</script>",
    "{{ 7*7 }}{% raw %}",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<body onload=alert(1)>",
]
OWN_SCRIPTS = ("static/site.js", "static/search.js", "pagefind/")
# The Cite section's downloads: a data: URL is allowed only as an `<a download>` of one of the three citation
# media types (none is rendered by a browser), its text in base64 (no raw markup characters).
CITATION_DOWNLOAD = re.compile(
    r"data:(?:application/x-bibtex|application/vnd\.citationstyles\.csl\+json|application/x-research-info-systems)"
    r";charset=utf-8;base64,[A-Za-z0-9+/]*=*"
)


def hostile_archive(root: Path, payload: str) -> None:
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "notes").mkdir()
    (root / "content" / "entities").mkdir()
    (root / "sitegen.yaml").write_text(yaml.safe_dump({"title": payload, "description": payload, "author": payload}))
    article = {
        "title": payload,
        "subtitle": payload,
        "authors": [{"name": payload, "role": payload, "bio": payload}],
        "outlet": payload,
        "source_url": "https://example.org/a?q=" + payload.replace(" ", "%20"),
        "tags": [payload],
        "images": [{"title": payload, "caption": payload, "credit": payload, "photographer": payload, "agency": payload, "alt": payload}],
    }
    body = f"Intro {payload} text.\n\n[click]({payload})\n\n[link](javascript:alert(1)) and ![img](javascript:alert(1))\n\nEnd marker sentence here.\n"
    (root / "content" / "articles" / "hostile.md").write_text("---\n" + yaml.safe_dump(article) + "---\n" + body)
    note = {"article": "hostile", "quote": "End marker sentence", "title": payload, "tags": [payload]}
    (root / "content" / "notes" / "hostile-note.md").write_text("---\n" + yaml.safe_dump(note) + "---\n" + f"{payload} [[hostile|{payload}]]\n")
    entity = {"name": "Hostile " + payload, "kind": "person", "aliases": [payload]}
    (root / "content" / "entities" / "hostile-person.md").write_text("---\n" + yaml.safe_dump(entity) + "---\n" + payload + "\n")


class LiveScriptFinder(HTMLParser):
    """Collects anything a browser would execute: scripts, event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []
        self.in_json = False
        self.citation_downloads = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            kind = attributes.get("type", "")
            src = attributes.get("src") or ""
            if kind == "application/ld+json":
                self.in_json = True
            elif not any(own in src for own in OWN_SCRIPTS):
                self.live.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "svg"):
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"{tag} {name}={value}")
            if tag == "a" and name == "href" and "download" in attributes and CITATION_DOWNLOAD.fullmatch(value or ""):
                self.citation_downloads += 1
            elif name in ("href", "src", "action", "formaction") and value and not is_safe_link(value):
                self.live.append(f"{tag} {name}={value}")

    def handle_data(self, data):
        if self.in_json:
            json.loads(data)  # a JSON-LD block must stay pure JSON
            assert "<" not in data, "JSON-LD must escape '<'"

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_json = False


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_fields_never_become_live(tmp_path, payload):
    hostile_archive(tmp_path, payload)
    result = build(tmp_path, search=False)
    assert result.pages > 0
    site = tmp_path / "site"
    checked = downloads = 0
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            finder = LiveScriptFinder()
            finder.feed(path.read_text())
            assert finder.live == [], f"{path.relative_to(site)}: {finder.live}"
            checked += 1
            downloads += finder.citation_downloads
        elif path.suffix == ".xml":
            for element in ElementTree.parse(path).iter():  # a feed or sitemap must stay well-formed
                if element.get("type") in ("html", "xhtml") and element.text:
                    finder = LiveScriptFinder()
                    finder.feed(element.text)  # what a feed reader would render
                    assert finder.live == [], f"{path.relative_to(site)}: {finder.live}"
        elif path.suffix == ".json" and "pagefind" not in path.parts:
            json.loads(path.read_text())
    assert checked >= 5
    assert downloads == 3, "the article's three Cite downloads, and no other data: URL"


def test_raw_html_is_escaped_unless_allowed(tmp_path):
    hostile_archive(tmp_path, "<b>bold</b>")
    build(tmp_path, search=False)
    page = (tmp_path / "site" / "articles" / "hostile" / "index.html").read_text()
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    (tmp_path / "sitegen.yaml").write_text("allow_html: true\n")
    build(tmp_path, search=False)
    page = (tmp_path / "site" / "articles" / "hostile" / "index.html").read_text()
    assert "Intro <b>bold</b> text." in page


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://example.org", True),
        ("mailto:me@example.org", True),
        ("../notes/x/", True),
        ("#note-x", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
    ],
)
def test_link_schemes(url, safe):
    assert is_safe_link(url) is safe


@pytest.mark.browser
def test_searching_hostile_pages_runs_nothing(tmp_path, browser):
    """The search index and its result list are another way out: a payload must stay text there too."""
    from tests.conftest import serve_directory
    from tests.test_search import wait_for_results

    hostile_archive(tmp_path, '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script> alert')
    build(tmp_path, search=True, base_url="/repo/")
    with serve_directory(tmp_path / "site", "/repo/") as base:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base + "search/?q=alert")
        status = wait_for_results(page)
        assert "result" in status and not status.startswith("0 ")
        assert page.evaluate("window.__pwned === undefined") and dialogs == []
        assert page.eval_on_selector_all("#search img[onerror], #search script, #search svg", "nodes => nodes.length") == 0
        page.close()
