"""Search: Pagefind indexes every build, and the theme's search page finds the right things.

The browser tests build tests/fixtures/sites/search (three outlets, notes, a Chinese
article) and serve it under /repo/, as GitHub Pages would, then type into the search page.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from generator.build import build
from generator.config import Config
from generator.errors import SiteError
from generator.search import index_site
from tests.conftest import copy_archive, serve_directory

FIXTURE = Path(__file__).parent / "fixtures" / "sites" / "search"
DOCUMENTS = 5 + 3 + 2  # articles, notes, entities in the fixture


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    root = copy_archive(FIXTURE, tmp_path_factory.mktemp("search"))
    build(root)
    return root / "site"


@pytest.fixture()
def search_page(browser, search_site):
    """A function opening the search page with a query string; yields (page, base URL)."""
    with serve_directory(search_site, "/repo/") as base:
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        def open_search(query: str = ""):
            page.goto(base + "search/" + query)
            if query:
                wait_for_results(page)
            return page

        open_search.base = base
        yield open_search
        context.close()
        assert errors == []


def wait_for_results(page, previous: str | None = None) -> str:
    """The live region's text once a search has finished (and differs from `previous`)."""
    page.wait_for_function(
        "prev => { const s = document.querySelector('.search-status').textContent;"
        " return /result/.test(s) && s !== prev && !document.querySelector('#search[aria-busy]'); }",
        arg=previous,
        timeout=15000,
    )
    return page.inner_text(".search-status")


def result_links(page) -> list[str]:
    return page.eval_on_selector_all(".search-result-title a", "links => links.map(a => a.getAttribute('href'))")


# --- the index, without a browser -------------------------------------------------------


def test_every_build_indexes_documents_in_their_languages(search_site):
    entry = json.loads((search_site / "pagefind" / "pagefind-entry.json").read_text())
    counts = {language: info["page_count"] for language, info in entry["languages"].items()}
    assert counts == {"en": DOCUMENTS - 1, "zh": 1}
    assert (search_site / "pagefind" / "pagefind.js").is_file()
    assert not (search_site / "pagefind" / "pagefind-ui.js").exists()  # the theme has its own UI


def test_index_site_replaces_an_old_index_and_reports_pages(tmp_path):
    root = copy_archive(FIXTURE, tmp_path / "archive")
    build(root, search=False)
    stale = root / "site" / "pagefind" / "stale.pf_fragment"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    stats = index_site(root / "site", Config())
    assert stats.pages == DOCUMENTS
    assert stats.languages == ("en", "zh")
    assert stats.seconds > 0
    assert not stale.exists()


def test_no_search_flag_and_config_key_skip_the_index(tmp_path):
    root = copy_archive(FIXTURE, tmp_path / "archive")
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--no-search"], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (root / "site" / "index.html").is_file()
    assert not (root / "site" / "pagefind").exists()
    (root / "sitegen.yaml").write_text((root / "sitegen.yaml").read_text() + "search: false\n")
    build(root)
    assert not (root / "site" / "pagefind").exists()


def test_a_missing_pagefind_binary_is_a_one_line_error(tmp_path):
    root = copy_archive(FIXTURE, tmp_path / "archive")
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-pagefind")}
    run = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    problems = [line for line in run.stderr.splitlines() if "Pagefind" in line]
    assert len(problems) == 1 and "--no-search" in problems[0], run.stderr
    assert not (root / "site").exists()  # nothing half-built was swapped in


def test_a_failing_pagefind_becomes_a_site_error(tmp_path, monkeypatch):
    root = copy_archive(FIXTURE, tmp_path / "archive")
    build(root, search=False)
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: could not write the bundle' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(SiteError) as caught:
        index_site(root / "site", Config())
    assert str(caught.value) == "pagefind: search index: Pagefind failed: Error: could not write the bundle"


def test_an_index_run_is_stopped_when_asked(tmp_path, monkeypatch):
    """serve stops Pagefind when a rebuild starts, so the two never share the cores."""
    root = copy_archive(FIXTURE, tmp_path / "archive")
    build(root, search=False)
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexec sleep 60\n")  # a Pagefind that would run for a minute
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    assert index_site(root / "site", Config(), stop=stop) is None
    assert time.monotonic() - started < 10


# --- the search page in a real browser ---------------------------------------------------


