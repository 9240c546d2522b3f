"""A page saved with its files ("Web page, complete"): the images it holds beside it are copied into
the archive with the article, so the published archive does not depend on the outlet's server."""

from __future__ import annotations

import datetime
import pathlib

import pytest

from bring_site import serving
from generator.build import build
from generator.cli import main
from generator.errors import SiteError
from generator.importers.command import run_import
from tests.image_helpers import png

TODAY = datetime.date(2026, 12, 8)


def saved_page(folder: pathlib.Path, *sources: str) -> pathlib.Path:
    """A page as a browser saves it whole: its figures point at copies in `Harbour_files/`."""
    figures = "".join(
        f"<figure><img src='{src}' alt='The quay'><figcaption>The quay at dawn. Photo: Ana Ruiz/Harbour Post</figcaption></figure>"
        for src in sources
    )
    page = folder / "Harbour.html"
    page.write_text(
        "<html><head><title>Harbour vote</title><link rel='canonical' href='https://news.example.org/2026/harbour-vote'></head>"
        "<body><article><h1>Harbour vote</h1><p class='byline'>By Ann Lee</p>"
        "<p>The council voted on Tuesday to keep the old fish market open for another ten years.</p>"
        f"{figures}<p>Work on the new quay starts in May, the harbour master said after the vote.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    return page


def archive(root: pathlib.Path) -> pathlib.Path:
    (root / "content" / "articles").mkdir(parents=True)
    (root / "sitegen.yaml").write_text("title: Test archive\nlanguage: en\n", encoding="utf-8")
    return root


def imported(root: pathlib.Path, page: pathlib.Path, **options) -> pathlib.Path:
    (written,) = run_import(
        [str(page)], out_dir=root / "content" / "articles", to_stdout=False, slug=None, tags=(),
        source_url=None, force=options.get("force", False), today=TODAY,
    )
    return written


def test_a_page_saved_with_its_files_brings_its_images_into_the_archive(tmp_path: pathlib.Path) -> None:
    root = archive(tmp_path / "archive")
    saved = tmp_path / "downloads"
    (saved / "Harbour_files").mkdir(parents=True)
    picture = png(40, 30)
    (saved / "Harbour_files" / "quay%20dawn.png").write_bytes(b"not this one")
    (saved / "Harbour_files" / "quay dawn.png").write_bytes(picture)
    written = imported(root, saved_page(saved, "Harbour_files/quay%20dawn.png"))
    copy = root / "content" / "images" / f"{written.stem}-1.png"
    assert copy.read_bytes() == picture
    assert f"src: images/{copy.name}\n" in written.read_text(encoding="utf-8")
    assert "news.example.org/2026/Harbour_files" not in written.read_text(encoding="utf-8")  # never a URL the outlet does not have
    result = build(root, search=False)
    assert not any("is not a file in content/" in str(warning) for warning in result.warnings)
    page = (root / "site" / "articles" / written.stem / "index.html").read_text(encoding="utf-8")
    assert f'src="/images/{copy.name}"' in page and 'width="40" height="30"' in page
    assert (root / "site" / "images" / copy.name).read_bytes() == picture


@pytest.mark.parametrize("written_src", ["../secret.png", "Harbour_files/../../secret.png", "/etc/passwd", "Harbour_files/notes.txt", "Harbour_files/fake.png", "Harbour_files/missing.png"])
def test_only_an_image_inside_the_saved_page_s_folder_is_copied(tmp_path: pathlib.Path, written_src: str) -> None:
    root = archive(tmp_path / "archive")
    saved = tmp_path / "downloads" / "pages"
    (saved / "Harbour_files").mkdir(parents=True)
    (tmp_path / "downloads" / "secret.png").write_bytes(png(2, 2))
    (saved / "Harbour_files" / "notes.txt").write_text("private", encoding="utf-8")
    (saved / "Harbour_files" / "fake.png").write_bytes(b"<script>alert(1)</script>")
    written = imported(root, saved_page(saved, written_src))
    assert not (root / "content" / "images").exists()
    assert "src: images/" not in written.read_text(encoding="utf-8")


def test_a_different_file_of_the_same_name_is_never_overwritten(tmp_path: pathlib.Path) -> None:
    root = archive(tmp_path / "archive")
    saved = tmp_path / "downloads"
    (saved / "Harbour_files").mkdir(parents=True)
    (saved / "Harbour_files" / "quay.png").write_bytes(png(4, 4))
    page = saved_page(saved, "Harbour_files/quay.png")
    written = imported(root, page)
    copy = root / "content" / "images" / f"{written.stem}-1.png"
    copy.write_bytes(png(8, 8))  # the reader's own picture under that name since
    written.unlink()
    with pytest.raises(SiteError) as refused:
        imported(root, page)
    assert "already exists; pass --force" in str(refused.value)
    assert copy.read_bytes() == png(8, 8) and not written.exists()
    imported(root, page, force=True)
    assert copy.read_bytes() == png(4, 4)


@pytest.fixture(scope="module")
def pictures():
    with serving() as site:
        yield f"{site}/pictures"


def test_fetch_images_downloads_the_pictures_a_page_names_by_address(tmp_path: pathlib.Path, pictures: str, capsys) -> None:
    root = archive(tmp_path / "archive")
    page = saved_page(tmp_path, f"{pictures}/quay.png", f"{pictures}/fake.png", f"{pictures}/gone.png")
    (written,) = run_import(
        [str(page)], out_dir=root / "content" / "articles", to_stdout=False, slug=None, tags=(),
        source_url=None, force=False, today=TODAY, fetch_images=True,
    )
    text = written.read_text(encoding="utf-8")
    copy = root / "content" / "images" / f"{written.stem}-1.png"
    assert copy.read_bytes() == png(12, 9) and f"src: images/{copy.name}\n" in text
    assert f"src: {pictures}/fake.png\n" in text and f"src: {pictures}/gone.png\n" in text  # kept as they were
    assert sorted(path.name for path in copy.parent.iterdir()) == [copy.name]
    err = capsys.readouterr().err
    assert f"image 2 ({pictures}/fake.png): not a PNG, JPEG, GIF or WebP image" in err
    assert f"image 3 ({pictures}/gone.png): HTTP 404" in err


def test_without_fetch_images_nothing_is_downloaded(tmp_path: pathlib.Path, pictures: str) -> None:
    root = archive(tmp_path / "archive")
    written = imported(root, saved_page(tmp_path, f"{pictures}/quay.png"))
    assert f"src: {pictures}/quay.png\n" in written.read_text(encoding="utf-8")
    assert not (root / "content" / "images").exists()


def test_fetch_images_downloads_the_pictures_of_imported_links(tmp_path: pathlib.Path, capsys) -> None:
    root = archive(tmp_path / "archive")
    with serving() as site:
        assert main(["-C", str(root), "import", "--fetch-images", f"{site}/pictured/3", f"{site}/pictured/4"]) == 0
    err = capsys.readouterr().err
    written = sorted((root / "content" / "articles").glob("*.md"))
    assert len(written) == 2
    (picture,) = (root / "content" / "images").iterdir()  # one file: both articles show the same picture
    assert picture.read_bytes() == png(12, 9) and picture.suffix == ".png"
    for article in written:
        text = article.read_text(encoding="utf-8")
        assert f"src: images/{picture.name}\n" in text and f"src: {site}/pictures/gone.png\n" in text
    assert err.count("not fetched, the article keeps its address: image 2") == 2
