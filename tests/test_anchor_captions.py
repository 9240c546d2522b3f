"""A highlight taken from a figure's caption or the article's standfirst anchors there and is marked there on the article's page."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_archive
from generator.anchor import OtherTexts, anchor_note
from generator.build import build
from generator.errors import ProblemLog, SourceLoc
from generator.records import Note

ARTICLE = "iran-facilitating-attacks-us-troops"
CAPTION_QUOTE = "medicines to Nasser Medical Hospital"


def _note(quote: str, prefix: str | None = None) -> Note:
    return Note("n", SourceLoc("content/notes/n.md"), "", 5, article="a", article_line=2, quote=quote, quote_line=3, prefix=prefix)


def test_a_quote_from_a_caption_anchors_in_that_caption():
    captions = ("", "A crowd on the bridge at dawn.", "The mayor, right, with the council.")
    log = ProblemLog()
    anchor = anchor_note(_note("the mayor, right"), "The river rose. The council met.", 90, log, others=OtherTexts(captions=captions))
    assert (anchor.tier, anchor.figure, captions[2][anchor.start : anchor.end]) == ("normalized", 2, "The mayor, right")
    assert not log.warnings and not log.errors


def test_the_body_comes_before_a_caption_and_a_quote_in_both_is_the_body_s():
    anchor = anchor_note(_note("the bridge"), "They crossed the bridge.", 90, ProblemLog(), others=OtherTexts(captions=("A crowd on the bridge.",)))
    assert (anchor.tier, anchor.figure, anchor.start) == ("exact", None, 13)


def test_a_quote_in_two_captions_is_ambiguous():
    log = ProblemLog()
    assert anchor_note(_note("the old bridge at dawn"), "Nothing here.", 90, log, others=OtherTexts(captions=("The old bridge at dawn.", "The old bridge at dawn."))) is None
    assert [str(p) for p in log.errors] == ["content/notes/n.md:3: quote matches 2 places in article 'a'; add a 'prefix' or 'suffix' to pick one"]


@pytest.fixture(scope="module")
def caption_site(tmp_path_factory) -> Path:
    root = copy_archive(REPO, tmp_path_factory.mktemp("captions"))
    (root / "content" / "notes" / "aid-caption.md").write_text(
        f'---\ntitle: The hospital\narticle: {ARTICLE}\nquote: "{CAPTION_QUOTE}"\n---\nThe caption names it.\n', encoding="utf-8"
    )
    result = build(root, search=False)
    assert not result.warnings
    return root


def test_a_caption_highlight_is_marked_in_the_figure_caption(caption_site):
    html = (caption_site / "site" / "articles" / ARTICLE / "index.html").read_text(encoding="utf-8")
    caption = re.search(r'<span class="caption">(.*?)</span>', html, re.S).group(1)
    assert f'<mark id="note-aid-caption" class="hl" data-note="aid-caption">{CAPTION_QUOTE}</mark>' in caption
    assert html.count('id="note-aid-caption"') == 1


def test_a_caption_highlight_shows_its_caption_on_the_note_page_and_in_the_report(caption_site):
    note_page = (caption_site / "site" / "notes" / "aid-caption" / "index.html").read_text(encoding="utf-8")
    assert "Nasser Medical Hospital" in note_page and "#note-aid-caption" in note_page
    report = subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(caption_site), "anchors"], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout
    assert re.search(r"^exact\s+content/notes/aid-caption\.md:4\s+" + ARTICLE, report, re.M), report


def test_a_caption_highlight_exports_its_quote_without_a_body_position(caption_site, tmp_path):
    out = tmp_path / "annotations.json"
    subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(caption_site), "export", "--format", "w3c", "-o", str(out)], cwd=REPO, check=True
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    items = data["first"]["items"] if "first" in data else data.get("items", data)
    [annotation] = [item for item in items if item["id"].rstrip("/").endswith("aid-caption")]
    assert annotation["target"]["selector"]["exact"] == CAPTION_QUOTE


def test_an_anchor_is_reused_when_the_captions_are_equal_and_made_again_when_they_change():
    from generator.anchor import anchored
    from generator.memo import Memo

    memo, note, text = Memo(), _note("the mayor, right"), "The river rose."
    first, _ = anchored(note, text, 90, memo, others=OtherTexts(captions=("The mayor, right, with the council.",)))
    memo.settle()
    equal_captions = ("".join(["The mayor, right, ", "with the council."]),)  # equal, not the same objects
    again, _ = anchored(note, text, 90, memo, others=OtherTexts(captions=equal_captions))
    assert again is first
    memo.settle()
    moved, _ = anchored(note, text, 90, memo, others=OtherTexts(captions=("A crowd.", "The mayor, right, with the council.")))
    assert moved.figure == 1


def test_sitegen_note_takes_a_quote_from_a_caption_as_the_build_anchors_it(tmp_path):
    from generator.quicknote import write_note

    root = copy_archive(REPO, tmp_path / "archive")
    written = write_note(root, ARTICLE, CAPTION_QUOTE, today=datetime.date(2026, 1, 2))
    assert written.tier == "exact"
    assert CAPTION_QUOTE in (root / written.path).read_text(encoding="utf-8")


STANDFIRST = "The White House says Tehran stands behind the strikes on American bases."
STANDFIRST_QUOTE = "Tehran stands behind the strikes"


def test_a_quote_from_the_standfirst_anchors_in_the_standfirst():
    log = ProblemLog()
    others = OtherTexts(standfirst=STANDFIRST, captions=("A crowd on the bridge.",))
    anchor = anchor_note(_note(STANDFIRST_QUOTE), "The river rose. The council met.", 90, log, others=others)
    assert not log.errors and not log.warnings
    assert (anchor.tier, anchor.standfirst, anchor.figure) == ("exact", True, None)
    assert STANDFIRST[anchor.start : anchor.end] == STANDFIRST_QUOTE


def with_standfirst(root: Path) -> Path:
    article = root / "content" / "articles" / f"{ARTICLE}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("subtitle: null", f"subtitle: {STANDFIRST}", 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def standfirst_site(tmp_path_factory) -> Path:
    root = with_standfirst(copy_archive(REPO, tmp_path_factory.mktemp("standfirst")))
    (root / "content" / "notes" / "on-the-standfirst.md").write_text(
        f'---\narticle: {ARTICLE}\nquote: "{STANDFIRST_QUOTE}"\n---\nThe standfirst says it first.\n', encoding="utf-8"
    )
    result = build(root, search=False)
    assert not result.warnings
    return root


def test_a_standfirst_highlight_is_marked_in_the_standfirst_with_its_note_first_in_the_margin(standfirst_site):
    html = (standfirst_site / "site" / "articles" / ARTICLE / "index.html").read_text(encoding="utf-8")
    standfirst = re.search(r'<p class="subtitle">(.*?)</p>', html, re.S).group(1)
    assert f'<mark id="note-on-the-standfirst" class="hl" data-note="on-the-standfirst">{STANDFIRST_QUOTE}</mark>' in standfirst
    assert html.count('id="note-on-the-standfirst"') == 1
    margin_notes = re.findall(r'<aside class="margin-note" id="margin-([a-z0-9-]+)"', html)
    assert margin_notes[0] == "on-the-standfirst"
    assert re.search(r'id="margin-on-the-standfirst"[^>]*aria-label="Note 1"', html)


def test_a_standfirst_highlight_shows_its_sentence_on_the_note_page_and_exports_without_a_body_position(standfirst_site, tmp_path):
    note_page = (standfirst_site / "site" / "notes" / "on-the-standfirst" / "index.html").read_text(encoding="utf-8")
    assert "American bases" in note_page and "#note-on-the-standfirst" in note_page
    out = tmp_path / "annotations.json"
    subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(standfirst_site), "export", "--format", "w3c", "-o", str(out)], cwd=REPO, check=True
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    items = data["first"]["items"] if "first" in data else data.get("items", data)
    [annotation] = [item for item in items if item["id"].rstrip("/").endswith("on-the-standfirst")]
    assert annotation["target"]["selector"]["exact"] == STANDFIRST_QUOTE


def test_sitegen_note_takes_a_quote_from_the_standfirst_as_the_build_anchors_it(tmp_path):
    from generator.quicknote import write_note

    root = with_standfirst(copy_archive(REPO, tmp_path / "archive"))
    written = write_note(root, ARTICLE, STANDFIRST_QUOTE, today=datetime.date(2026, 1, 2))
    assert written.tier == "exact"
    assert STANDFIRST_QUOTE in (root / written.path).read_text(encoding="utf-8")
    assert not build(root, search=False, write=False).warnings