def test_a_word_only_in_a_note_finds_that_note_first(search_page):
    page = search_page("?q=quillwort")
    assert result_links(page)[0] == "/repo/notes/semaphore-by-hand/"
    first = page.locator(".search-result").first
    assert first.locator(".kicker").inner_text().lower() == "note"
    assert "Harbour Gazette" in first.locator(".item-meta").inner_text()
    assert first.locator(".excerpt mark").first.inner_text().lower() == "quillwort"


def test_filtering_by_outlet_narrows_to_the_right_articles(search_page):
    page = search_page()
    page.fill("#search-q", "foghorn")
    everything = wait_for_results(page)
    # 4 articles and the reading-list note; the note on foghorn-vote says "foghorn" only in
    # its article's title, which finds nothing when the text matches (issue 28)
    assert everything.startswith("5 results")
    page.check("input[name=kind][value=article]")
    articles = wait_for_results(page, everything)
    assert articles.startswith("4 results")
    assert not page.locator("#search-outlet").is_visible()  # filter values load only when asked for
    page.click(".search-filters summary")
    page.select_option("#search-outlet", "Harbour Gazette")
    narrowed = wait_for_results(page, articles)
    assert narrowed.startswith("2 results")
    assert sorted(result_links(page)) == ["/repo/articles/foghorn-vote/", "/repo/articles/skerry-point-keepers/"]
    assert "outlet=Harbour+Gazette" in page.url and "kind=article" in page.url


def test_a_passage_result_lands_on_the_highlight(search_page):
    page = search_page("?q=semaphore")
    article = page.locator(".search-result", has=page.locator('a[href="/repo/articles/skerry-point-keepers/"]'))
    passage = article.locator(".sub-passage > a")
    assert passage.get_attribute("href") == "/repo/articles/skerry-point-keepers/#note-semaphore-by-hand"
    assert article.locator(".sub-passage > .sub-excerpt mark").inner_text() == "semaphore"
    # the note written on that passage is shown with it, its own hit marked
    note = article.locator(".sub-passage .sub-note")
    assert note.locator("a").get_attribute("href") == "/repo/notes/semaphore-by-hand/"
    assert note.locator("a").inner_text() == page.locator(".search-result-title a[href='/repo/notes/semaphore-by-hand/']").inner_text()
    assert note.locator("mark").first.inner_text().lower() == "semaphore"
    passage.click()
    page.wait_for_url("**/articles/skerry-point-keepers/#note-semaphore-by-hand")
    target = page.evaluate("(() => { const t = document.querySelector(':target'); const r = t.getBoundingClientRect();"
                           " return {tag: t.tagName, text: t.textContent, top: r.top, bottom: r.bottom, height: innerHeight}; })()")
    assert target["tag"] == "MARK"
    assert -2 <= target["top"] and target["bottom"] <= target["height"]  # scrolled into view (sub-pixel slack)
    assert "semaphore" in target["text"]


def test_a_hit_outside_highlights_links_to_the_page(search_page):
    page = search_page("?q=museum")
    article = page.locator(".search-result", has=page.locator('a[href="/repo/articles/skerry-point-keepers/"]'))
    assert article.locator(".sub-passage").count() == 0


def test_the_query_round_trips_through_the_url(search_page):
    page = search_page("?q=foghorn&outlet=The+Coastal+Review")
    assert page.input_value("#search-q") == "foghorn"
    assert page.input_value("#search-outlet") == "The Coastal Review"
    assert page.locator("#search-outlet").is_visible()  # a filter from the URL opens the filters
    assert result_links(page) == ["/repo/articles/foghorn-restoration/"]
    before = page.inner_text(".search-status")
    page.fill("#search-q", "keepers")
    wait_for_results(page, before)
    assert page.url.endswith("/repo/search/?q=keepers&outlet=The+Coastal+Review")
    page.reload()
    wait_for_results(page)
    assert page.input_value("#search-q") == "keepers"


def test_the_header_box_searches_from_any_page(search_page):
    page = search_page()
    page.goto(search_page.base + "articles/foghorn-vote/")
    page.keyboard.press("/")
    page.keyboard.type("semaphore")
    page.keyboard.press("Enter")
    page.wait_for_url("**/repo/search/?q=semaphore")
    wait_for_results(page)
    assert "/repo/notes/semaphore-by-hand/" in result_links(page)


