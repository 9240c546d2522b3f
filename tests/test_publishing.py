"""Publishing: feeds, sitemap, robots.txt, head tags and JSON-LD, citations, subpath URLs,
GitHub Pages files, deterministic output and the Pages workflow."""

from __future__ import annotations

import base64
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
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape as html_escape

from conftest import REPO, copy_archive, need_tool, serve_directory
from generator.build import build
from generator.emit.citations import bibtex_escape, csl_json, data_url
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


def test_a_path_only_base_url_writes_no_sitemap_nor_relative_canonical_links_and_warns(tmp_path):
    """A sitemap's <loc> and a canonical link must be absolute: with base URL /repo/ there is no host to give."""
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, base_url="https://example.org/repo/", search=False)  # its sitemap must not be left behind
    result = build(root, base_url="/repo/", search=False)
    site = root / "site"
    assert not (site / "sitemap.xml").exists()
    assert "Sitemap:" not in (site / "robots.txt").read_text()
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert 'rel="canonical"' not in html and 'property="og:url"' not in html, page
    [warning] = [w for w in result.warnings if "base_url" in w.message]
    assert str(warning).startswith("sitegen.yaml: base_url '/repo/' has no host: pages get no canonical")

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
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Daniel Bush",
            "url": "https://example.org/repo/authors/daniel-bush/",
            "givenName": "Daniel",
            "familyName": "Bush",
            "jobTitle": "White House Correspondent",
        }
    ]
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


class _CiteLinks(HTMLParser):
    """The `<a download ... href=...>` links of a page: (download name, href, link text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[list[str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and "download" in values:
            self._open = [values["download"] or "", values.get("href") or "", ""]
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[2] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def download_links(html: str) -> dict[str, tuple[str, str]]:
    """Download links by their text: {'BibTeX': (download name, href), ...}."""
    parser = _CiteLinks()
    parser.feed(html)
    return {text: (name, href) for name, href, text in parser.links}


def data_url_text(url: str, media_type: str) -> str:
    """The text a `data:<media type>;charset=utf-8;base64,<base64>` URL holds, checked strictly."""
    header, comma, payload = url.partition(",")
    assert comma and header == f"data:{media_type};charset=utf-8;base64", header
    return base64.b64decode(payload, validate=True).decode("utf-8")


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """A strict reader of the BibTeX we write: `@type{key,` then `name = {balanced braces}|bareword` fields."""
    entries, pos = [], 0
    entry_start = re.compile(r"\s*@(\w+)\{([^,\s{}]+),\n")
    field_start = re.compile(r"\s*(\w+) = ")
    while text[pos:].strip():
        head = entry_start.match(text, pos)
        assert head, f"no entry at {text[pos:pos + 40]!r}"
        kind, key, fields, pos = head[1], head[2], {}, head.end()
        while True:
            name = field_start.match(text, pos)
            assert name, f"no field at {text[pos:pos + 40]!r}"
            pos = name.end()
            if text[pos] == "{":
                depth, end = 0, pos
                while True:
                    if text[end] == "\\":
                        end += 2
                        continue
                    depth += {"{": 1, "}": -1}.get(text[end], 0)
                    end += 1
                    if depth == 0:
                        break
                value, pos = text[pos + 1 : end - 1], end
            else:
                bare = re.compile(r"[a-z0-9]+").match(text, pos)
                assert bare, f"unbraced value at {text[pos:pos + 40]!r}"
                value, pos = bare[0], bare.end()
            assert name[1] not in fields, f"field {name[1]} twice"
            fields[name[1]] = value
            if text.startswith(",\n", pos):
                pos += 2
            else:
                assert text.startswith("\n}\n", pos), f"entry not closed at {text[pos:pos + 40]!r}"
                pos += 3
                break
        entries.append((kind, key, fields))
    return entries


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    """RIS records: every line `XX  - value`, each record from `TY` to `ER`."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in text.splitlines():
        if not line and current is None:
            continue  # a blank line between records
        match = re.fullmatch(r"([A-Z][A-Z0-9])  -(?: (.*))?", line)
        assert match, f"not a RIS line: {line!r}"
        tag, value = match[1], match[2] or ""
        if tag == "TY":
            assert current is None, "TY inside a record"
            current = {}
        assert current is not None, f"{tag} outside a record"
        if tag == "ER":
            records.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(value)
    assert current is None, "a record without ER"
    return records


