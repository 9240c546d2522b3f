"""The article page as read in Chromium: margin notes beside their highlights without
moving the text, numbered markers paired with their notes, no sideways scrolling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.graph import note_title, quotation
from generator.errors import SourceLoc
from generator.records import Note
from tests.conftest import serve_directory

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
