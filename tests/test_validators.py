"""The built bundled site checked by real validators: Nu HTML Checker, linkchecker, axe-core, Lighthouse.

Each check runs the actual tool over the site built for https://example.org/repo/ and served under /repo/,
because a site that only works at the domain root, or only in a light colour scheme, is broken for readers
on GitHub Pages project sites. Each tool is first shown a known-bad input, so a check that silently stopped
checking (a tool that exits 0 on everything, a crawl that reaches nothing) fails instead of passing.

Tools come from `bash .ci/run`: Debian's chromium and Java, `npm ci` (vnu-jar, axe-core, lighthouse),
`pip install -e '.[test]'` (linkchecker, playwright). Locally a missing tool skips with the reason; in CI it fails.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest

from conftest import CHROMIUM, REPO, _PrefixHandler, need_tool, serve_directory

NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
ORIGIN = "https://example.org"  # the bundled_site fixture's base URL is https://example.org/repo/
PREFIX = "/repo/"

# One page of each kind the reader meets; the first in path order stands for its kind.
PAGE_KINDS = {
    "home": "index.html",
    "article": "articles/*/index.html",
    "note": "notes/*/index.html",
    "entity": "entities/*/index.html",
    "author": "authors/*/index.html",
    "outlet": "outlets/*/index.html",
    "tag": "tags/*/index.html",
    "search": "search/index.html",
    "articles-index": "articles/index.html",
    "notes-index": "notes/index.html",
    "entities-index": "entities/index.html",
    "authors-index": "authors/index.html",
    "outlets-index": "outlets/index.html",
    "tags-index": "tags/index.html",
    "orphans": "orphans/index.html",
    "404": "404.html",
}


# ---------------------------------------------------------------- helpers


class LinkCollector(HTMLParser):
    """Every URL a page refers to (href, src, srcset, action, poster) and every id it defines."""

    URL_ATTRIBUTES = {"href", "src", "action", "poster"}
    SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in self.URL_ATTRIBUTES:
                self.urls.append((tag, name, value.strip()))
            elif name in self.SRCSET_ATTRIBUTES:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.urls.append((tag, name, candidate.split()[0]))
            elif name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)


def collect(html: str) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(html)
    collector.close()
    return collector


def html_pages(site: Path) -> list[Path]:
    """Every HTML page the generator wrote (Pagefind's own files excluded: they are not ours)."""
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def page_url(base: str, site: Path, page: Path) -> str:
    """The served URL of a page file: 'articles/x/index.html' -> BASE + 'articles/x/'."""
    relative = page.relative_to(site).as_posix()
    return base + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def page_of_kind(site: Path, kind: str) -> Path:
    matches = sorted(site.glob(PAGE_KINDS[kind]))
    assert matches, f"the bundled site has no {kind} page ({PAGE_KINDS[kind]})"
    return matches[0]


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body of a GET; HTTP errors are answers too (the 404 page has a body)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_tool(command: list[str], *, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, cwd=REPO, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL
    )


# ---------------------------------------------------------------- Nu HTML Checker


def nu_check(paths: list[Path]) -> dict[str, list[str]]:
    """Errors found by the Nu HTML Checker, by file name: `path: line: message`."""
    need_tool(shutil.which("java") is not None, "java is not installed (apt-get install default-jre-headless)")
    need_tool(VNU_JAR.exists(), f"{VNU_JAR.relative_to(REPO)} is missing (npm ci)")
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json", "--stdout"]
    result = run_tool(command + [str(p) for p in paths], timeout=600)
    assert result.stdout.strip(), f"vnu printed no report (exit {result.returncode}): {result.stderr[-2000:]}"
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stdout)["messages"]:
        if message.get("type") in ("error", "non-document-error"):
            where = message.get("url", "?").removeprefix("file:")
            errors.setdefault(where, []).append(f"{where}:{message.get('lastLine', '?')}: {message.get('message')}  [{message.get('extract', '').strip()}]")
    return errors