def cite_downloads(html: str, slug: str) -> dict[str, str]:
    """The article page's three downloads, checked to be named `<slug>.<ext>`, as their decoded text."""
    links = download_links(html)
    expected = {
        "BibTeX": (".bib", "application/x-bibtex"),
        "CSL-JSON": (".json", "application/vnd.citationstyles.csl+json"),
        "RIS": (".ris", "application/x-research-info-systems"),
    }
    assert set(links) == set(expected), links.keys()
    texts = {}
    for label, (extension, media_type) in expected.items():
        name, href = links[label]
        assert name == slug + extension
        texts[label] = data_url_text(href, media_type)
    return texts


def test_article_page_offers_its_citations_as_data_urls(bundled_site):
    html = text_of(bundled_site, ARTICLE + "index.html")
    assert '<h2 id="cite-heading">Cite</h2>' in html
    assert not list(bundled_site.glob("articles/*/cite.*")), "no per-article citation files"
    texts = cite_downloads(html, "iran-facilitating-attacks-us-troops")
    for text in texts.values():
        assert str(html_escape(text)) in html, "the download is the citation text the page shows"

    [item] = json.loads(texts["CSL-JSON"])
    assert item["id"] == "iran-facilitating-attacks-us-troops" and item["type"] == "article-newspaper"
    assert item["title"] == "Iran Is 'Facilitating' Attacks On US Middle East Troops: White House Aide"
    assert item["author"] == [{"family": "Bush", "given": "Daniel"}]
    assert item["accessed"] == {"date-parts": [[2026, 11, 25]]}
    assert "issued" not in item
    assert item["container-title"] == "Newsweek"
    assert item["URL"] == f"https://example.org/repo/{ARTICLE}"

    [(kind, key, fields)] = parse_bibtex(texts["BibTeX"])
    assert (kind, key) == ("article", "iran-facilitating-attacks-us-troops")
    assert fields["title"] == "{Iran Is 'Facilitating' Attacks On US Middle East Troops: White House Aide}"
    assert fields["author"] == "Bush, Daniel" and fields["journal"] == "Newsweek" and fields["urldate"] == "2026-11-25"
    assert "year" not in fields

    [record] = parse_ris(texts["RIS"])
    assert texts["RIS"].startswith("TY  - NEWS\n")
    assert record["TY"] == ["NEWS"] and record["AU"] == ["Bush, Daniel"] and record["T2"] == ["Newsweek"]
    assert record["Y2"] == ["2026/11/25/"] and record["UR"] == [f"https://example.org/repo/{ARTICLE}"]


def test_citations_escape_and_date_a_published_article(hostile_site):
    html = text_of(hostile_site, "articles/hostile/index.html")
    assert r"Times \&amp; &lt;Post&gt;" in html, "citations shown in the page are HTML-escaped"
    texts = cite_downloads(html, "hostile")

    bib = texts["BibTeX"]
    assert r"title = {{Rates </script><script>alert(1)</script> \& <b>AT\&T</b>}}" in bib
    [(_, key, fields)] = parse_bibtex(bib)
    assert key == "hostile"
    assert fields["journal"] == r"Times \& <Post>" and fields["author"] == "{Ann O'Hara \\& Co}"
    assert fields["year"] == "2023" and fields["month"] == "oct" and fields["date"] == "2023-10-23" and fields["urldate"] == "2024-01-02"
    assert fields["url"] == "https://news.example.com/a?x=1&y=2"

    [item] = json.loads(texts["CSL-JSON"])
    assert item["title"] == "Rates </script><script>alert(1)</script> & <b>AT&T</b>"
    assert item["author"] == [{"literal": "Ann O'Hara & Co"}] and item["container-title"] == "Times & <Post>"
    assert item["issued"] == {"date-parts": [[2023, 10, 23]]} and item["accessed"] == {"date-parts": [[2024, 1, 2]]}
    assert item["URL"] == "https://news.example.com/a?x=1&y=2"

    ris = texts["RIS"]
    [record] = parse_ris(ris)
    assert record["DA"] == ["2023/10/23/"] and record["Y2"] == ["2024/01/02/"] and ris.endswith("ER  -\n")
    assert record["TI"] == ["Rates </script><script>alert(1)</script> & <b>AT&T</b>"] and record["UR"] == ["https://news.example.com/a?x=1&y=2"]


