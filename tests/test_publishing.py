"""Publishing: feeds, sitemap, robots.txt, head tags and JSON-LD, citations, subpath URLs,
GitHub Pages files, deterministic output and the Pages workflow."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import REPO, copy_archive, need_tool, serve_directory
from generator.build import build
from generator.emit.citations import bibtex_escape
from generator.emit.feeds import FALLBACK_DATE
from generator.emit.jsonld import script_safe_json

SITEMAP_XSD_CANDIDATES = [
    REPO / "node_modules/sitemap/schema/sitemap.xsd",
    Path("/tmp/npmtools/node_modules/sitemap/schema/sitemap.xsd"),
]
ARTICLE = "articles/iran-facilitating-attacks-us-troops/"


def write_archive(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


HOSTILE_ARTICLE = """\
---
title: "Rates </script><script>alert(1)</script> & <b>AT&T</b>"
authors:
  - name: "Ann O'Hara & Co"
    role: "Editor <at large>"
outlet: "Times & <Post>"
source_url: https://news.example.com/a?x=1&y=2
published: 2023-10-23
archived: 2024-01-02
tags: [money]
images:
  - caption: "A chart </script>"
    credit: "Jo Lens/Wire & Co"
    photographer: Jo Lens
    agency: Wire & Co
    src: https://img.example.com/chart.png
---
Rates rose by 100% in a year, {braces} and $dollars$ included.
"""

UNDATED_ARTICLE = """\
---
title: Undated piece
authors: [Someone]
outlet: Nowhere News
---
A text with no date at all.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """An archive whose fields carry markup characters, one dated and one undated article."""
    root = write_archive(
        tmp_path_factory.mktemp("hostile"),
        {
            "sitegen.yaml": "title: Test & <archive>\nauthor: Reader\ncname: archive.example.org\n",
            "content/articles/hostile.md": HOSTILE_ARTICLE,
            "content/articles/undated.md": UNDATED_ARTICLE,
            "content/notes/rates.md": "---\narticle: hostile\nquote: rose by 100%\ncreated: 2024-02-03\n---\nSee <this>.\n",
        },
    )
    build(root, base_url="https://example.org/repo/", search=False)
    return root / "site"