@pytest.mark.parametrize("word", ["Ostrander", "windsurfer"])  # only in the footer; only in an ignored author bio
def test_boilerplate_is_not_indexed(search_page, word):
    page = search_page(f"?q={word}")
    assert page.inner_text(".search-status").startswith("No results")
    assert result_links(page) == []


def test_results_show_kind_outlet_author_date_and_image(search_page):
    page = search_page("?q=keepers&kind=article")
    result = page.locator(".search-result").first
    assert result.locator(".search-result-title").inner_text() == "Keepers return to the Skerry Point lighthouse"
    assert result.locator(".kicker").inner_text().lower() == "article"
    assert result.locator(".item-meta").inner_text() == "Harbour Gazette · Mara Lind · 14 March 2025"
    image = result.locator("img.search-thumb")
    assert image.get_attribute("src") == "/repo/images/skerry-light.png"
    assert image.get_attribute("alt") == "A white lighthouse tower on a rocky point under a grey sky"
    # The image loads after the result is drawn: wait for it to be decoded (a broken one never is).
    page.wait_for_function("(img => img.complete && img.naturalWidth > 0)(document.querySelector('img.search-thumb'))", timeout=10000)


def test_chinese_articles_are_found_from_the_english_search_page(search_page):
    page = search_page("?q=灯塔")
    assert result_links(page) == ["/repo/articles/lighthouse-museum-zh/"]


def test_search_page_is_labelled_and_announces_counts(search_page):
    page = search_page("?q=foghorn")
    assert page.get_attribute(".search-status", "role") == "status"
    assert page.get_attribute(".search-status", "aria-live") == "polite"
    assert page.locator("label[for=search-q]").inner_text() == "Search the archive"
    for select in ("outlet", "author", "tag"):
        assert page.locator(f"label[for=search-{select}]").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('.search-form')).display") != "none"


def test_without_javascript_the_page_points_to_the_indexes(browser, search_site):
    with serve_directory(search_site, "/repo/") as base:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "search/?q=foghorn")
        assert "Search needs JavaScript" in page.inner_text("main")
        assert page.locator('main a[href="/repo/articles/"]').count() == 1
        assert not page.locator(".search-form").is_visible()
        context.close()


def test_a_site_built_without_search_says_so(browser, tmp_path):
    root = copy_archive(FIXTURE, tmp_path / "archive")
    build(root, search=False)
    with serve_directory(root / "site", "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/?q=foghorn")
        page.wait_for_function("/not available/.test(document.querySelector('.search-status').textContent)", timeout=15000)
        assert page.locator('.search-status a[href="/repo/articles/"]').count() == 1
        page.close()


def test_a_plain_query_fetches_no_filter_indexes(browser, search_site):
    """Filter indexes are the largest optional download; only opening the filters loads them."""
    with serve_directory(search_site, "/repo/") as base:
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(base + "search/?q=foghorn")
        wait_for_results(page)
        assert any("/repo/pagefind/fragment/" in url for url in fetched)
        assert not any("/pagefind/filter/" in url for url in fetched)
        page.click(".search-filters summary")
        page.wait_for_selector("#search-outlet option[value='Harbour Gazette']", state="attached")
        assert any("/pagefind/filter/" in url for url in fetched)
        page.close()


# --- honest results (issue 28) ------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
MULTILINGUAL = REPO / "benchmarks" / "search_archive"  # English, German and French articles


@pytest.fixture(scope="module")
def built_under_repo(tmp_path_factory):
    """Build an archive folder with base URL /repo/ (once per archive); returns its site folder."""
    sites: dict[Path, Path] = {}

    def site_of(archive: Path) -> Path:
        if archive not in sites:
            root = copy_archive(archive, tmp_path_factory.mktemp(archive.name))
            build(root, base_url="/repo/")
            sites[archive] = root / "site"
        return sites[archive]

    return site_of


def shown_results(browser, site: Path, query: str) -> list[dict]:
    """Link, excerpt text and marked words of every result the search page shows for `query`."""
    with serve_directory(site, "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/?q=" + query)
        wait_for_results(page)
        rows = page.eval_on_selector_all(
            ".search-result",
            "items => items.map(i => ({href: i.querySelector('.search-result-title a').getAttribute('href'),"
            " excerpt: i.querySelector('.excerpt').textContent,"
            " marks: Array.from(i.querySelectorAll('.excerpt mark'), m => m.textContent)}))",
        )
        page.close()
    return rows