def test_the_site_has_one_bibliography_per_format_linked_from_the_articles_index(hostile_site):
    index = text_of(hostile_site, "articles/index.html")
    for name in ("citations.bib", "citations.json", "citations.ris"):
        assert f'<a href="/repo/{name}" download>' in index
    assert not list(hostile_site.glob("articles/*/cite.*"))

    entries = parse_bibtex(text_of(hostile_site, "citations.bib"))
    assert [key for _, key, _ in entries] == ["hostile", "undated"], "every article, ordered by slug"
    assert entries[1][2] == {"title": "{Undated piece}", "author": "{Someone}", "journal": "Nowhere News", "entrysubtype": "newspaper", "url": "https://example.org/repo/articles/undated/", "langid": "en"}
    items = json.loads(text_of(hostile_site, "citations.json"))
    assert [item["id"] for item in items] == ["hostile", "undated"]
    records = parse_ris(text_of(hostile_site, "citations.ris"))
    assert [r["TI"] for r in records] == [["Rates </script><script>alert(1)</script> & <b>AT&T</b>"], ["Undated piece"]]

    # each entry is the text its article's page offers
    html = text_of(hostile_site, "articles/hostile/index.html")
    assert items[0] == json.loads(cite_downloads(html, "hostile")["CSL-JSON"])[0]
    assert text_of(hostile_site, "citations.bib").startswith(cite_downloads(html, "hostile")["BibTeX"])


@pytest.mark.browser
def test_a_citation_downloads_with_javascript_off(bundled_site, browser, tmp_path):
    """The Cite links are plain `<a download>` links: Chromium saves `<slug>.bib` with no script running."""
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix="/repo/") as base:
            page.goto(base + ARTICLE)
            for label, extension in (("BibTeX", "bib"), ("RIS", "ris")):
                with page.expect_download() as info:
                    page.click(f"section.cite a:text-is('{label}')")
                download = info.value
                assert download.suggested_filename == f"iran-facilitating-attacks-us-troops.{extension}"
                saved = tmp_path / download.suggested_filename
                download.save_as(saved)
                href = page.get_attribute(f"section.cite a:text-is('{label}')", "href")
                assert saved.read_text(encoding="utf-8") == base64.b64decode(href.partition(",")[2]).decode("utf-8")
            assert saved.read_text(encoding="utf-8").startswith("TY  - NEWS\n")
    finally:
        context.close()


_JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@given(st.lists(st.dictionaries(st.text(), _JSON_VALUES, max_size=6), max_size=3))
def test_csl_json_writes_what_json_dumps_with_indent_writes(items):
    assert csl_json(items) == json.dumps(items, ensure_ascii=False, indent=2) + "\n"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_a_data_url_holds_any_text_as_utf8_base64(text):
    assert data_url_text(data_url("text/plain", text), "text/plain") == text


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
    assert {"feed.xml", "notes.xml", "sitemap.xml", "robots.txt", "citations.bib", "citations.json", "citations.ris"} <= set(files[0])
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
    assert steps["Install sitegen"]["run"] == "python -m pip install -e '.[docs]'"
    assert steps["Build"]["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert "--base-url" in steps["Build"]["run"]


def test_project_workflow_publishes_the_docs_under_docs_with_the_archive():
    """The documentation site is built strictly into site/docs/ after the archive (whose build replaces site/
    whole) and before site/ is uploaded, so one Pages deployment carries both."""
    yaml = pytest.importorskip("yaml")
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    names = [step.get("name") for step in steps]
    docs_step = next(step for step in steps if "mkdocs" in step.get("run", ""))
    assert docs_step["run"] == "python -m mkdocs build --strict --site-dir site/docs"
    assert names.index("Build") < names.index(docs_step["name"]) < names.index("Upload the site")
