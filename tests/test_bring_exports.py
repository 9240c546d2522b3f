"""`sitegen import --from FORMAT`: each service's export (fixtures in tests/fixtures/bring/, written in the
shapes the services document) imports with its tags, dates and highlights, and the archive then builds
with no orphaned highlight; an export of the wrong shape is one line naming the file, and nothing is written."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest

from bring_helpers import archive, files, fill_in_and_build, run, snapshot
from bring_site import sentence, serving
from generator.bring.notes import plan_notes
from generator.bring.records import Highlight
from generator.build import analyse
from generator.config import Config, load_config

FIXTURES = Path(__file__).parent / "fixtures" / "bring"
REPEATED = "The town council met again on the matter."


@pytest.fixture(scope="module")
def site():
    with serving() as base:
        yield base


def _export(tmp_path: Path, name: str, base: str = "") -> Path:
    """A fixture with `{base}` replaced by the local site's address."""
    target = tmp_path / name
    target.write_text((FIXTURES / name).read_text(encoding="utf-8").replace("{base}", base), encoding="utf-8")
    return target


def _omnivore_zip(tmp_path: Path) -> Path:
    target = tmp_path / "omnivore-export.zip"
    with zipfile.ZipFile(target, "w") as archive_:
        for path in sorted((FIXTURES / "omnivore").rglob("*")):
            if path.is_file():
                archive_.write(path, path.relative_to(FIXTURES / "omnivore").as_posix())
    return target


def _notes(root: Path) -> list[str]:
    return list(files(root, "notes").values())