def test_every_aid_result_on_the_bundled_archive_shows_a_marked_match(browser, built_under_repo):
    rows = shown_results(browser, built_under_repo(REPO), "aid")
    assert rows and rows[0]["href"] == "/repo/articles/iran-facilitating-attacks-us-troops/"
    for row in rows:  # notes used to match through their article's title, "... White House Aide"
        assert row["marks"], row
        assert all(mark.lower().startswith("aid") for mark in row["marks"]), row


def test_a_note_excerpt_does_not_repeat_its_quote(browser, built_under_repo):
    rows = shown_results(browser, built_under_repo(REPO), "armed%20partners")
    assert rows[0]["href"] == "/repo/notes/proxy-network/"
    rows = shown_results(browser, built_under_repo(REPO), "monitoring")
    for row in rows:
        words = row["excerpt"].lower().split()
        runs = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
        assert len(runs) == len(set(runs)), row


def test_a_word_of_one_language_brings_no_shortened_matches_from_others(browser, built_under_repo):
    rows = shown_results(browser, built_under_repo(MULTILINGUAL), "inquiry")
    assert [row["href"] for row in rows] == ["/repo/articles/mayor-aide-resigns/"]


def test_an_exact_word_comes_before_a_stem_only_match(browser, built_under_repo):
    rows = shown_results(browser, built_under_repo(MULTILINGUAL), "aid")
    assert rows[0]["href"] == "/repo/articles/harbour-dredging-aid/"
    assert "/repo/articles/mayor-aide-resigns/" in [row["href"] for row in rows]


def test_a_query_with_sharp_s_finds_the_german_article(browser, built_under_repo):
    rows = shown_results(browser, built_under_repo(MULTILINGUAL), "Fu%C3%9Fg%C3%A4ngerzone")
    assert [row["href"] for row in rows] == ["/repo/articles/lieferverkehr-altstadt/"]


def test_a_hit_under_a_heading_links_to_that_section(browser, built_under_repo):
    with serve_directory(built_under_repo(MULTILINGUAL), "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/?q=spokesperson")
        wait_for_results(page)
        first = page.locator(".search-result").first
        assert first.locator(".search-result-title a").get_attribute("href") == "/repo/articles/ferry-timetable-cuts/"
        section = first.locator(".sub-result a").first
        assert section.inner_text() == "What the council said"
        assert section.get_attribute("href").endswith("/articles/ferry-timetable-cuts/#what-the-council-said")
        assert first.locator(".sub-result mark").first.inner_text().lower() == "spokesperson"
        section.click()
        page.wait_for_url("**/articles/ferry-timetable-cuts/#what-the-council-said")
        target = page.evaluate("(() => { const t = document.querySelector(':target'); return [t.tagName, t.textContent.trim()]; })()")
        assert target == ["H2", "What the council said"]
        page.close()


def test_year_facet_narrows_and_every_facet_value_shows_its_count(browser, built_under_repo):
    with serve_directory(built_under_repo(MULTILINGUAL), "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/?q=harbour")
        everything = wait_for_results(page)
        assert page.locator(".facet-count").count() == 0  # no counts before the filter indexes are loaded
        page.click(".search-filters summary")
        # the site's totals first (2024 has three articles), then the query's counts
        page.wait_for_function("() => (document.querySelector('#search-year option:nth-child(3)') || {}).textContent === '2024 (0)'")
        years = page.eval_on_selector_all("#search-year option", "os => os.map(o => o.textContent)")
        # newest first; published, else created. 2025 counts the two results listed, not the
        # note matched only through its article's title
        assert years == ["Any year", "2025 (2)", "2024 (0)", "2023 (1)"]
        page.select_option("#search-year", "2025")
        narrowed = wait_for_results(page, everything)
        assert narrowed.endswith("(year 2025).")
        assert set(result_links(page)) == {"/repo/articles/harbour-dredging-aid/", "/repo/notes/coastal-money/"}
        assert "year=2025" in page.url
        page.wait_for_function("() => (document.querySelector('#search-year option:nth-child(4)') || {}).textContent === '2023 (0)'")
        kinds = page.eval_on_selector_all(".search-kinds label", "ls => ls.map(l => l.textContent.trim())")
        assert kinds[1] == "Articles (1)" and kinds[3] == "People & places (0)"
        page.close()


