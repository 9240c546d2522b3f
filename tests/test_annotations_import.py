"""`sitegen import-annotations`: which article a highlight lands on, which notes are written, and bad exports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.anchor import EXACT, NORMALIZED, fold
from generator.annotation_formats import clean_text, json_export, readwise_highlights
from generator.annotations_import import Highlight, write_highlight_notes
from generator.build import analyse
from generator.config import load_config
from generator.errors import SiteError, SourceLoc
from generator.export import export_archive
from tests.conftest import REPO, copy_archive, run_cli

ANNOTATIONS = REPO / "tests" / "fixtures" / "annotations"
HIGHLIGHTS = REPO / "tests" / "fixtures" / "sites" / "highlights"

# "The gates stayed shut." is in story-a twice; story-b shares a URL with story-a but for its query.
STORY_A = """\
---
title: Flood on the river
outlet: The Valley Post
anonymous: true
source_url: https://news.example/story.php?id=101
---
The gates stayed shut. The river rose on Tuesday and the mayor spoke at noon.

Later the water fell. The gates stayed shut. Nobody was hurt.
"""
STORY_B = """\
---
title: Market day
outlet: The Valley Post
anonymous: true
source_url: https://news.example/story.php?id=202
---
The gates stayed shut. Stalls opened at dawn on the square.
"""


@pytest.fixture
def stories(tmp_path) -> Path:
    root = tmp_path / "stories"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "sitegen.yaml").write_text("title: Stories\n")
    (root / "content" / "articles" / "story-a.md").write_text(STORY_A)
    (root / "content" / "articles" / "story-b.md").write_text(STORY_B)
    return root


@pytest.fixture
def harbour(tmp_path) -> Path:
    return copy_archive(HIGHLIGHTS, tmp_path / "harbour")


def import_file(capsys, root: Path, export: Path) -> tuple[int, str, str]:
    return run_cli(capsys, "-C", str(root), "import-annotations", str(export))


def hypothesis_row(number: int, url: str, quote: str | None, **extra) -> dict:
    row = {"id": f"hypo-{number}", "uri": url, "text": f"note {number}", "tags": [], "created": "2024-03-07T10:00:00Z"}
    row["target"] = [{"source": url, "selector": [{"type": "TextQuoteSelector", "exact": quote}]}] if quote else [{"source": url}]
    row.update(extra)
    return row


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def note_files(root: Path) -> dict[str, str]:
    folder = root / "content" / "notes"
    return {p.name: p.read_text() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def notes_by_slug(root: Path):
    analysis = analyse(root, load_config(root))
    return {note.slug: note for note in analysis.archive.notes}, analysis.anchors


# --- which article -----------------------------------------------------------------------


def test_the_query_string_tells_two_articles_apart(stories, tmp_path, capsys):
    export = write_json(tmp_path / "h.json", {"rows": [hypothesis_row(1, "https://news.example/story.php?id=101&utm_source=feed", "the mayor spoke at noon")]})
    code, out, err = import_file(capsys, stories, export)
    assert code == 0, err
    [text] = note_files(stories).values()
    assert "article: story-a" in text


def test_a_url_shared_by_two_articles_is_not_guessed(stories, tmp_path, capsys):
    article = stories / "content" / "articles" / "story-b.md"
    article.write_text(STORY_B.replace("?id=202", "?id=101"))
    export = write_json(tmp_path / "h.json", [hypothesis_row(1, "https://news.example/story.php?id=101", "Stalls opened at dawn")])
    code, _, err = import_file(capsys, stories, export)
    assert code == 1 and "matches several articles (story-a, story-b)" in err
    assert note_files(stories) == {}


def test_a_highlight_on_no_article_is_named_and_fails_the_command(harbour, capsys):
    code, out, err = import_file(capsys, harbour, ANNOTATIONS / "hypothesis.json")
    assert code == 1
    assert "hypothesis.json: annotation 3: no article in the archive has the URL https://elsewhere.example/never-archived" in err
    assert err.splitlines()[-1] == "sitegen: 1 highlight not imported"
    assert "2 notes imported" in out  # the highlights that were placed are written


# --- which notes are written --------------------------------------------------------------


def test_the_sidebar_export_is_read_without_replies_or_other_users(harbour, capsys):
    before = set(note_files(harbour))
    code, out, err = import_file(capsys, harbour, ANNOTATIONS / "hypothesis-sidebar.json")
    assert code == 0, err
    assert out.splitlines()[-1] == "1 note imported; 1 reply skipped; 1 annotation by another user skipped"
    [new] = set(note_files(harbour)) - before
    text = note_files(harbour)[new]
    assert "quote: Work starts in May" in text and "annotation_id: hXq2A1lzEe-reader-1" in text
    assert "Agreed" not in text and "footpath" not in "".join(note_files(harbour).values())


def test_importing_the_same_export_twice_adds_nothing(harbour, tmp_path, capsys):
    url = "https://example.org/news/harbour-vote"
    export = write_json(tmp_path / "h.json", [hypothesis_row(1, url, "Work starts in May"), hypothesis_row(2, url, None)])
    assert import_file(capsys, harbour, export)[0] == 0
    first = note_files(harbour)
    edited = next(name for name, text in first.items() if "note 1" in text)
    (harbour / "content" / "notes" / edited).write_text(first[edited].replace("note 1", "note 1, rewritten later"))
    code, out, _ = import_file(capsys, harbour, export)
    assert code == 0 and out.splitlines()[-1] == "0 notes imported; 2 already imported"
    assert set(note_files(harbour)) == set(first)


def test_a_quote_in_several_places_takes_the_exports_context_or_is_refused(stories, tmp_path, capsys):
    url = "https://news.example/story.php?id=101"
    told = hypothesis_row(1, url, "The gates stayed shut.")
    told["target"][0]["selector"][0].update(prefix="Later the water fell. ", suffix=" Nobody")
    untold = hypothesis_row(2, url, "The gates stayed shut.")
    code, _, err = import_file(capsys, stories, write_json(tmp_path / "h.json", [told, untold]))
    assert code == 1
    assert "annotation 2: quote matches 2 places in article 'story-a' and the export's prefix/suffix do not pick one; not imported" in err
    notes, anchors = notes_by_slug(stories)
    [note] = notes.values()
    assert note.prefix == "Later the water fell. " and note.suffix == " Nobody"
    text = analyse(stories, load_config(stories)).bodies[("article", "story-a")].text
    assert anchors[note.slug].start == text.rindex("The gates stayed shut.")


def test_a_quote_not_in_its_article_is_named_and_not_written(stories, tmp_path, capsys):
    export = write_json(tmp_path / "h.json", [hypothesis_row(1, "https://news.example/story.php?id=202", "The bridge fell down")])
    code, _, err = import_file(capsys, stories, export)
    assert code == 1 and "annotation 1: quote not found in article 'story-b'; not imported" in err
    assert note_files(stories) == {}


def test_empty_tags_and_control_characters_never_reach_a_note(stories, tmp_path, capsys):
    url = "https://news.example/story.php?id=202"
    row = hypothesis_row(1, url, "Stalls opened\u000b at dawn", text="A note\u0000 with \u001b[31mcontrol\uffff characters\u0085.", tags=["", "  ", "mar\u0007ket", "market"])
    code, _, err = import_file(capsys, stories, write_json(tmp_path / "h.json", [row]))
    assert code == 0, err
    [text] = note_files(stories).values()
    assert not any(char in text for char in "\u000b\u0000\u001b\u0007\uffff\u0085")
    assert "A note with [31mcontrol characters." in text and "tags:\n- market\ncreated" in text
    assert run_cli(capsys, "-C", str(stories), "build", "--no-search")[0] == 0


def test_a_note_the_build_would_refuse_is_not_written(stories, tmp_path, capsys):
    url = "https://news.example/story.php?id=202"
    export = write_json(tmp_path / "h.json", [hypothesis_row(1, url, "Stalls opened", text="See [[no-such-page]]."), hypothesis_row(2, url, "on the square")])
    code, _, err = import_file(capsys, stories, export)
    assert code == 1 and "annotation 1: the note would not build (unknown wikilink target 'no-such-page'" in err
    assert [name for name in note_files(stories)] == ["on-the-square.md"]


def test_a_note_slug_never_shadows_an_article(stories, tmp_path, capsys):
    (stories / "content" / "articles" / "stalls-opened.md").write_text(STORY_B.replace("?id=202", "?id=303"))
    export = write_json(tmp_path / "h.json", [hypothesis_row(1, "https://news.example/story.php?id=202", "Stalls opened")])
    assert import_file(capsys, stories, export)[0] == 0
    assert list(note_files(stories)) == ["stalls-opened-2.md"]


def test_an_interrupted_import_leaves_no_note_and_no_temporary_file(stories, tmp_path, capsys, monkeypatch):
    url = "https://news.example/story.php?id=202"
    export = write_json(tmp_path / "h.json", [hypothesis_row(1, url, "Stalls opened"), hypothesis_row(2, url, "on the square")])
    real_link, calls = os.link, []

    def interrupted_link(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_link(source, target)

    monkeypatch.setattr(os, "link", interrupted_link)
    code, _, err = import_file(capsys, stories, export)
    assert code == 130 and len(calls) == 2
    assert list((stories / "content" / "notes").iterdir()) == []


def test_the_public_entry_writes_what_anchors_and_reports_the_rest(stories):
    report = write_highlight_notes(
        stories,
        [
            Highlight("story-a", "the mayor spoke at noon", note="From a read-later app.", tags=("mayor",), id="app:1"),
            Highlight("story-a", "The gates stayed shut."),
            Highlight("story-z", "anything"),
        ],
    )
    assert [path.name for path in report.written] == ["the-mayor-spoke-at-noon.md"]
    assert report.unplaced == 2 and len(report.not_imported) == 2
    assert "no article 'story-z'" in " ".join(problem.message for problem in report.not_imported)


# --- W3C Web Annotations ------------------------------------------------------------------


@pytest.mark.parametrize(("export", "expected"), [
    ("w3c-single.json", {"keep-the-fish-market-open.md": ["quote: keep the fish market open", "- market", "The market stays open.", "created: 2024-03-09"]}),
    ("w3c-list.json", {"residents-asked-for-three-things.md": ["Three requests."], "lights-along-the-pier.md": ["quote: lights along the pier"]}),
    ("w3c-paged.json", {"nine-to-two.md": ["The margin."], "on-council-votes-to-rebuild-the.md": ["A page note on the whole article.", "- harbour"]}),
])  # fmt: skip
def test_w3c_annotations_one_a_list_or_a_paged_collection(harbour, capsys, export, expected):
    before = set(note_files(harbour))
    code, out, err = import_file(capsys, harbour, ANNOTATIONS / export)
    assert code == 0, err
    new = {name: text for name, text in note_files(harbour).items() if name not in before}
    assert set(new) == set(expected)
    for name, parts in expected.items():
        assert all(part in new[name] for part in parts), new[name]
        assert "annotation_id: https://annotations.example/anno/" in new[name]
    notes, anchors = notes_by_slug(harbour)
    assert all(anchors[Path(name).stem].tier in (EXACT, NORMALIZED, "none") for name in new)


def test_a_w3c_position_picks_between_equal_passages(stories, tmp_path, capsys):
    text = analyse(stories, load_config(stories)).bodies[("article", "story-a")].text
    start = text.rindex("The gates stayed shut.")
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://annotations.example/anno/9",
        "type": "Annotation",
        "target": {
            "source": "https://news.example/story.php?id=101",
            "selector": [{"type": "TextQuoteSelector", "exact": "The gates stayed shut."}, {"type": "TextPositionSelector", "start": start, "end": start + 22}],
        },
    }
    code, _, err = import_file(capsys, stories, write_json(tmp_path / "w3c.json", annotation))
    assert code == 0, err
    notes, anchors = notes_by_slug(stories)
    [note] = notes.values()
    assert anchors[note.slug].start == start and note.prefix  # context cut from the article, just enough to be unique


@pytest.mark.parametrize("base_url", [None, "https://reader.example/archive/"])
def test_the_w3c_export_reads_back_into_the_same_notes(tmp_path, capsys, base_url):
    root = copy_archive(REPO, tmp_path / "archive")
    if base_url:
        config = root / "sitegen.yaml"
        config.write_text(config.read_text().replace("base_url: /", f"base_url: {base_url}"))
    notes, anchors = notes_by_slug(root)
    exported = {slug: note for slug, note in notes.items() if note.article}
    export = tmp_path / "annotations.json"
    export.write_text(export_archive(root, "w3c"))
    for note in exported.values():
        (root / note.loc.path).unlink()
    code, out, err = import_file(capsys, root, export)
    assert code == 0, err
    assert f"{len(exported)} notes imported" in out
    again, anchors_again = notes_by_slug(root)
    assert set(again) == set(notes)
    for slug, note in exported.items():
        back = again[slug]
        assert (back.article, back.body.strip(), back.tags, back.created) == (note.article, note.body.strip(), note.tags, note.created)
        assert fold(back.quote or "") == fold(note.quote or "")
        before, after = anchors[slug], anchors_again[slug]
        assert (after.tier == "none") == (before.tier == "none") and (after.start, after.end) == (before.start, before.end)
    assert import_file(capsys, root, export)[1].splitlines()[-1] == f"0 notes imported; {len(exported)} already imported"


def test_a_w3c_page_given_as_a_link_is_refused(harbour, tmp_path, capsys):
    export = write_json(tmp_path / "w3c.json", {"type": "AnnotationCollection", "first": "https://annotations.example/page/1"})
    code, _, err = import_file(capsys, harbour, export)
    assert code == 1 and err.splitlines()[0].startswith(f"{export}: W3C annotation page 1 is a link")


# --- bad exports ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "message"), [
    ("other.json", '{"name": "not annotations"}', "not an annotation export: expected Hypothesis JSON"),
    ("columns.csv", "Title,Text\nA,B\n", "not a Readwise CSV export: no 'Highlight' or 'Book Title' column"),
    ("open-quote.csv", 'Highlight,Book Title\n"never closed,x\n' + "more text\n" * 20_000, "a field runs past 131,072 characters (a quote left open?)"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "JSON nested too deeply to be an annotation export"),
    ("broken.json", '{"rows": [}', "invalid JSON"),
    ("null-row.json", '{"rows": [null]}', "annotation 1: an annotation must be an object, not NoneType"),
    ("numbers.json", json.dumps(list(range(5000))), "not an annotation export: none of its 5000 records is an annotation (annotation 1: an annotation must be an object, not int)"),
    ("latin1.csv", b"Highlight,Book Title\n\xe9t\xe9,x\n", "not UTF-8: byte 0xe9"),
], ids=["json-of-another-shape", "csv-of-other-columns", "csv-quote-left-open", "json-nested-deep", "json-broken", "json-null-row", "json-list-of-numbers", "csv-not-utf8"])  # fmt: skip
def test_a_bad_export_is_one_line_naming_the_file_and_nothing_is_written(harbour, tmp_path, capsys, name, content, message):
    export = tmp_path / name
    export.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = note_files(harbour)
    code, out, err = import_file(capsys, harbour, export)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2 and lines[0].startswith(str(export)) and message in lines[0], err
    assert note_files(harbour) == before and out == ""


# --- any input --------------------------------------------------------------------------

KEYS = ["type", "@context", "rows", "annotations", "export_userid", "user", "references", "uri", "target", "source", "selector",
        "exact", "prefix", "suffix", "start", "end", "refinedBy", "body", "bodyValue", "value", "purpose", "first", "next",
        "items", "id", "text", "tags", "document", "title", "created", "motivation"]  # fmt: skip
NAMES = st.sampled_from(["Annotation", "AnnotationCollection", "AnnotationPage", "TextQuoteSelector", "TextPositionSelector",
                         "TextualBody", "tagging", "replying", "https://example.org/a", "2024-03-07T10:00:00Z"])  # fmt: skip
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-5, 50), st.text(max_size=8), NAMES)
JSONISH = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)), max_leaves=40)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSONISH)
def test_any_json_is_read_or_refused_with_a_site_error(data):
    try:
        export = json_export(data, SourceLoc("export.json"))
    except SiteError as error:
        assert all(problem.loc.path == "export.json" for problem in error.problems)
        return
    for highlight in export.highlights:
        assert highlight.quote is None or isinstance(highlight.quote, str)
        assert all(isinstance(tag, str) for tag in highlight.tags)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list('ab,"\n\r\x00\x0b\ufffe') + ["Highlight", "Book Title", "Tags"]), max_size=40).map("".join))
def test_any_csv_is_read_or_refused_with_a_site_error(text):
    try:
        highlights = list(readwise_highlights(text, SourceLoc("export.csv")))
    except SiteError:
        return
    assert all(clean_text(h.quote or "") == clean_text(clean_text(h.quote or "")) for h in highlights)


def test_notes_that_would_break_another_file_are_not_written(harbour, tmp_path, capsys, monkeypatch):
    import generator.annotations_import as importing

    monkeypatch.setattr(importing, "_free_slug", lambda *_: "harbour-trust")  # an entity's slug, which [[harbour-trust]] then names twice
    export = write_json(tmp_path / "h.json", [hypothesis_row(1, "https://example.org/news/harbour-vote", "Work starts in May")])
    before = note_files(harbour)
    code, _, err = import_file(capsys, harbour, export)
    assert code == 1 and "content/notes/vote-margin.md" in err and err.splitlines()[-1].endswith("nothing was written")
    assert note_files(harbour) == before