def text_of(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def jsonld_of(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, "one JSON-LD block per article page"
    return json.loads(blocks[0])


# --- feeds -------------------------------------------------------------------------


def test_feeds_are_valid_atom_with_author_outlet_and_content_dates(bundled_site, hostile_site):
    feedparser = pytest.importorskip("feedparser")
    articles = feedparser.parse(text_of(bundled_site, "feed.xml"))
    assert articles.bozo == 0, articles.get("bozo_exception")
    assert [e.link for e in articles.entries] == [f"https://example.org/repo/{ARTICLE}"]
    entry = articles.entries[0]
    assert entry.author == "Daniel Bush"
    assert entry.source.title == "Newsweek"
    assert entry.updated.startswith("2026-11-25")  # archived date; the source gives no publication date
    assert "published" not in entry
    assert "<mark" not in entry.content[0].value, "feed content is the article without the reader's highlights"
    assert "Ahmad Hasaballah/Getty Images" in entry.content[0].value, "figure credits stay in the feed"

    notes = feedparser.parse(text_of(bundled_site, "notes.xml"))
    assert notes.bozo == 0
    assert len(notes.entries) == len(list((REPO / "content/notes").glob("*.md")))
    assert all(e.link.startswith("https://example.org/repo/notes/") for e in notes.entries)
    assert notes.feed.author


def test_feed_escapes_markup_and_never_uses_the_build_time(hostile_site):
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse(text_of(hostile_site, "feed.xml"))
    assert feed.bozo == 0
    by_title = {e.title: e for e in feed.entries}
    hostile = by_title["Rates </script><script>alert(1)</script> & <b>AT&T</b>"]
    assert hostile.published.startswith("2023-10-23") and hostile.updated.startswith("2023-10-23")
    assert hostile.author == "Ann O'Hara & Co"
    undated = by_title["Undated piece"]
    assert undated.updated.startswith(FALLBACK_DATE.isoformat())
    assert feed.feed.updated.startswith("2023-10-23"), "the feed's date is its newest entry's"
    content_dates = {"2023-10-23", "2024-01-02", "2024-02-03", FALLBACK_DATE.isoformat()}
    for name in ("feed.xml", "notes.xml", "sitemap.xml"):
        dates = set(re.findall(r"<(?:updated|published|lastmod)>(\d{4}-\d\d-\d\d)", text_of(hostile_site, name)))
        assert dates and dates <= content_dates, f"{name}: {dates - content_dates} is no content date"


# --- sitemap and robots ------------------------------------------------------------


@pytest.mark.validator
def test_sitemap_is_valid_against_the_xsd(bundled_site):
    xsd = next((p for p in SITEMAP_XSD_CANDIDATES if p.exists()), None)
    need_tool(xsd is not None, "sitemap XSD missing (npm install sitemap)")
    need_tool(shutil.which("xmllint") is not None, "xmllint missing (apt-get install libxml2-utils)")
    result = subprocess.run(["xmllint", "--noout", "--schema", str(xsd), str(bundled_site / "sitemap.xml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_sitemap_lists_every_page_and_robots_points_to_it(bundled_site):
    locs = re.findall(r"<loc>(.*?)</loc>", text_of(bundled_site, "sitemap.xml"))
    pages = sorted(p.relative_to(bundled_site).as_posix() for p in bundled_site.rglob("*.html") if p.name != "404.html" and "pagefind" not in p.parts)
    assert sorted(locs) == sorted("https://example.org/repo/" + p.removesuffix("index.html") for p in pages)
    assert "https://example.org/repo/404.html" not in locs
    assert f"<loc>https://example.org/repo/{ARTICLE}</loc>\n    <lastmod>2026-11-25</lastmod>" in text_of(bundled_site, "sitemap.xml")
    assert "Sitemap: https://example.org/repo/sitemap.xml" in text_of(bundled_site, "robots.txt").splitlines()


# --- head tags and JSON-LD ---------------------------------------------------------


def test_article_head_has_canonical_opengraph_twitter_and_newsarticle(bundled_site):
    html = text_of(bundled_site, ARTICLE + "index.html")
    canonical = f"https://example.org/repo/{ARTICLE}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title" content="Iran Is' in html
    data = jsonld_of(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Iran Is 'Facilitating'")
    assert data["author"] == [{"@type": "Person", "name": "Daniel Bush", "url": "https://example.org/repo/authors/daniel-bush/", "jobTitle": "White House Correspondent"}]
    assert data["publisher"] == {"@type": "Organization", "name": "Newsweek"}
    assert "datePublished" not in data, "the source states no date, so none is given"
    assert "isBasedOn" not in data, "no source URL is known"
    [image] = data["image"]
    assert image["@type"] == "ImageObject"
    assert image["creditText"] == "Ahmad Hasaballah/Getty Images"
    assert image["copyrightHolder"] == {"@type": "Organization", "name": "Getty Images"}
    assert image["caption"].startswith("Distribution of medical aid")


def test_jsonld_cannot_break_out_of_its_script_element(hostile_site):
    html = text_of(hostile_site, "articles/hostile/index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["headline"] == "Rates </script><script>alert(1)</script> & <b>AT&T</b>"
    assert data["datePublished"] == "2023-10-23"
    assert data["isBasedOn"] == "https://news.example.com/a?x=1&y=2"
    assert data["author"][0]["jobTitle"] == "Editor <at large>"
    assert data["image"][0]["contentUrl"] == "https://img.example.com/chart.png"
    assert '<meta property="og:image" content="https://img.example.com/chart.png">' in html
    assert '<meta property="article:published_time" content="2023-10-23">' in html
    assert json.loads(script_safe_json({"k": "</script>&"})) == {"k": "</script>&"}


# --- citations ---------------------------------------------------------------------


def test_article_page_links_its_citation_files(bundled_site):
    html = text_of(bundled_site, ARTICLE + "index.html")
    assert '<h2 id="cite-heading">Cite</h2>' in html
    for name in ("cite.bib", "cite.json", "cite.ris"):
        assert f'href="/repo/{ARTICLE}{name}" download' in html
        assert (bundled_site / ARTICLE / name).is_file()
    [item] = json.loads(text_of(bundled_site, ARTICLE + "cite.json"))
    assert item["type"] == "article-newspaper"
    assert item["accessed"] == {"date-parts": [[2026, 11, 25]]}
    assert "issued" not in item
    assert item["container-title"] == "Newsweek"
    assert text_of(bundled_site, ARTICLE + "cite.ris").startswith("TY  - NEWS\n")
    assert "@article{iran-facilitating-attacks-us-troops," in text_of(bundled_site, ARTICLE + "cite.bib")


def test_citations_escape_and_date_a_published_article(hostile_site):
    bib = text_of(hostile_site, "articles/hostile/cite.bib")
    assert r"title = {{Rates </script><script>alert(1)</script> \& <b>AT\&T</b>}}" in bib
    assert r"journal = {Times \& <Post>}" in bib
    assert "year = {2023}" in bib and "month = oct" in bib and "urldate = {2024-01-02}" in bib
    assert "url = {https://news.example.com/a?x=1&y=2}" in bib
    [item] = json.loads(text_of(hostile_site, "articles/hostile/cite.json"))
    assert item["issued"] == {"date-parts": [[2023, 10, 23]]} and item["accessed"] == {"date-parts": [[2024, 1, 2]]}
    assert item["URL"] == "https://news.example.com/a?x=1&y=2"
    ris = text_of(hostile_site, "articles/hostile/cite.ris")
    assert "DA  - 2023/10/23/\n" in ris and "Y2  - 2024/01/02/\n" in ris and ris.endswith("ER  -\n")
    html = text_of(hostile_site, "articles/hostile/index.html")
    assert r"Times \&amp; &lt;Post&gt;" in html, "citations shown in the page are HTML-escaped"


def test_bibtex_escape_covers_latex_specials():
    assert bibtex_escape("50% of $5 & #1_a ~b^c {x} \\") == r"50\% of \$5 \& \#1\_a \textasciitilde{}b\textasciicircum{}c \{x\} \textbackslash{}"


# --- URLs under a subpath -------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def local_file(site: Path, url: str, prefix: str = "/repo/") -> Path | None:
    """The file a same-site URL serves, or None for external links and fragments."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith(("#", "mailto:")):
        return None
    assert parts.path.startswith(prefix), f"{url} does not start with the base path {prefix}"
    path = site / parts.path[len(prefix) :]
    return path / "index.html" if parts.path.endswith("/") else path


def test_every_link_asset_feed_and_sitemap_entry_honours_the_base_path(bundled_site):
    checked = 0
    for page in sorted(bundled_site.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        for url in links_in(page.read_text(encoding="utf-8")):
            if url.startswith("https://example.org/"):
                url = url[len("https://example.org") :]
            target = local_file(bundled_site, url)
            if target is not None:
                assert target.is_file(), f"{page.relative_to(bundled_site)} links to missing {url}"
                checked += 1
    assert checked > 500
    xml_urls = re.findall(r'(?:href="|<loc>)(https://example\.org[^"<]*)', text_of(bundled_site, "feed.xml") + text_of(bundled_site, "notes.xml") + text_of(bundled_site, "sitemap.xml"))
    assert xml_urls
    for url in xml_urls:
        target = local_file(bundled_site, url[len("https://example.org") :])
        assert target is not None and target.is_file(), url


def test_404_page_works_from_any_depth_under_the_subpath(bundled_site):
    with serve_directory(bundled_site, prefix="/repo/") as base:
        for missing in ("nope", "articles/renamed-article/", "a/b/c/d/e.html"):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(base + missing)
            assert error.value.code == 404
            body = error.value.read().decode("utf-8")
            assert "Page not found" in body
            links = [u for u in links_in(body) if not urlsplit(u).scheme and not u.startswith("#")]
            assert any("style.css" in u for u in links)
            for url in links:
                with urllib.request.urlopen(urljoin(base + missing, url)) as response:
                    assert response.status == 200, url


def test_pages_files_nojekyll_and_cname(bundled_site, hostile_site):
    assert (bundled_site / ".nojekyll").read_bytes() == b""
    assert not (bundled_site / "CNAME").exists()
    assert (hostile_site / "CNAME").read_text() == "archive.example.org\n"


# --- determinism -------------------------------------------------------------------

PAGEFIND_UNSTABLE = re.compile(r"^pagefind/(filter/|.*\.pf_meta$|pagefind-entry\.json$)")


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    sites = []
    for name in ("first", "second"):
        root = copy_archive(REPO, tmp_path / name)
        build(root, base_url="https://example.org/repo/")
        sites.append(root / "site")
    files = [
        sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and not PAGEFIND_UNSTABLE.match(p.relative_to(site).as_posix()))
        for site in sites
    ]
    assert files[0] == files[1]
    assert {"feed.xml", "notes.xml", "sitemap.xml", "robots.txt", f"{ARTICLE}cite.bib"} <= set(files[0])
    different = [name for name in files[0] if (sites[0] / name).read_bytes() != (sites[1] / name).read_bytes()]
    assert different == []


# --- the GitHub Pages workflow -----------------------------------------------------

WORKFLOW = REPO / ".github/workflows/pages.yml"


def check_workflow(path: Path) -> None:
    need_tool(shutil.which("check-jsonschema") is not None, "check-jsonschema missing (pip install check-jsonschema)")
    need_tool(shutil.which("zizmor") is not None, "zizmor missing (pip install zizmor)")
    schema = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True)
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(["zizmor", "--offline", "--min-severity", "medium", "--format", "json", str(path)], capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert json.loads(audit.stdout) == []


@pytest.mark.validator
def test_project_workflow_passes_the_schema_and_zizmor():
    check_workflow(WORKFLOW)


def test_project_workflow_builds_with_the_pages_base_url_and_least_permissions():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["group"]
    build_job, deploy_job = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build_job["permissions"] == {"contents": "read"}
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step["uses"] for job in (build_job, deploy_job) for step in job["steps"] if "uses" in step]
    assert [u.split("@")[0] for u in uses] == ["actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert all(re.fullmatch(r"[0-9a-f]{40}", u.split("@")[1]) for u in uses), "actions are pinned"
    steps = {step.get("name"): step for step in build_job["steps"]}
    assert steps["Set up Python"]["with"]["cache"] == "pip"
    assert steps["Install sitegen"]["run"] == "python -m pip install -e ."
    assert steps["Build"]["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert "--base-url" in steps["Build"]["run"]