def test_excerpts_use_typographic_quotes_only(browser, built_under_repo):
    # the article has 'remain "unaccounted for," Kirby', the note's quote has curly ones
    rows = shown_results(browser, built_under_repo(REPO), "unaccounted")
    assert len(rows) >= 2
    for row in rows:
        assert '"' not in row["excerpt"] and "'" not in row["excerpt"], row
    assert any("\u201cunaccounted for,\u201d" in row["excerpt"] for row in rows)


def test_a_word_found_nowhere_shows_no_shortened_matches(browser, built_under_repo):
    with serve_directory(built_under_repo(MULTILINGUAL), "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/?q=Lastwagen")  # in no index: Pagefind shortens it to "la", found in French
        assert wait_for_results(page) == "No results for \u201cLastwagen\u201d."
        assert page.locator(".search-result").count() == 0
        page.close()


def test_a_page_found_by_its_title_alone_marks_the_title(browser, built_under_repo):
    with serve_directory(built_under_repo(MULTILINGUAL), "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/?q=lighthouse")  # only in the title of mayor-aide-resigns, which is not indexed text
        wait_for_results(page)
        result = page.locator(".search-result", has=page.locator('a[href="/repo/articles/mayor-aide-resigns/"]'))
        assert result.locator(".search-result-title mark").all_inner_texts() == ["lighthouse"]
        assert result.locator(".search-result-title").inner_text() == "Mayor's aide resigns over lighthouse lease"
        page.close()


# --- facet counts, ranking over more than one page, passages (issue 28) -------------------


def listed_results(page) -> list[dict]:
    """Every result the list holds, after pressing "Show more" until it hides: link and kind."""
    while page.locator(".search-more").is_visible():
        before = page.locator(".search-result").count()
        page.click(".search-more")
        page.wait_for_function(
            "n => document.querySelectorAll('.search-result').length > n || document.querySelector('.search-more').hidden",
            arg=before,
        )
    return page.eval_on_selector_all(
        ".search-result",
        "items => items.map(i => ({href: i.querySelector('.search-result-title a').getAttribute('href'),"
        " kind: i.querySelector('.kicker').textContent}))",
    )


def facet_counts(page, select: str) -> dict[str, int]:
    """Value -> the count shown beside it, for one select's options."""
    texts = page.eval_on_selector_all(f"#search-{select} option", "os => os.filter(o => o.value).map(o => [o.value, o.textContent])")
    return {value: int(text.rsplit("(", 1)[1].rstrip(")")) for value, text in texts}


def shown_count(status: str) -> int:
    return 0 if status.startswith("No results") else int(status.split()[0])


@pytest.mark.parametrize("query", ["aid", "harbour", "dredging", "inquiry"])
def test_facet_counts_are_the_listed_results(browser, built_under_repo, query):
    """Pagefind counts pages matched only through metadata (a note by its article's title) and
    shortened terms from other languages' indexes; the list leaves them out, so must the counts."""
    with serve_directory(built_under_repo(MULTILINGUAL), "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/")
        page.click(".search-filters summary")
        page.wait_for_selector("#search-year option[value='2025']", state="attached")
        page.fill("#search-q", query)
        page.press("#search-q", "Enter")
        status = wait_for_results(page)
        listed = listed_results(page)
        assert shown_count(status) == len(listed) > 0
        kinds = page.eval_on_selector_all(".search-kinds label", "ls => ls.map(l => l.textContent.trim())")
        expected_kinds = [sum(1 for r in listed if r["kind"] == kind) for kind in ("Article", "Note")]
        assert kinds[0] == f"Everything ({len(listed)})"
        assert kinds[1:3] == [f"Articles ({expected_kinds[0]})", f"Notes ({expected_kinds[1]})"]
        for select in ("year", "outlet"):
            for value, count in facet_counts(page, select).items():
                before = page.inner_text(".search-status")
                page.select_option(f"#search-{select}", value)
                narrowed = wait_for_results(page, before)
                assert shown_count(narrowed) == len(listed_results(page)) == count, (select, value, narrowed)
                before = narrowed
                page.select_option(f"#search-{select}", "")
                wait_for_results(page, before)
        page.close()