@pytest.mark.validator
def test_nu_html_checker_finds_no_errors_on_any_page(bundled_site: Path, tmp_path: Path) -> None:
    control = tmp_path / "control" / "broken.html"
    control.parent.mkdir()
    control.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div>unclosed</span>", encoding="utf-8")
    pages = html_pages(bundled_site)
    assert len(pages) > len(PAGE_KINDS), f"only {len(pages)} pages built"

    errors = nu_check([bundled_site, control.parent])

    assert any("broken.html" in where for where in errors), "vnu found nothing wrong in a known-broken page"
    site_errors = [line for where, lines in errors.items() if "broken.html" not in where for line in lines]
    assert not site_errors, f"{len(site_errors)} HTML errors in {len(pages)} pages:\n" + "\n".join(site_errors)


# ---------------------------------------------------------------- links


def is_off_site(url: str) -> bool:
    """A URL that names no file of the site: another site, a mail address, or a data: URL (its content is inline)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc}" != ORIGIN
    return parts.scheme in ("mailto", "data")


@pytest.mark.validator
def test_every_internal_link_and_asset_is_under_the_base_path(bundled_site: Path) -> None:
    """Relative or root-level URLs break under /repo/ (and on the 404 page, served at any depth)."""
    problems = []
    for page in html_pages(bundled_site):
        for tag, attribute, url in collect(page.read_text(encoding="utf-8")).urls:
            if url.startswith("#") or is_off_site(url):
                continue  # no base path applies
            path = url.removeprefix(ORIGIN) if url.startswith(ORIGIN + "/") else url
            if not path.startswith(PREFIX):
                problems.append(f"{page.relative_to(bundled_site)}: <{tag} {attribute}={url!r}>")
    assert not problems, "URLs outside the base path /repo/:\n" + "\n".join(problems)


def site_file(site: Path, url_path: str) -> Path:
    """The file served for a URL path under the base path: '/repo/notes/x/' -> site/notes/x/index.html."""
    relative = url_path.removeprefix(PREFIX)
    return site / relative / "index.html" if relative == "" or relative.endswith("/") else site / relative


def fragment_failures(site: Path) -> list[str]:
    """Links whose #fragment names no id on the target page, same-page and cross-page."""
    pages = {page: collect(page.read_text(encoding="utf-8")) for page in html_pages(site)}
    problems = []
    for page, found in pages.items():
        for tag, attribute, url in found.urls:
            address, _, fragment = url.partition("#")
            if not fragment or is_off_site(url):
                continue
            target = page if address == "" else site_file(site, urlsplit(address.removeprefix(ORIGIN)).path)
            if target not in pages:
                problems.append(f"{page.relative_to(site)}: <{tag} {attribute}={url!r}>: no such page")
            elif unquote(fragment) not in pages[target].ids:
                problems.append(f"{page.relative_to(site)}: <{tag} {attribute}={url!r}>: no id={unquote(fragment)!r} there")
    return problems


@pytest.mark.validator
def test_fragment_check_reports_missing_targets(tmp_path: Path) -> None:
    """The harness itself: a same-page and a cross-page fragment without a target are both reported."""
    (tmp_path / "other").mkdir()
    (tmp_path / "index.html").write_text('<a href="#main">skip</a><main id="top"><a href="/repo/other/#gone">x</a></main>', encoding="utf-8")
    (tmp_path / "other" / "index.html").write_text('<p id="here">o</p>', encoding="utf-8")
    problems = fragment_failures(tmp_path)
    assert len(problems) == 2 and "'main'" in problems[0] + problems[1] and "'gone'" in problems[0] + problems[1], problems


@pytest.mark.validator
def test_every_fragment_link_has_a_target(bundled_site: Path) -> None:
    """Skip links, margin-note numbers and 'go to the passage' links land on an element that exists."""
    problems = fragment_failures(bundled_site)
    assert not problems, "\n".join(problems)


