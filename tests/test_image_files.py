"""Images whose file is in content/: their <img> carries the file's pixel size; a figure whose file
is absent says so in the page; an incremental build follows a replaced, removed or added file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import REPO, copy_archive
from tests.image_helpers import png

SEARCH = REPO / "tests" / "fixtures" / "sites" / "search"
IMAGE = "content/images/skerry-light.png"
PAGE = "site/articles/skerry-point-keepers/index.html"


@pytest.fixture
def archive(tmp_path) -> Path:
    return copy_archive(SEARCH, tmp_path / "archive")


def figure_of(root: Path) -> str:
    return re.search(r'<figure class="article-figure">.*?</figure>', (root / PAGE).read_text(), re.S).group(0)


def cold_page(root: Path, folder: Path) -> str:
    cold = copy_archive(root, folder)
    shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
    build(cold, search=False)
    return (cold / PAGE).read_text()


def test_an_image_in_content_gets_its_pixel_size_and_a_remote_one_none(archive):
    (archive / IMAGE).write_bytes(png(123, 45))
    article = archive / "content/articles/skerry-point-keepers.md"
    article.write_text(article.read_text().replace("  after_paragraph: 1\n", "  after_paragraph: 1\n- credit: Wire\n  src: https://example.org/far.png\n", 1))
    build(archive, search=False)
    page = (archive / PAGE).read_text()
    assert re.search(r'<img [^>]*src="/repo/images/skerry-light.png"[^>]* width="123" height="45"', page)
    remote = re.search(r'<img [^>]*src="https://example.org/far.png"[^>]*>', page).group(0)
    assert "width=" not in remote and "height=" not in remote


def test_an_incremental_build_follows_the_image_file(archive, tmp_path):
    """Replaced by one of another size, removed, put back: each time the page equals a cold build's."""
    build(archive, search=False)
    steps = {
        "replaced by another size": lambda: (archive / IMAGE).write_bytes(png(20, 90)),
        "removed": lambda: (archive / IMAGE).unlink(),
        "put back": lambda: (archive / IMAGE).write_bytes(png(64, 16)),
    }
    for number, (step, change) in enumerate(steps.items()):
        change()
        build(archive, search=False)
        assert (archive / PAGE).read_text() == cold_page(archive, tmp_path / f"cold-{number}"), step
    assert 'width="64" height="16"' in figure_of(archive)


def test_a_figure_whose_file_is_absent_says_so_in_the_page(archive):
    (archive / IMAGE).unlink()
    result = build(archive, search=False)
    assert any("image src 'images/skerry-light.png' is not a file in content/" in str(w) for w in result.warnings)
    figure = figure_of(archive)
    assert '<p class="figure-missing">Image file missing: images/skerry-light.png</p>' in figure
    assert "<img" not in figure
    assert "The Skerry Point tower seen from the harbour wall." in figure  # the caption stays
