"""The article page as read in Chromium: margin notes beside their highlights without
moving the text, numbered markers paired with their notes, no sideways scrolling."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.emit.pages import highlights_overlap, is_rtl, table_of_contents
from generator.errors import SourceLoc
from generator.graph import newest_first, note_title, quotation
from generator.records import Anchor, Article, Heading, Note
from tests.conftest import REPO, copy_archive, serve_directory

PREFIX = "/repo/"
ARTICLE = "articles/iran-facilitating-attacks-us-troops/"  # the bundled article with five highlights

PARAGRAPH_GAPS = """() => {
  const paragraphs = [...document.querySelectorAll('.article-body > p')];
  const gaps = [];
  for (let i = 1; i < paragraphs.length; i++) {
    if (paragraphs[i].previousElementSibling.matches('p, .margin') && paragraphs[i - 1].nextElementSibling.matches('p, .margin'))
      gaps.push(paragraphs[i].getBoundingClientRect().top - paragraphs[i - 1].getBoundingClientRect().bottom);
  }
  return gaps;
}"""

NOTE_PLACES = """() => [...document.querySelectorAll('.margin-note')].map(note => {
  const slug = note.dataset.note;
  const marker = document.querySelector(`.hl-ref[data-note="${slug}"]`);
  const box = note.getBoundingClientRect(), body = document.querySelector('.article-body').getBoundingClientRect();
  return {slug, number: note.querySelector('.note-number').textContent.replace('Highlight', '').trim(),
          marker: marker.textContent.replace('Note', '').trim(), markerTop: marker.getBoundingClientRect().top,
          top: box.top, bottom: box.bottom, left: box.left, bodyRight: body.right,
          follows: note.closest('.margin').previousElementSibling.contains(marker)};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_margin_notes_sit_beside_the_text_and_never_move_it(browser, bundled_site: Path, script: bool) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=script)
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            gaps = page.evaluate(PARAGRAPH_GAPS)
            notes = page.evaluate(NOTE_PLACES)
    finally:
        context.close()
    assert len(gaps) > 10 and max(gaps) - min(gaps) < 1, f"paragraph gaps differ around margin notes: {gaps}"
    assert len(notes) == 5
    for before, after in zip(notes, notes[1:]):
        assert after["top"] >= before["bottom"], f"margin notes {before['slug']} and {after['slug']} overlap"
    for note in notes:
        assert note["left"] >= note["bodyRight"], f"margin note {note['slug']} covers the text"
        if script:  # lined up with its marker unless the note above pushes it down
            assert abs(note["top"] - note["markerTop"]) < 2 or note is not notes[0] and note["top"] > note["markerTop"]
    if script:
        assert abs(notes[0]["top"] - notes[0]["markerTop"]) < 2


@pytest.mark.browser
def test_markers_carry_their_notes_numbers_and_light_up_together(browser, bundled_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            notes = page.evaluate(NOTE_PLACES)
            assert [n["number"] for n in notes] == [n["marker"] for n in notes] == [str(i) for i in range(1, 6)]
            slug = notes[1]["slug"]
            page.hover(f'.hl-ref[data-note="{slug}"]')
            assert "paired" in page.get_attribute(f"#margin-{slug}", "class")
            page.hover("h1")
            assert "paired" not in page.get_attribute(f"#margin-{slug}", "class")
            page.focus(f"#margin-{slug} .note-number")  # keyboard: the note's number lights up its passage
            assert page.evaluate(f"[...document.querySelectorAll('mark[data-note=\"{slug}\"]')].every(m => m.classList.contains('paired'))")
            page.click(f'.hl-ref[data-note="{slug}"]')
            assert page.evaluate("location.hash") == f"#margin-{slug}"
            page.click(f"#margin-{slug} .note-number")
            assert page.evaluate("location.hash") == f"#note-{slug}"
    finally:
        context.close()


@pytest.mark.browser
def test_on_a_phone_each_note_follows_its_paragraph_without_sideways_scrolling(browser, bundled_site: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            notes = page.evaluate(NOTE_PLACES)
            width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert all(note["follows"] for note in notes), notes
    assert width <= 390


def test_an_untitled_note_is_titled_with_its_passage_as_a_quotation():
    assert quotation("numerous militant groups in the region") == "“…numerous militant groups in the region”"
    long = "Iran is providing rockets, munitions and other resources, Kirby added, but did not offer more details."
    assert quotation(long) == "“Iran is providing rockets, munitions and other resources, Kirby added, but did…”"
    assert quotation('"We know Iran is "actively facilitating" these"') == "“We know Iran is ‘actively facilitating’ these”"
    assert note_title(Note("n", SourceLoc("n.md"), "x", 1, quote="two  spaced\nwords")) == "“…two spaced words”"


def test_counts_are_in_the_singular_for_one_and_entities_count_the_articles_they_wrote(bundled_site: Path):
    home = (bundled_site / "index.html").read_text()
    entities = (bundled_site / "entities" / "index.html").read_text()
    assert "1 article ·" in home and "1 articles" not in home
    assert re.search(r'daniel-bush/">Daniel Bush</a> <span class="item-meta">1 article<', entities)  # the article's author
    for page in bundled_site.rglob("*.html"):
        assert not re.search(r"\b1 (article|note|mention)s\b", page.read_text()), page


def test_an_entity_named_only_in_a_caption_counts_the_article_that_prints_it(bundled_site: Path):
    """Khan Yunis is named in the bundled article's photo caption and nowhere in its text."""
    article = (bundled_site / "articles" / "iran-facilitating-attacks-us-troops" / "index.html").read_text()
    assert "Khan Yunis" in re.search(r"<figcaption>.*?</figcaption>", article, re.S)[0]
    entities = (bundled_site / "entities" / "index.html").read_text()
    assert re.search(r'khan-yunis/">Khan Yunis</a> <span class="item-meta">1 article<', entities)
    entity = (bundled_site / "entities" / "khan-yunis" / "index.html").read_text()
    assert 'href="/repo/articles/iran-facilitating-attacks-us-troops/"' in entity and "No article mentions" not in entity
    assert 'href="/repo/entities/khan-yunis/"' in re.search(r'<section class="mentioned".*?</section>', article, re.S)[0]


def test_the_page_s_picture_is_never_an_image_whose_file_is_missing(tmp_path):
    """og:image, the JSON-LD contentUrl and the search result's image name a file content/ holds;
    a figure whose file is absent (listed first here) is skipped, its credit kept."""
    root = copy_archive(REPO / "tests" / "fixtures" / "sites" / "search", tmp_path / "archive")
    article = root / "content" / "articles" / "skerry-point-keepers.md"
    missing = "- caption: The keepers' cottage.\n  credit: Ines Vale/Harbour Gazette\n  src: images/cottage.png\n  after_paragraph: 2\n"
    article.write_text(article.read_text().replace("images:\n", "images:\n" + missing, 1))
    build(root, base_url="https://example.org/repo/", search=False)
    page = (root / "site" / "articles" / "skerry-point-keepers" / "index.html").read_text()
    assert "Image file missing: images/cottage.png" in page
    assert '<meta property="og:image" content="https://example.org/repo/images/skerry-light.png">' in page
    assert "cottage.png" not in re.search(r'<script type="application/ld\+json">.*?</script>', page, re.S)[0]
    assert "Ines Vale/Harbour Gazette" in re.search(r'<script type="application/ld\+json">.*?</script>', page, re.S)[0]
    assert re.search(r'data-pagefind-meta="image\[src\], image_alt\[alt\]" src="/repo/images/skerry-light.png"', page)
    alone = root / "content" / "articles" / "skerry-point-keepers.md"
    alone.write_text(re.sub(r"- caption: The Skerry Point tower.*?after_paragraph: 1\n", "", alone.read_text(), flags=re.S))
    build(root, base_url="https://example.org/repo/", search=False)
    page = (root / "site" / "articles" / "skerry-point-keepers" / "index.html").read_text()
    assert "skerry-light.png" not in page and "og:image" not in page


def test_lists_put_dated_articles_first_and_undated_ones_after_by_the_day_they_were_saved():
    def article(slug, published=None, archived=None):
        return Article(slug, SourceLoc(f"{slug}.md"), slug, "Outlet", "outlet", (), "", 1, published=published, archived=archived)

    articles = [
        article("old-undated-saved-today", archived=datetime.date(2026, 12, 1)),
        article("this-week", published=datetime.date(2026, 11, 30), archived=datetime.date(2026, 11, 30)),
        article("in-2010", published=datetime.date(2010, 5, 1), archived=datetime.date(2026, 12, 2)),
        article("undated-saved-earlier", archived=datetime.date(2026, 1, 1)),
        article("nothing-known"),
    ]
    assert [a.slug for a in newest_first(articles)] == ["this-week", "in-2010", "old-undated-saved-today", "undated-saved-earlier", "nothing-known"]


@pytest.mark.parametrize(("language", "rtl"), [("fa", True), ("ar-EG", True), ("he", True), ("ku-Arab", True), ("en", False), ("es-AR", False)])
def test_a_right_to_left_language_is_marked_dir_rtl(language, rtl):
    assert is_rtl(language) is rtl


def test_a_right_to_left_article_page_says_dir_rtl_and_others_do_not(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    [source] = (root / "content" / "articles").glob("*.md")
    source.write_text(source.read_text().replace("\nlanguage: en\n", "\nlanguage: fa\n", 1))
    build(root, base_url="https://example.org/repo/", search=False)
    article = next((root / "site" / "articles").glob("*/index.html")).read_text()
    assert '<html lang="fa" dir="rtl">' in article
    assert '<html lang="en">' in (root / "site" / "index.html").read_text()


def test_no_stylesheet_uses_a_colour_it_does_not_define():
    """Dark mode's cite rule once used an undefined --rule, which fell back to a light grey."""
    sheets = {sheet.name: sheet.read_text() for sheet in (REPO / "themes" / "default" / "static").glob("*.css")}
    defined = {name for css in sheets.values() for name in re.findall(r"(--[\w-]+)\s*:", css)}  # style.css is on every page
    for name, css in sheets.items():
        used = set(re.findall(r"var\((--[\w-]+)", css))
        assert used <= defined, f"{name} uses undefined {sorted(used - defined)}"


@pytest.mark.browser
def test_the_footer_is_at_the_bottom_of_a_short_page(browser, bundled_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            for path in ("404.html", "orphans/", "authors/daniel-bush/"):
                page.goto(base + path, wait_until="load")
                bottom = page.evaluate("document.querySelector('.site-footer').getBoundingClientRect().bottom")
                assert abs(bottom - 900) < 1 or page.evaluate("document.documentElement.scrollHeight") > 900, (path, bottom)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("device", "placeholder"), [({"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}, "Search"), ({"viewport": {"width": 1280, "height": 900}}, "Search (press /)")])
def test_the_search_hint_says_press_slash_only_with_a_keyboard_and_the_search_page_has_one_field(browser, bundled_site: Path, device, placeholder) -> None:
    context = browser.new_context(**device)
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            page.goto(base, wait_until="load")
            assert page.get_attribute("#site-search-q", "placeholder") == placeholder
            page.goto(base + "search/", wait_until="load")
            assert page.locator('input[type="search"]').count() == 1
            assert page.locator('[role="search"], search').count() == 1
    finally:
        context.close()


def test_the_home_page_is_a_reading_log_with_a_highlighted_passage(bundled_site: Path):
    home = (bundled_site / "index.html").read_text()
    main = home[home.index("<main") : home.index("</main>")]
    entry = re.search(r'<li class="item log-entry">(.*?)</li>', main, re.S)[1]
    assert "Newsweek" in entry and "saved <time" in entry and "· 5 highlights · 6 notes" in entry
    assert re.search(r'<blockquote class="log-passage"><p><mark>National Security Council spokesperson John Kirby told reporters Monday\. “We know Iran</mark>', entry)
    assert main.count("Attacks On US Middle East Troops") == 2  # the entry, and the first of the notes on it
    assert main.count("on the same article") == 5  # the six notes on it but the first (the seventh stands alone)


CHARACTERS_PER_LINE = """(selector) => {
  const p = document.querySelector(selector), style = getComputedStyle(p);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const sample = 'the quick brown fox jumps over the lazy dog, and then some more words. ';
  return p.clientWidth / (context.measureText(sample).width / sample.length);
}"""


@pytest.mark.browser
def test_text_runs_60_to_75_characters_a_line_and_no_page_scrolls_sideways_on_a_phone(browser, bundled_site: Path) -> None:
    pages = {ARTICLE: ".article-body > p", "notes/proxy-network/": ".note-body p", "entities/iran/": ".entity-body"}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page, small = context.new_page(), phone.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            for path, selector in pages.items():
                page.goto(base + path, wait_until="load")
                width = page.evaluate(CHARACTERS_PER_LINE, selector)
                assert 60 <= width <= 75, f"{path}: {width:.0f} characters a line"
            for path in ("", ARTICLE, "articles/", "notes/", "notes/proxy-network/", "entities/", "entities/iran/", "authors/", "authors/daniel-bush/",
                         "outlets/", "outlets/newsweek/", "tags/", "tags/iran/", "search/", "search/?q=Kirby", "orphans/", "404.html"):
                small.goto(base + path, wait_until="load")
                assert small.evaluate("document.documentElement.scrollWidth") <= 390, path
    finally:
        context.close()
        phone.close()


PREVIEW = ".link-preview:not([hidden])"
LAYOUT = "() => [...document.querySelectorAll('main p, main li')].filter(e => !e.closest('.link-preview')).map(e => e.getBoundingClientRect().top + window.scrollY)"


@pytest.mark.browser
def test_a_link_preview_shows_the_linked_page_on_hover_and_on_focus_and_escape_hides_it(browser, bundled_site: Path) -> None:
    """An entity link in the article and a wikilink in a margin note, at /repo/: the card holds the
    start of the target page (read from it), moves nothing on the page, and names the link's description."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            before = page.evaluate(LAYOUT)
            link = page.locator('.article-body > p a.entity-link[href="/repo/entities/john-kirby/"]').first
            link.hover()
            card = page.wait_for_selector(PREVIEW, timeout=5000)
            assert card.inner_text().split("\n")[:2] == ["PERSON", "John Kirby"] or "John Kirby" in card.inner_text()
            assert "retired US Navy rear admiral" in card.inner_text()  # the first paragraph of entities/john-kirby/
            assert link.get_attribute("aria-describedby") == card.get_attribute("id")
            assert page.evaluate(LAYOUT) == before, "the preview moved the page's text"
            page.keyboard.press("Escape")
            assert page.locator(PREVIEW).count() == 0 and link.get_attribute("aria-describedby") is None
            page.mouse.move(5, 5)

            wikilink = page.locator('.margin-note a.wikilink[href="/repo/notes/kirby-facilitating/"]')
            wikilink.focus()
            card = page.wait_for_selector(PREVIEW, timeout=5000)
            assert "We know Iran is closely monitoring" in card.inner_text()  # the note's quote
            page.keyboard.press("Escape")
            assert page.locator(PREVIEW).count() == 0
            assert page.evaluate("document.activeElement.getAttribute('href')") == "/repo/notes/kirby-facilitating/"  # focus stays

            page.goto(base + "notes/unaccounted-for/", wait_until="load")
            page.locator('a.wikilink[href="/repo/notes/who-is-who/#open-questions"]').focus()
            text = page.wait_for_selector(PREVIEW, timeout=5000).inner_text()
            assert "Open questions" in text and "What would" in text and "speaks for" not in text  # the linked section
            page.keyboard.press("Tab")
            assert page.locator(PREVIEW).count() == 0
    finally:
        context.close()


@pytest.mark.browser
def test_without_script_a_previewed_link_is_a_plain_link(browser, bundled_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            page.locator("a.entity-link").first.hover()
            page.wait_for_timeout(600)
            assert page.locator(".link-preview").count() == 0
            page.locator("a.entity-link").first.click()
            assert page.url.startswith(base + "entities/")
    finally:
        context.close()


def long_article_site(tmp_path: Path) -> Path:
    """The bundled archive with sections added to its article (three ## headings, one ###)."""
    root = copy_archive(REPO, tmp_path / "archive")
    [source] = (root / "content" / "articles").glob("*.md")
    text = source.read_text()
    paragraphs = text.split("\n\n")
    for index, heading in ((3, "## The claim"), (6, "## The attacks"), (8, "### At sea"), (10, "## What comes next")):
        paragraphs[index] = f"{heading}\n\n{paragraphs[index]}"
    source.write_text("\n\n".join(paragraphs))
    build(root, base_url="https://example.org/repo/", search=False)
    return root / "site"


def test_a_long_article_has_a_table_of_contents_and_a_short_one_none(tmp_path, bundled_site: Path):
    page = (long_article_site(tmp_path) / ARTICLE / "index.html").read_text()
    nav = re.search(r'<nav class="toc" aria-labelledby="toc-heading".*?</nav>', page, re.S)[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav) == [("the-claim", "The claim"), ("the-attacks", "The attacks"), ("at-sea", "At sea"), ("what-comes-next", "What comes next")]
    assert page.count('aria-labelledby="toc-heading"') == 1 and page.count('id="toc-heading"') == 1
    assert '<nav class="toc"' not in (bundled_site / ARTICLE / "index.html").read_text()  # no headings at all


@pytest.mark.browser
def test_table_of_contents_links_land_on_their_headings(browser, tmp_path: Path) -> None:
    site = long_article_site(tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve_directory(site, prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            labels = page.evaluate("[...document.querySelectorAll('nav[aria-label], nav[aria-labelledby]')].map(n => n.getAttribute('aria-label') || document.getElementById(n.getAttribute('aria-labelledby')).textContent)")
            assert len(labels) == len(set(labels)) and "Contents" in labels
            for name in ("The attacks", "At sea", "What comes next"):
                page.locator("nav.toc").get_by_role("link", name=name).click()
                target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
                heading = page.locator(f"#{target}")
                assert heading.inner_text() == name and heading.evaluate("e => /^H[23]$/.test(e.tagName)")
                top = heading.evaluate("e => e.getBoundingClientRect().top")
                assert 0 <= top < 40 or page.evaluate("window.scrollY + innerHeight >= document.documentElement.scrollHeight - 1"), (name, top)
    finally:
        context.close()


@pytest.mark.browser
def test_overlapping_highlights_are_explained_by_a_legend_in_their_colours(browser, bundled_site: Path) -> None:
    """The bundled article's notes 1 and 2 share "We know Iran": a darker mark the legend names."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve_directory(bundled_site, prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            overlap = page.evaluate("getComputedStyle(document.querySelector('.article-body mark.hl mark.hl')).backgroundColor")
            single = page.evaluate("getComputedStyle(document.querySelector('.article-body p > mark.hl')).backgroundColor")
            legend = page.locator(".hl-legend")
            assert legend.is_visible() and "two highlights share these words" in legend.inner_text()
            assert legend.locator(".hl-swatch-overlap").evaluate("e => getComputedStyle(e).backgroundColor") == overlap != single
            assert legend.locator(".hl-swatch").first.evaluate("e => getComputedStyle(e).backgroundColor") == single
            page.hover('.hl-ref[data-note="kirby-facilitating"]')
            paired = page.evaluate("getComputedStyle(document.querySelector('.article-body mark.hl.paired')).backgroundColor")
            assert legend.locator(".hl-swatch-active").evaluate("e => getComputedStyle(e).backgroundColor") == paired
    finally:
        context.close()


def test_the_legend_names_overlaps_only_where_highlights_overlap(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    page = (root / "site" / ARTICLE / "index.html")
    build(root, search=False)
    assert "two highlights share" in page.read_text() and re.search(r'<mark [^>]*class="hl"[^>]*><mark ', page.read_text())
    for overlapping in ("kirby-named-with-title", "hezbollah-and-hamas"):  # each shares words with another note's passage
        (root / "content" / "notes" / f"{overlapping}.md").unlink()
    for note in (root / "content" / "notes").glob("*.md"):
        note.write_text(re.sub(r"\[\[(kirby-named-with-title|hezbollah-and-hamas)(\|[^]]*)?\]\]", "another note", note.read_text()))
    build(root, search=False)
    assert '<p class="hl-legend"' in page.read_text() and "two highlights share" not in page.read_text()
    assert not re.search(r'<mark [^>]*class="hl"[^>]*><mark ', page.read_text())


def test_contents_nest_subsections_and_overlaps_are_counted_per_text():
    def heading(level, text):
        return Heading(level, text, text.lower())

    assert table_of_contents([heading(2, "A"), heading(2, "B")]) == []  # read in one go
    assert table_of_contents([heading(3, "Lead"), heading(2, "A"), heading(3, "A1"), heading(4, "deep"), heading(2, "B")]) == [
        (heading(3, "Lead"), []),
        (heading(2, "A"), [heading(3, "A1")]),
        (heading(2, "B"), []),
    ]
    text = [Anchor("a", "x", "exact", 10, 20), Anchor("b", "x", "exact", 20, 30)]
    assert not highlights_overlap(text)
    assert highlights_overlap([*text, Anchor("c", "x", "exact", 25, 26)])
    assert not highlights_overlap([*text, Anchor("c", "x", "exact", 12, 14, figure=0), Anchor("d", "x", "exact", 15, 18, figure=1)])
    assert highlights_overlap([Anchor("c", "x", "exact", 12, 14, figure=0), Anchor("d", "x", "exact", 13, 18, figure=0)])


@pytest.mark.browser
def test_a_standfirst_highlight_and_its_note_light_up_together_and_the_note_leads_the_margin(browser, tmp_path) -> None:
    root = copy_archive(REPO, tmp_path / "archive")
    article = root / "content" / "articles" / "iran-facilitating-attacks-us-troops.md"
    article.write_text(article.read_text(encoding="utf-8").replace("subtitle: null", "subtitle: Tehran stands behind the strikes, an aide says.", 1), encoding="utf-8")
    (root / "content" / "notes" / "standfirst.md").write_text(
        "---\narticle: iran-facilitating-attacks-us-troops\nquote: Tehran stands behind the strikes\n---\nThe standfirst says it first.\n", encoding="utf-8"
    )
    build(root, base_url="https://example.org/repo/", search=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve_directory(root / "site", prefix=PREFIX) as base:
            page.goto(base + ARTICLE, wait_until="load")
            tops = page.evaluate("[...document.querySelectorAll('.margin-note')].map(note => [note.dataset.note, note.getBoundingClientRect().top])")
            assert tops[0][0] == "standfirst" and all(tops[0][1] < top for _, top in tops[1:])
            page.hover('.subtitle mark[data-note="standfirst"]')
            assert "paired" in page.get_attribute("#margin-standfirst", "class")
            page.hover("h1")
            assert "paired" not in page.get_attribute("#margin-standfirst", "class")
    finally:
        context.close()