def stem_heavy_archive(root: Path) -> Path:
    """Twelve short articles saying "aide" three times (Pagefind ranks them first: "aide" and
    "aid" share the stem) and one long article saying "aid" once, below a first page of ten."""
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    (root / "sitegen.yaml").write_text("title: Stems\nbase_url: /repo/\nlanguage: en\n")
    filler = " ".join(f"word{i}" for i in range(400))
    for i in range(12):
        (articles / f"stem-{i:02d}.md").write_text(
            f"---\ntitle: Council meeting number {i}\npublished: 2024-01-{i + 1:02d}\n---\n\nThe aide spoke, the aide left, an aide came back.\n"
        )
    (articles / "exact-aid.md").write_text(
        f"---\ntitle: Harbour budget\npublished: 2024-02-01\n---\n\n{filler}\n\nThe town asked for aid.\n\n{filler}\n"
    )
    return root


def test_an_exact_word_beyond_the_first_page_is_ranked_first(browser, tmp_path):
    root = stem_heavy_archive(tmp_path / "stems")
    build(root)
    with serve_directory(root / "site", "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "search/")
        pagefind_order = page.evaluate(
            "async () => { const pf = await import(document.querySelector('#search').dataset.pagefindUrl);"
            " await pf.options({baseUrl: '/repo/'}); const s = await pf.search('aid');"
            " return Promise.all(s.results.map(async r => (await r.data()).url)); }"
        )
        assert pagefind_order.index("/repo/articles/exact-aid/") >= 10  # not on Pagefind's first page
        page.goto(base + "search/?q=aid")
        wait_for_results(page)
        assert result_links(page)[0] == "/repo/articles/exact-aid/"
        assert len(result_links(page)) == 10
        page.close()


def folded(word: str) -> str:
    """A word as search.js compares it: accents and case folded, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFD", word.lower().replace("ß", "ss")) if ch.isalnum())


def marks_a_query_word(marked: str, query: str) -> bool:
    """Whether a marked word is one of the query's words or shares its start (a stem variant)."""
    hit = folded(marked)
    for term in map(folded, query.split()):
        shared = len(os.path.commonprefix([hit, term]))
        if hit == term or shared >= max(min(3, len(term)), math.ceil(0.6 * len(term))):
            return True
    return False


@pytest.mark.parametrize("archive", ["bundled", "multilingual"])
def test_every_result_of_every_judged_query_marks_a_query_word_and_never_repeats(browser, built_under_repo, archive):
    """Over the judged queries of the search benchmark: each shown result marks a query word in
    its excerpt (in its title when found by the title alone: the title is not in the indexed
    text) and no excerpt says the same four words twice."""
    spec = yaml.safe_load((REPO / "benchmarks" / "search_queries.yaml").read_text(encoding="utf-8"))
    site = built_under_repo((REPO / spec["archives"][archive]).resolve())
    queries = [item["q"] for item in spec["queries"] if item["archive"] == archive]
    problems = []
    with serve_directory(site, "/repo/") as base:
        page = browser.new_page()
        for query in queries:
            page.goto(base + "search/?q=" + quote(query))
            wait_for_results(page)
            rows = page.eval_on_selector_all(
                ".search-result",
                "items => items.map(i => ({href: i.querySelector('.search-result-title a').getAttribute('href'),"
                " excerpt: i.querySelector('.excerpt').textContent,"
                " marks: Array.from(i.querySelectorAll('.excerpt mark'), m => m.textContent),"
                " titleMarks: Array.from(i.querySelectorAll('.search-result-title mark'), m => m.textContent)}))",
            )
            for row in rows:
                marks = row["marks"] or row["titleMarks"]
                if not marks or not any(marks_a_query_word(mark, query) for mark in marks):
                    problems.append((query, row["href"], "no marked query word", row["excerpt"]))
                words = re.findall(r"\w+", row["excerpt"].lower())
                runs = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
                if len(runs) != len(set(runs)):
                    problems.append((query, row["href"], "repeats itself", row["excerpt"]))
        page.close()
    assert problems == []


def test_fast_typing_ends_on_the_last_query(search_page):
    """Each keystroke searches at once and stops the search before it: whatever finishes first,
    the page ends showing the results of what was typed last, not of a prefix."""
    page = search_page()
    page.click("#search-q")
    page.keyboard.type("semaphore", delay=5)
    page.wait_for_function(
        "() => /\u201csemaphore\u201d/.test(document.querySelector('.search-status').textContent)"
        " && !document.querySelector('#search[aria-busy]')",
        timeout=15000,
    )
    assert "/repo/notes/semaphore-by-hand/" in result_links(page)
    assert page.url.endswith("/repo/search/?q=semaphore")