def test_pocket_csv(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    starter_notes = len(_notes(root))
    code, out, err = run(root, "--from", "pocket", str(_export(tmp_path, "pocket.csv", site)), capsys=capsys)
    assert code == 1 and err.splitlines()[0] == f"{site}/nothing: HTTP 404 Not Found"
    articles = files(root, "articles")
    first = articles["report-number-1-on-the-harbour-works.md"]
    assert "archived: '2023-11-14'\n" in first and "tags:\n- harbour\n- council\n" in first
    assert f"source_url: {site}/articles/2\n" in articles["report-number-2-on-the-harbour-works.md"]
    assert "archived: '2020-09-13'\n" in articles["report-number-2-on-the-harbour-works.md"]
    assert len(_notes(root)) == starter_notes
    assert fill_in_and_build(root) == []


def test_pocket_html(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    code, _, err = run(root, "--from", "pocket", str(_export(tmp_path, "pocket.html", site)), capsys=capsys)
    assert code == 0, err
    articles = files(root, "articles")
    assert "tags:\n- harbour\n- council\n" in articles["report-number-3-on-the-harbour-works.md"]
    assert "archived: '2020-09-13'\n" in articles["report-number-4-on-the-harbour-works.md"]


def test_instapaper_selection_becomes_a_note_and_an_ambiguous_one_is_reported(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    before = set(files(root, "notes"))
    code, out, err = run(root, "--from", "instapaper", str(_export(tmp_path, "instapaper.csv", site)), capsys=capsys)
    assert code == 0
    assert err.splitlines() == [f'{site}/articles/7: highlight "{REPEATED}" matches 6 places and the export gives nothing to choose one; not written']
    new = {name: text for name, text in files(root, "notes").items() if name not in before}
    assert list(new.values()) == [f"---\narticle: report-number-5-on-the-harbour-works\nquote: {sentence(5, 1)}\ntags: []\ncreated: 2023-11-14\n---\n\n"]
    assert "tags:\n- Harbour works\n" in files(root, "articles")["report-number-6-on-the-harbour-works.md"]
    assert "highlights left out       1" in out
    assert fill_in_and_build(root) == []


def test_omnivore_zip_needs_no_fetch(tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    before = set(files(root, "notes"))
    code, out, err = run(root, "--from", "omnivore", str(_omnivore_zip(tmp_path)), capsys=capsys)
    assert code == 0
    articles = files(root, "articles")
    stored = articles["stored-report-21.md"]
    assert "authors:\n- name: Dana Whitfield\n" in stored and "published: '2023-04-30T00:00:00+00:00'\n" in stored
    assert "archived: '2023-05-01'\n" in stored and "tags:\n- harbour\n- saved later\n" in stored
    assert "source_url: https://news.example.org/stories/21?utm_source=omnivore\n" in stored
    new = [text for name, text in files(root, "notes").items() if name not in before]
    assert len(new) == 2
    assert any("tags:\n- harbour\n- works\n" in text and text.endswith("The first thing to check.\n") for text in new)
    assert any(f"quote: Reporter note 21-2 closes it. {sentence(21, 3)}\n" in text for text in new)  # a quote over two paragraphs
    assert err.count("not written") == 1 and REPEATED in err
    assert fill_in_and_build(root) == []


def test_wallabag_ranges_pick_the_right_passage(tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    before = set(files(root, "notes"))
    code, out, err = run(root, "--from", "wallabag", str(_export(tmp_path, "wallabag.json")), capsys=capsys)
    assert code == 0, err
    article = files(root, "articles")["wallabag-report-31.md"]
    assert "archived: '2022-02-02'\n" in article and "tags:\n- harbour\n- council\n" in article
    new = {name: text for name, text in files(root, "notes").items() if name not in before}
    slug, repeated = next((name[:-3], text) for name, text in new.items() if f"quote: {REPEATED}\n" in text)
    assert "\nprefix: marble lantern stayed put.\nsuffix: Reporter note 31-3 closes it.\n" in repeated  # from its range, /p[4]
    assert any(text.endswith("Worth a \\[[link]] later.\n") for text in new.values())
    assert fill_in_and_build(root) == []
    analysis = analyse(root, load_config(root))
    text = analysis.bodies[("article", "wallabag-report-31")].text
    places = [index for index in range(len(text)) if text.startswith(REPEATED, index)]
    assert len(places) == 5 and analysis.anchors[slug].start == places[3]


def test_readwise_reader_documents_and_highlights(site: str, tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    before = set(files(root, "notes"))
    documents, highlights = _export(tmp_path, "readwise-documents.csv", site), _export(tmp_path, "readwise-highlights.csv", site)
    code, out, err = run(root, "--from", "readwise-reader", str(documents), str(highlights), capsys=capsys)
    assert code == 1
    assert "failed                    1  no URL (1)" in out
    eight = files(root, "articles")["report-number-8-on-the-harbour-works.md"]
    assert "archived: '2024-04-01'\n" in eight and "tags:\n- harbour\n- council\n" in eight
    new = [text for name, text in files(root, "notes").items() if name not in before]
    assert sorted(text.split("\n")[2] for text in new) == sorted([f"quote: {sentence(8, 3)}", f"quote: {sentence(9, 0)}"])
    assert any("tags:\n- ledger\n- works\ncreated: 2024-04-03\n---\n\nCheck the ledger.\n" in text for text in new)
    assert fill_in_and_build(root) == []


@pytest.mark.parametrize(
    ("format_", "name", "content", "message"),
    [
        ("pocket", "pocket.csv", "name,link\nx,https://example.org/\n", ":1: not a Pocket export (CSV): no column 'url', 'time_added' (the header is 'name,link')"),
        ("instapaper", "insta.csv", "title,url,time_added,tags,status\n", ":1: not an Instapaper CSV export: no column 'URL', 'Selection', 'Folder', 'Timestamp' (the header is 'title,url,time_added,tags,status')"),
        ("wallabag", "wallabag.json", '{"entries": []}', ": not a wallabag JSON export: expected a list of entries, found an object"),
        ("wallabag", "wallabag.json", '[{"title": "x"}]', ": not a wallabag JSON export: entry 1 is an object without a 'url'"),
        ("wallabag", "wallabag.json", '[{"url": "https://x.org/"', ":1: not a wallabag JSON export: invalid JSON: Expecting ',' delimiter"),
        ("pocket", "pocket.html", "<html><body><p>Nothing saved</p></body></html>", ": not a Pocket export: no <a href=… time_added=…> links in lists"),
        ("readwise-reader", "rw.csv", "Title,Link\nx,y\n", ":1: not a Readwise Reader CSV export (documents or highlights): no column 'URL', 'Saved date' (the header is 'Title,Link')"),
    ],
)
def test_export_of_the_wrong_shape_is_one_line_and_nothing_is_written(tmp_path: Path, capsys, format_, name, content, message) -> None:
    root = archive(tmp_path)
    export = tmp_path / name
    export.write_text(content, encoding="utf-8")
    before = snapshot(root)
    code, out, err = run(root, "--from", format_, str(export), capsys=capsys)
    assert code == 1
    assert err.splitlines() == [f"{export}{message}", "sitegen: 1 error; nothing was written"]
    assert snapshot(root) == before


def test_truncated_omnivore_zip_is_refused(tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    whole = _omnivore_zip(tmp_path).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    before = snapshot(root)
    code, _, err = run(root, "--from", "omnivore", str(cut), capsys=capsys)
    assert code == 1
    assert err.splitlines()[0].startswith(f"{cut}: not an Omnivore export: not a readable zip file (truncated or damaged?)")
    assert snapshot(root) == before


def test_zip_without_omnivore_metadata_is_refused(tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive_:
        archive_.writestr("notes.txt", "hello")
    code, _, err = run(root, "--from", "omnivore", str(other), capsys=capsys)
    assert code == 1 and err.splitlines()[0] == f"{other}: not an Omnivore export: no metadata_*.json file in the zip"


def test_a_second_import_of_an_export_writes_nothing_new(tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    export = _omnivore_zip(tmp_path)
    run(root, "--from", "omnivore", str(export), capsys=capsys)
    before = snapshot(root / "content")
    code, out, _ = run(root, "--from", "omnivore", str(export), capsys=capsys)
    assert code == 0 and "skipped                   2  already in the archive (2)" in out
    assert snapshot(root / "content") == before


def test_stored_article_without_a_web_address_has_no_source_url(tmp_path: Path, capsys) -> None:
    root = archive(tmp_path)
    export = tmp_path / "wallabag.json"
    export.write_text('[{"url": "wallabag://entry/5", "title": "Kept offline", "content": "<p>Words kept on the device only.</p>"}]', encoding="utf-8")
    code, _, err = run(root, "--from", "wallabag", str(export), capsys=capsys)
    assert code == 0, err
    assert "\nsource_url: null\n" in files(root, "articles")["kept-offline.md"]


def test_instapaper_tags_column_of_newer_exports(tmp_path: Path) -> None:
    from generator.bring.services import instapaper

    export = tmp_path / "instapaper.csv"
    export.write_text('URL,Title,Selection,Folder,Timestamp,Tags\nhttps://x.org/a,A,,Unread,1700000000,"[""harbour"", ""works""]"\n', encoding="utf-8")
    (entry,) = instapaper.read(export)
    assert entry.tags == ("harbour", "works") and entry.highlights == ()


def test_omnivore_highlights_file_shapes() -> None:
    from generator.bring.services.omnivore import highlights

    text = "A thought on the whole piece.\n\n> First passage [⤴️](https://omnivore.app/me/x#1) \n\n#one #two\n\nMy note.\n\nSecond paragraph of it.\n\n> Second passage\n"
    found = highlights(text, None)
    assert [(h.quote, h.note, h.tags) for h in found] == [
        (None, "A thought on the whole piece.", ()),
        ("First passage", "My note.\n\nSecond paragraph of it.", ("one", "two")),
        ("Second passage", "", ()),
    ]


def test_a_readers_note_loses_the_characters_no_page_may_carry() -> None:
    """A noncharacter or a lone surrogate in an exported note would make a note file the build refuses
    (or that cannot even be written as UTF-8); control characters went before, these go too."""
    note = Highlight(quote=None, note="Keep\x07 this\uffff and\ud800 that\x1b.")
    [planned], left_out = plan_notes((note,), "Some words here.", Config(), datetime.date(2026, 1, 1))
    assert left_out == [] and planned.body == "Keep this and that.\n"