class _LinkCheckerHandler(_PrefixHandler):
    """The test server's handler, plus the `LinkChecker` response header: linkchecker waits 0.1-0.6 s
    between requests to a host unless the host sends it (politeness we do not need on our own server)."""

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "allow")
        super().end_headers()


def linkchecker(start_urls: list[str], config_dir: Path) -> list[dict[str, str]]:
    """linkchecker's CSV row for every URL it checked.

    Not its AnchorCheck plugin: run as root, linkchecker drops to `nobody` before loading plugins and
    silently loads none when it is installed under /root; fragments are checked by fragment_failures().
    maxrequestspersecond plus the `LinkChecker` header lift its per-host throttle on our own server.
    """
    need_tool(shutil.which("linkchecker") is not None, "linkchecker is not installed (pip install -e '.[test]')")
    config = config_dir / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    command = ["linkchecker", "--config", str(config), "--no-status", "--no-robots", "--output", "csv", "--verbose", *start_urls]
    result = run_tool(command, timeout=600)
    rows = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    assert rows, f"linkchecker printed no report (exit {result.returncode}): {result.stderr[-2000:]}"
    return list(csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"))


def link_failures(rows: list[dict[str, str]]) -> list[str]:
    return [
        f"{row['parentname'] or '(start)'}:{row['line']}: {row['urlname']} -> {row['result']} {row['warningstring']}".rstrip()
        for row in rows
        if row["valid"] != "True" or row["warningstring"]
    ]


@pytest.mark.validator
def test_linkchecker_reports_broken_links(tmp_path: Path) -> None:
    """The harness itself: a missing page and a missing stylesheet must both be reported."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title><link rel="stylesheet" href="/repo/gone.css"><a href="/repo/gone/">gone</a> <a href="/repo/other.html">fine</a>',
        encoding="utf-8",
    )
    (site / "other.html").write_text('<!DOCTYPE html><html lang="en"><title>o</title><p id="here">o</p>', encoding="utf-8")
    with serve_directory(site, PREFIX, _LinkCheckerHandler) as base:
        failures = link_failures(linkchecker([base], tmp_path))
    assert any("/repo/gone/" in line for line in failures), failures
    assert any("/repo/gone.css" in line for line in failures), failures
    assert not any("other.html" in line for line in failures), failures


@pytest.mark.validator
def test_no_broken_internal_link_or_asset_under_repo(bundled_site: Path, tmp_path: Path) -> None:
    """Every page is a start URL, so pages nothing links to (404, orphans) have their links checked too."""
    pages = html_pages(bundled_site)
    with serve_directory(bundled_site, PREFIX, _LinkCheckerHandler) as base:
        rows = linkchecker([page_url(base, bundled_site, page) for page in pages], tmp_path)
    checked = {row["url"] for row in rows if row["valid"] == "True"}
    assert len(checked) >= len(pages), f"linkchecker checked {len(checked)} URLs for {len(pages)} pages"
    fetched = {row["url"].removeprefix(base) for row in rows if row["result"].startswith("200")}
    assert {"citations.bib", "citations.json", "citations.ris"} <= fetched, "the articles index links the site's citation files"
    failures = link_failures(rows)
    assert not failures, f"{len(failures)} broken links among {len(rows)} checked:\n" + "\n".join(failures)


@pytest.mark.validator
def test_404_page_links_work_at_a_deep_path(bundled_site: Path) -> None:
    """GitHub Pages serves 404.html at whatever path was missing; its links must not depend on that path."""
    with serve_directory(bundled_site, prefix=PREFIX) as base:
        missing = base + "a/b/c/missing"
        status, body = fetch(missing)
        assert status == 404
        assert body == (bundled_site / "404.html").read_bytes(), "the server did not answer with the site's 404 page"
        found = collect(body.decode("utf-8"))
        targets = sorted({urljoin(missing, url).split("#", 1)[0] for _, _, url in found.urls if not url.startswith("#") and not is_off_site(url)})
        assert any(t.endswith(".css") or ".css?" in t for t in targets), f"the 404 page loads no stylesheet: {targets}"
        broken = []
        for target in targets:
            if target.startswith(ORIGIN):
                target = base + target.removeprefix(ORIGIN + PREFIX)
            status, _ = fetch(target)
            if status != 200:
                broken.append(f"{target} -> {status}")
    assert not broken, "links of the 404 page served at /repo/a/b/c/missing:\n" + "\n".join(broken)


# ---------------------------------------------------------------- axe-core


def axe_violations(browser, url: str, scheme: str, ready: str | None = None, prepare: str | None = None) -> tuple[list[dict], int]:
    """axe-core's violations, at every impact, on `url` in a colour scheme, and its count of passed rules.

    `prepare`: a script to run once loaded (focus a link to open its preview); `ready`: a selector to
    wait for first (search results and previews are drawn by script after load)."""
    need_tool(AXE_JS.exists(), f"{AXE_JS.relative_to(REPO)} is missing (npm ci)")
    page = browser.new_page()
    try:
        page.emulate_media(color_scheme=scheme)
        page.goto(url, wait_until="networkidle")
        if prepare:
            page.evaluate(prepare)
        if ready:
            page.wait_for_selector(ready, timeout=15_000)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        page.add_script_tag(path=str(AXE_JS))
        results = page.evaluate("axe.run()")
    finally:
        page.close()
    return results["violations"], len(results["passes"])


def search_results_url(browser, base: str, site: Path) -> str:
    """The search page asking for the longest word of the first article's title, so results are on screen."""
    page = browser.new_page()
    try:
        page.goto(page_url(base, site, page_of_kind(site, "article")))
        title = page.inner_text("h1")
    finally:
        page.close()
    word = max(re.findall(r"\w{4,}", title), key=len)
    return f"{base}search/?q={quote(word)}"


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


@pytest.mark.browser
def test_axe_reports_a_known_accessibility_failure(browser, tmp_path: Path) -> None:
    """The harness itself: grey-on-white text and an image without alt must be reported."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#ccc;background:#fff">faint</p><img src="data:," width="10" height="10"></main></body></html>',
        encoding="utf-8",
    )
    with serve_directory(site, prefix=PREFIX) as base:
        violations, _ = axe_violations(browser, base, "light")
    assert {"color-contrast", "image-alt"} <= {v["id"] for v in violations}, describe_violations(violations)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", [*PAGE_KINDS, "search-results", "link-preview"])
def test_axe_finds_no_violations(browser, bundled_site: Path, kind: str, scheme: str) -> None:
    prepare = None
    with serve_directory(bundled_site, prefix=PREFIX) as base:
        if kind == "search-results":
            url, ready = search_results_url(browser, base, bundled_site), ".search-results li"
        elif kind == "link-preview":  # the article with an entity link's preview open
            url, ready = page_url(base, bundled_site, page_of_kind(bundled_site, "article")), ".link-preview:not([hidden])"
            prepare = "document.querySelector('.article-body a.entity-link').focus()"
        else:
            url, ready = page_url(base, bundled_site, page_of_kind(bundled_site, kind)), None
        violations, passes = axe_violations(browser, url, scheme, ready, prepare)
    assert passes > 0, f"axe checked nothing on {url}"
    assert not violations, f"{url} ({scheme}):\n{describe_violations(violations)}"


FIGURES_ARTICLE = "articles/skerry-point-keepers/index.html"


@pytest.fixture(scope="module")
def figures_site(tmp_path_factory) -> Path:
    """The search fixture site with two figures: one whose file content/ holds (sized), one whose file is absent."""
    from generator.build import build
    from tests.conftest import copy_archive

    root = copy_archive(REPO / "tests" / "fixtures" / "sites" / "search", tmp_path_factory.mktemp("figures") / "archive")
    article = root / "content" / "articles" / "skerry-point-keepers.md"
    article.write_text(article.read_text().replace("  after_paragraph: 1\n", "  after_paragraph: 1\n- caption: The keepers' cottage.\n  credit: Ines Vale/Harbour Gazette\n  src: images/cottage.png\n  after_paragraph: 2\n", 1))
    build(root, search=False)
    page = (root / "site" / FIGURES_ARTICLE).read_text()
    assert 'width="48" height="32"' in page and "Image file missing: images/cottage.png" in page
    return root / "site"


@pytest.mark.validator
def test_nu_html_checker_accepts_a_sized_figure_and_one_whose_file_is_missing(figures_site: Path) -> None:
    errors = nu_check([figures_site / FIGURES_ARTICLE])
    assert not errors, "\n".join(line for lines in errors.values() for line in lines)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_missing_image_notice_is_visible_in_the_figure_and_passes_axe(browser, figures_site: Path, scheme: str) -> None:
    with serve_directory(figures_site, prefix=PREFIX) as base:
        url = base + FIGURES_ARTICLE.removesuffix("index.html")
        violations, passes = axe_violations(browser, url, scheme)
        page = browser.new_page()
        try:
            page.emulate_media(color_scheme=scheme)
            page.goto(url, wait_until="load")
            notice = page.locator(".figure-missing")
            box = notice.bounding_box()
            border = notice.evaluate("element => getComputedStyle(element).borderTopStyle")
            inside = notice.evaluate("element => element.closest('figure').querySelector('figcaption').textContent")
        finally:
            page.close()
    assert passes > 0 and not violations, f"{url} ({scheme}):\n{describe_violations(violations)}"
    assert box is not None and box["height"] > 40 and box["width"] > 200, f"the notice is not shown as a box: {box}"
    assert border == "dashed" and "The keepers' cottage." in inside


# ---------------------------------------------------------------- Lighthouse


LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_MIN_SCORE = 1.0


def lighthouse(url: str, preset: str) -> dict:
    need_tool(LIGHTHOUSE.exists(), f"{LIGHTHOUSE.relative_to(REPO)} is missing (npm ci)")
    need_tool(Path(CHROMIUM).exists(), "chromium is not installed (apt-get install chromium)")
    command = [
        str(LIGHTHOUSE),
        url,
        "--chrome-flags=--headless=new --no-sandbox",
        "--output=json",
        f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    result = run_tool(command, timeout=180, env={"CHROME_PATH": CHROMIUM})
    assert result.returncode == 0 and result.stdout.strip(), f"lighthouse failed (exit {result.returncode}): {result.stderr[-3000:]}"
    return json.loads(result.stdout)


def lighthouse_shortfalls(report: dict) -> list[str]:
    """Each category under the minimum, with the weighted audits that cost it points."""
    lines = []
    for name in LIGHTHOUSE_CATEGORIES:
        category = report["categories"][name]
        if category["score"] is None or category["score"] < LIGHTHOUSE_MIN_SCORE:
            lines.append(f"{name}: {category['score']}")
            for ref in category["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                    items = (audit.get("details") or {}).get("items") or []
                    lines.append(f"    {ref['id']} ({audit['score']}): {audit['title']} {json.dumps(items[:3])[:400]}")
    return lines


@pytest.mark.browser
@pytest.mark.lighthouse
@pytest.mark.parametrize("preset", ["desktop", "mobile"])
@pytest.mark.parametrize("kind", ["home", "article", "note", "search"])
def test_lighthouse_scores(bundled_site: Path, kind: str, preset: str) -> None:
    page = page_of_kind(bundled_site, kind)
    with serve_directory(bundled_site, prefix=PREFIX) as base:
        url = page_url(base, bundled_site, page)
        report = lighthouse(url, preset)
    assert report.get("runtimeError") is None, report["runtimeError"]
    assert set(LIGHTHOUSE_CATEGORIES) <= set(report["categories"]), sorted(report["categories"])
    shortfalls = lighthouse_shortfalls(report)
    assert not shortfalls, f"{url} ({preset}) scores under {LIGHTHOUSE_MIN_SCORE}:\n" + "\n".join(shortfalls)
