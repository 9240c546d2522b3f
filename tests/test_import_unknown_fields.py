"""An import that leaves unknown what the source did not say builds on the first try: the gaps are
warnings at their lines, and an image nobody is credited for stays off the site until the reader credits it."""

from __future__ import annotations

import datetime
import json
import pathlib
import re

from generator.build import build
from generator.cli import main
from generator.importers.command import run_import

TODAY = datetime.date(2026, 11, 24)
PAGE = (
    "<html><head><title>Harbour vote</title></head><body><article><h1>Harbour vote</h1>"
    "<p>The council voted on Tuesday to keep the old fish market open for another ten years.</p>"
    "<figure><img src='https://img.example.net/harbour-market.jpg' alt='The market'>"
    "<figcaption>The market at dawn.</figcaption></figure>"
    "<p>Work on the new quay starts in May, the harbour master said after the vote.</p>"
    "</article></body></html>"
)


def _imported_archive(root: pathlib.Path) -> pathlib.Path:
    (root / "sitegen.yaml").write_text("title: Test archive\nbase_url: /\nlanguage: en\n", encoding="utf-8")
    page = root / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (written,) = run_import([str(page)], out_dir=root / "content" / "articles", to_stdout=False, slug=None, tags=(),
                            source_url=None, force=False, today=TODAY)
    page.unlink()
    return written


def test_article_without_byline_outlet_or_credit_builds_with_warnings(tmp_path: pathlib.Path, capsys) -> None:
    written = _imported_archive(tmp_path)
    text = written.read_text(encoding="utf-8")
    assert "authors: []\n" in text and "outlet: null\n" in text and "credit: null\n" in text
    lines = text.splitlines()
    assert main(["-C", str(tmp_path), "check"]) == 0
    err = capsys.readouterr().err
    relative = f"content/articles/{written.name}"
    assert f"warning: {relative}:{lines.index('authors: []') + 1}: authors unknown" in err
    assert f"warning: {relative}:{lines.index('outlet: null') + 1}: outlet unknown" in err
    image_line = next(i for i, line in enumerate(lines) if line.startswith("- title:") or line.startswith("images:")) + 1
    assert re.search(rf"warning: {re.escape(relative)}:{image_line + 1}: image 'https://img.example.net/harbour-market.jpg' has no credit, so it is not published", err)


def test_uncredited_image_is_not_in_the_built_site(tmp_path: pathlib.Path) -> None:
    written = _imported_archive(tmp_path)
    (tmp_path / "content" / "images").mkdir()
    (tmp_path / "content" / "images" / "quay.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    text = written.read_text(encoding="utf-8")
    written.write_text(text.replace("images:\n", "images:\n- src: images/quay.jpg\n  caption: The quay\n"), encoding="utf-8")
    result = build(tmp_path, search=False)
    site = tmp_path / "site"
    published = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in site.rglob("*") if path.is_file())
    assert "harbour-market.jpg" not in published and "quay.jpg" not in published
    assert not (site / "images" / "quay.jpg").exists()
    page = (site / "articles" / written.stem / "index.html").read_text(encoding="utf-8")
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert "image" not in jsonld and "publisher" not in jsonld and "author" not in jsonld
    assert 'class="byline"' not in page and 'class="kicker"' not in page and "Anonymous" not in page
    assert sum("has no credit" in str(warning) for warning in result.warnings) == 2


def test_credited_image_is_published(tmp_path: pathlib.Path) -> None:
    """The same article once the reader has filled in the credit: the image is back, file and all."""
    written = _imported_archive(tmp_path)
    (tmp_path / "content" / "images").mkdir()
    (tmp_path / "content" / "images" / "quay.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    text = written.read_text(encoding="utf-8").replace("credit: null", "credit: Ana Ruiz/Harbour Post")
    written.write_text(text.replace("images:\n", "images:\n- src: images/quay.jpg\n  credit: Bo Park\n"), encoding="utf-8")
    result = build(tmp_path, search=False)
    page = (tmp_path / "site" / "articles" / written.stem / "index.html").read_text(encoding="utf-8")
    assert "harbour-market.jpg" in page and "Ana Ruiz/Harbour Post" in page and "Bo Park" in page
    assert (tmp_path / "site" / "images" / "quay.jpg").exists()
    assert not any("credit" in str(warning) for warning in result.warnings)


def test_copy_whose_headline_cannot_be_told_builds_with_the_title_unknown(tmp_path: pathlib.Path, capsys) -> None:
    """A whole page copied from its menu down, with nothing that tells the headline (no byline, no date, no
    headline-shaped line over the body): the title is written as unknown, not taken from the menu, and the
    archive builds with a warning at its line."""
    (tmp_path / "sitegen.yaml").write_text("title: Test archive\nbase_url: /\nlanguage: en\n", encoding="utf-8")
    menu = "\n".join(["Harbour Post", "News", "Sport", "Weather", "Opinion", "Culture", "Log in", "Search", "Menu", "Home"])
    body = " ".join(["The council voted on Tuesday to keep the old fish market open for another ten years."] * 2)
    copy = tmp_path / "copy.txt"
    copy.write_text(f"{menu}\n{body}\n{body}\n", encoding="utf-8")
    (written,) = run_import([str(copy)], out_dir=tmp_path / "content" / "articles", to_stdout=False, slug=None, tags=(),
                            source_url=None, force=False, today=TODAY)
    copy.unlink()
    lines = written.read_text(encoding="utf-8").splitlines()
    assert "title: null" in lines and written.name.startswith("untitled-")
    assert main(["-C", str(tmp_path), "check"]) == 0
    assert f"content/articles/{written.name}:{lines.index('title: null') + 1}: title unknown" in capsys.readouterr().err
    build(tmp_path, search=False)
    page = (tmp_path / "site" / "articles" / written.stem / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Untitled" in page and "Harbour Post</h1>" not in page


def test_an_empty_or_missing_title_is_still_an_error(tmp_path: pathlib.Path, capsys) -> None:
    """Only `title: null` says unknown; an empty title or none at all is a mistake in a hand-written file."""
    (tmp_path / "sitegen.yaml").write_text("title: Test archive\nbase_url: /\nlanguage: en\n", encoding="utf-8")
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "empty.md").write_text("---\ntitle: ''\nanonymous: true\noutlet: X\n---\n\nText.\n", encoding="utf-8")
    (articles / "none.md").write_text("---\nanonymous: true\noutlet: X\n---\n\nText.\n", encoding="utf-8")
    assert main(["-C", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err
    assert "content/articles/empty.md:2: article is missing required field 'title'" in err
    assert "content/articles/none.md" in err and "missing required field 'title'" in err
