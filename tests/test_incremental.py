"""Incremental builds: after any edit, a cached build is byte-identical to a cold one."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path

import pytest

from generator import analysis_cache, write
from generator import build as build_module
from generator.analysis_cache import ANALYSIS_FILE, EDITS_FILE
from generator.build import FirstPages, ServeState, analyse, build, emit_site
from generator.config import load_config
from generator.documents import load_cache, save_cache, scan_content
from generator.emit.citations import BIBLIOGRAPHY_FILES
from generator.errors import ProblemLog, SiteError
from generator.graph import DocumentLinks, relinked
from generator.incremental import document_hashes, load_last_build, page_keys, record_path, with_templates
from generator.memo import Memo
from generator.note_edits import analysis_after_note_edits
from tests.conftest import REPO, copy_archive
from tests.image_helpers import png

ARTICLE = "content/articles/iran-facilitating-attacks-us-troops.md"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def file_states(root: Path) -> dict[str, tuple[int, int, int]]:
    """The files under content/ and themes/, and sitegen.yaml, by project-relative path: (mtime, size, inode)."""
    paths = [root / "sitegen.yaml", *(root / "content").rglob("*"), *(root / "themes").rglob("*")]
    return {p.relative_to(root).as_posix(): (info.st_mtime_ns, info.st_size, info.st_ino) for p in paths if p.is_file() for info in [p.stat()]}


def changed_between(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> set[str]:
    """The paths serve's watcher would report between two `file_states`: added, changed and removed."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def replace(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text()
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1))


EDITS = {
    "note text": lambda r: replace(r, "content/notes/proxy-network.md", "The article names four", "The piece names four"),
    "note quote": lambda r: replace(r, "content/notes/hezbollah-and-hamas.md", "including Hezbollah in Lebanon and Hamas", "including Hezbollah in Lebanon"),
    "new untitled note": lambda r: (r / "content/notes/loose-thought.md").write_text("---\ntags: []\n---\nProxies, again.\n\nA thought with no title and no quote.\n"),
    "first line of an untitled note (its title)": lambda r: replace(r, "content/notes/loose-thought.md", "Proxies, again.", "Proxies, once more."),
    "quote no longer found (orphaned)": lambda r: replace(r, "content/notes/kirby-facilitating.md", "quote: \"We know", "quote: \"Not in the article. We know"),
    "orphan found again": lambda r: replace(r, "content/notes/kirby-facilitating.md", "quote: \"Not in the article. We know", "quote: \"We know"),
    "article title": lambda r: replace(r, ARTICLE, "White House Aide", "White House Official"),
    "article text": lambda r: replace(r, ARTICLE, "Kirby said Monday, down from 14", "Kirby said on Monday, down from 14"),
    "entity alias": lambda r: replace(r, "content/entities/joe-biden.md", "aliases: [Biden, President Biden]", "aliases: [President Biden]"),
    "entity name": lambda r: replace(r, "content/entities/pentagon.md", "name: Pentagon", "name: The Pentagon"),
    "title quoted in a backlink": lambda r: replace(r, "content/entities/white-house.md", "name: White House", "name: The White House"),
    "new entity": lambda r: (r / "content/entities/egypt.md").write_text("---\nname: Egypt\nkind: place\n---\nNamed once.\n"),
    "new linking note": lambda r: (r / "content/notes/egypt-route.md").write_text("---\ntitle: Aid route\n---\nAid came through [[egypt]] and [[john-kirby]] said so.\n"),
    "deleted note": lambda r: (r / "content/notes/unaccounted-for.md").unlink(),
    "renamed note": lambda r: (r / "content/notes/who-is-who.md").rename(r / "content/notes/who-is-whom.md"),
    "author role": lambda r: replace(r, ARTICLE, "role: White House Correspondent", "role: Senior White House Correspondent"),
    "tag": lambda r: replace(r, "content/notes/kirby-facilitating.md", "tags: [iran, attribution]", "tags: [iran, attribution, evidence]"),
    "title of a tagged note (shown on its tag pages)": lambda r: replace(r, "content/notes/kirby-facilitating.md", "tags: [iran, attribution, evidence]", "title: Iran's hand\ntags: [iran, attribution, evidence]"),
    "date of a tagged note": lambda r: replace(r, "content/notes/kirby-facilitating.md", "created: 2026-11-25", "created: 2026-11-20"),
    "title of a linked note (a link label elsewhere)": lambda r: replace(r, "content/notes/proxy-network.md", "title: Iran's network of armed partners", "title: Iran's armed partners"),
    "text of a linking note, away from its links": lambda r: replace(r, "content/notes/hezbollah-and-hamas.md", "listing them together flattens that", "listing them together hides that"),
    "note template": lambda r: replace(r, "themes/default/templates/note.html", '<article class="note-page"', '<article class="note-page note"'),
    "base template": lambda r: replace(r, "themes/default/templates/base.html", '<footer class="site-footer"', '<footer class="site-footer footer"'),
    "margin-note partial": lambda r: (r / "themes/default/templates/partials/margin_notes.html").write_text(
        (r / "themes/default/templates/partials/margin_notes.html").read_text() + "\n"
    ),
    "config": lambda r: (r / "sitegen.yaml").write_text((r / "sitegen.yaml").read_text().replace("title: Reading archive", "title: My archive")),
    "image src naming a file not there (the figure says so)": lambda r: replace(r, ARTICLE, "  src: null", "  src: articles/aid.png"),
    "the image file added (its size on the <img>)": lambda r: (r / "content/articles/aid.png").write_bytes(png(40, 30)),
    "the image file replaced by one of another size": lambda r: (r / "content/articles/aid.png").write_bytes(png(30, 70)),
    "a note edited and the image replaced at once": lambda r: (
        replace(r, "content/notes/proxy-network.md", "The piece names four", "The article names four"),
        (r / "content/articles/aid.png").write_bytes(png(50, 20)),
    ),
    "the image file removed": lambda r: (r / "content/articles/aid.png").unlink(),
}


@pytest.mark.parametrize("session", ["command line", "serve"])
def test_a_cached_build_after_each_edit_equals_a_cold_build(tmp_path, session):
    """The edits accumulate in one archive built incrementally, in order (some build on
    earlier ones); after each, the output is compared with a cold build of the same state.

    From the command line each build loads the cache from disk; in a serve session the
    documents and the memo of the later stages stay in memory from build to build, and
    each build is told which files changed, as serve's watcher tells it."""
    root = copy_archive(REPO, tmp_path / "archive")
    if session == "serve":  # with tabs open on a few pages, which serve asks to have first
        shown = {"index.html", "notes/kirby-facilitating/index.html", "articles/iran-facilitating-attacks-us-troops/index.html"}
        kept = {"serving": ServeState(load_cache(root, load_config(root)), Memo(), first=FirstPages(frozenset(shown), lambda pending: None))}
    else:
        kept = {}
    build(root, search=False, **kept)
    for number, (edit, apply_edit) in enumerate(EDITS.items()):
        before = file_states(root)
        apply_edit(root)
        if session == "serve":
            kept["serving"] = dataclasses.replace(kept["serving"], changed=changed_between(before, file_states(root)))
        result = build(root, search=False, **kept)
        assert not result.up_to_date, edit
        cold = copy_archive(root, tmp_path / f"cold-{number}")
        shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
        build(cold, search=False)
        assert snapshot(root / "site") == snapshot(cold / "site"), f"after the edit '{edit}'"


NOTE_EDITS = {  # edits of notes in place: the last analysis is brought up to date (note_edits.py)
    "note text": lambda r: replace(r, "content/notes/proxy-network.md", "The article names four", "The piece names four"),
    "a link added": lambda r: replace(r, "content/notes/kirby-facilitating.md", "offered in the piece.", "offered in the piece, see [[proxy-network]]."),
    "a link to a heading": lambda r: replace(r, "content/notes/kirby-facilitating.md", "see [[proxy-network]]", "see [[who-is-who#open-questions]]"),
    "a link removed": lambda r: replace(r, "content/notes/proxy-network.md", "[[hamas]] in Gaza", "Hamas in Gaza"),
    "two notes at once": lambda r: (
        replace(r, "content/notes/proxy-network.md", "the [[houthi-movement]]", "the [[houthi-movement|Houthis]]"),
        replace(r, "content/notes/kirby-facilitating.md", "is doing a lot of work", "does a lot of work"),
    ),
    "quote of a titled note no longer found (orphaned)": lambda r: replace(r, "content/notes/proxy-network.md", 'quote: "Iran has', 'quote: "Not in the article. Iran has'),
    "orphan found again": lambda r: replace(r, "content/notes/proxy-network.md", 'quote: "Not in the article. Iran has', 'quote: "Iran has'),
    "date": lambda r: replace(r, "content/notes/kirby-facilitating.md", "created: 2026-11-25", "created: 2026-11-21"),
    "title of a linked note (labels and backlink sentences elsewhere)": lambda r: replace(
        r, "content/notes/proxy-network.md", "title: Iran's network of armed partners", "title: Iran's armed partners"
    ),
    "quote of an untitled linked note (its title)": lambda r: replace(
        r, "content/notes/kirby-facilitating.md", "these events and in some cases actively facilitating these attacks", "these events"
    ),
}


def test_notes_edited_in_place_bring_the_last_analysis_up_to_date_as_a_whole_analysis_would(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    serving = ServeState(load_cache(root, load_config(root)), Memo())
    build(root, search=False, serving=serving)
    for edit, apply_edit in NOTE_EDITS.items():
        before = file_states(root)
        apply_edit(root)
        after = file_states(root)
        changed = {path for path in after if before.get(path) != after[path]}
        result = build(root, search=False, serving=dataclasses.replace(serving, changed=changed))
        assert "analyse edited notes" in result.timings, edit
        assert serving.memo.analysis == analyse(root, load_config(root)), f"after the edit '{edit}'"
        assert_keyed_as_from_scratch(root, serving.memo, edit)
    replace(root, "content/notes/kirby-facilitating.md", "tags: [iran, attribution]", "tags: [iran]")  # tag pages change
    result = build(root, search=False, serving=dataclasses.replace(serving, changed={"content/notes/kirby-facilitating.md"}))
    assert "analyse edited notes" not in result.timings
    assert serving.memo.analysis == analyse(root, load_config(root))


def assert_keyed_as_from_scratch(root: Path, memo: Memo, edit: str) -> None:
    """The page keys a build made from the last ones, for the documents note edits touched
    alone (incremental.page_keys), are those made from nothing."""
    files, _ = scan_content(root, load_cache(root, load_config(root)))
    fresh = page_keys(memo.analysis, document_hashes(files), memo.page_keys.setup)
    assert memo.page_keys.keys == fresh.keys, f"after the edit '{edit}'"
    assert memo.page_keys.facts == fresh.facts, f"after the edit '{edit}'"
    assert memo.page_keys.listed == fresh.listed, f"after the edit '{edit}'"
    assert memo.page_keys.lists == fresh.lists, f"after the edit '{edit}'"
    template_of = {job.path: job.template for job in emit_site(root, memo.analysis).jobs}
    assert memo.page_keys.combined == with_templates(fresh, template_of, memo.page_keys.templates).combined, f"after the edit '{edit}'"


@pytest.mark.parametrize("rewritten_after", [64, 1])
def test_command_line_builds_after_note_edits_bring_the_analysis_on_disk_up_to_date(tmp_path, monkeypatch, rewritten_after):
    """Each build starts from the analysis on disk and the versions of the notes edited since
    it was written; after the edits accumulate (and whether or not the whole analysis is
    written again on the way), what loads is what a whole analysis gives, and the site is a cold build's."""
    monkeypatch.setattr(analysis_cache, "MAX_EDITED", rewritten_after)
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    original = (root / "content/notes/proxy-network.md").read_text()
    edits = {**NOTE_EDITS, "a note edited back as it was": lambda r: (r / "content/notes/proxy-network.md").write_text(original)}
    written = {(root / ANALYSIS_FILE).read_bytes()}
    for number, (edit, apply_edit) in enumerate(edits.items()):
        apply_edit(root)
        assert "analyse edited notes" in build(root, search=False).timings, edit
        written.add((root / ANALYSIS_FILE).read_bytes())
        config = load_config(root)
        cache = load_cache(root, config)
        memo = analysis_cache.load_analysis(root, cache)  # as the next build starts
        loaded = memo.analysis  # up to date when it was written again whole; else brought up to date:
        brought = analysis_after_note_edits(root, config, *scan_content(root, cache), cache, memo) or loaded
        assert brought == analyse(root, config), f"after the edit '{edit}'"
        if number % 3 == 2:
            cold = copy_archive(root, tmp_path / f"cold-{number}")
            shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
            build(cold, search=False)
            assert snapshot(root / "site") == snapshot(cold / "site"), f"after the edit '{edit}'"
    assert (len(written) > 1) == (rewritten_after == 1)  # two notes are edited: more than one is written again whole


def test_a_graph_read_from_disk_relinks_as_the_one_in_memory(tmp_path):
    """The analysis on disk holds the graph's indexes by document entry by entry (StoredIndex):
    relinking one, as a note edit does, setting and removing entries, gives the very graph that
    relinking the dicts gives, and so does pickling it again (the analysis written whole)."""
    root = copy_archive(REPO, tmp_path / "archive")
    graph = analyse(root, load_config(root)).graph
    stored = pickle.loads(pickle.dumps(analysis_cache._stored_graph(graph)))
    assert isinstance(stored.backlinks, analysis_cache.StoredIndex) and stored == graph
    source = next(key for key, linked in graph.links_from.items() for target in linked if len(graph.backlinks[target]) == 1)
    dropped = next(target for target in graph.links_from[source] if len(graph.backlinks[target]) == 1)  # its only backlink goes
    links = DocumentLinks(resolved=(), targets=(), backlinks=(), problems=ProblemLog())
    in_memory, from_disk = relinked(graph, {source: links}), relinked(stored, {source: links})
    assert dropped not in in_memory.backlinks and dropped not in from_disk.backlinks
    assert from_disk == in_memory
    assert pickle.loads(pickle.dumps(analysis_cache._stored_graph(from_disk))) == in_memory
    assert stored == graph  # relinking made new indexes: the stored ones are as they were


def test_a_command_line_build_after_a_note_edit_starts_from_the_analysis_on_disk_while_it_matches(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    saved, edits = root / ANALYSIS_FILE, root / EDITS_FILE
    older = saved.read_bytes()
    replace(root, "content/notes/proxy-network.md", "The article names four", "The piece names four")
    assert "analyse edited notes" in build(root, search=False).timings
    assert saved.read_bytes() == older and edits.exists()  # not written again: the note as it was is kept beside it
    replace(root, "content/notes/kirby-facilitating.md", "is doing a lot of work", "does a lot of work")
    assert "analyse edited notes" in build(root, search=False).timings  # both notes, from the analysis on disk
    edits.unlink()  # as if the build had been killed before saving it: the saved analysis refers to notes the cache has moved past
    replace(root, "content/notes/kirby-facilitating.md", "does a lot of work", "does much work")
    assert "analyse edited notes" not in build(root, search=False).timings  # refused: an ordinary analysis
    assert saved.read_bytes() != older and not edits.exists()  # written again whole
    for damage in (b"not a pickle", saved.read_bytes()[:-1000], saved.read_bytes()[:-1000] + bytes(1000)):  # garbage, cut short, a damaged analysis
        saved.write_bytes(damage)
        replace(root, "content/notes/kirby-facilitating.md", "does much work", "does a great deal of work")
        assert "analyse edited notes" not in build(root, search=False).timings
        replace(root, "content/notes/kirby-facilitating.md", "does a great deal of work", "does much work")
        build(root, search=False)
    replace(root, "content/notes/kirby-facilitating.md", "does much work", "is doing a lot of work")
    build(root, search=False)
    cold = copy_archive(root, tmp_path / "cold")
    shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site")
    replace(root, "content/notes/kirby-facilitating.md", "[[john-kirby]]", "[[no-such-page]]")
    with pytest.raises(SiteError):
        build(root, search=False)
    assert not saved.exists()  # a failed build leaves no analysis that the cache has moved past


def test_only_changed_pages_are_written(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    untouched = root / "site" / "entities" / "khan-yunis" / "index.html"
    edited = root / "site" / "notes" / "who-is-who" / "index.html"
    before = (untouched.stat().st_ino, untouched.stat().st_mtime_ns, edited.stat().st_ino)
    replace(root, "content/notes/who-is-who.md", "answered with two carrier groups", "answered with two aircraft carrier groups")
    build(root, search=False)
    assert (untouched.stat().st_ino, untouched.stat().st_mtime_ns) == before[:2]  # not rendered, not written
    assert edited.stat().st_ino != before[2]  # a new file moved over the old one
    assert "two aircraft carrier groups" in edited.read_text()


def test_editing_a_note_s_text_does_not_make_the_lists_again(tmp_path):
    """Lists (tag pages too) show a note's title, date, tags and article, not its text (incremental.listed_digest)."""
    root = copy_archive(REPO, tmp_path / "archive")
    with_host(root)  # a sitemap is written only for a base URL with a host
    build(root, search=False)
    lists = [root / "site" / path for path in ("index.html", "notes/index.html", "sitemap.xml", "tags/index.html", "tags/proxies/index.html")]
    feed = root / "site" / "notes.xml"
    before = [path.stat().st_ino for path in lists]
    replace(root, "content/notes/proxy-network.md", "The article names four", "The piece names four")
    build(root, search=False)
    assert [path.stat().st_ino for path in lists] == before
    assert "The piece names four" in feed.read_text()  # the feed shows the text: made again


def test_a_linking_note_edited_away_from_its_link_leaves_the_linked_page_alone(tmp_path):
    """The linked page shows the note's title and the sentence with the link, nothing else of it."""
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    entity = root / "site" / "entities" / "john-kirby" / "index.html"
    before = entity.stat().st_ino
    replace(root, "content/notes/kirby-facilitating.md", "Note that no evidence is offered", "No evidence is offered")
    build(root, search=False)
    assert entity.stat().st_ino == before
    replace(root, "content/notes/kirby-facilitating.md", "one sentence from [[john-kirby]]", "one line from [[john-kirby]]")
    build(root, search=False)
    assert entity.stat().st_ino != before
    assert "one line from" in entity.read_text()


def test_pages_asked_for_first_are_in_place_before_the_rest_of_the_rebuild(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    with_host(root)  # a sitemap is written only for a base URL with a host
    build(root, search=False)
    site = root / "site"
    note, article = "notes/kirby-facilitating/index.html", "articles/iran-facilitating-attacks-us-troops/index.html"
    seen = {}

    def shown(pending: frozenset[str]) -> None:
        seen.update(note=(site / note).read_text(), article=(site / article).read_text(), pending=pending)

    replace(root, "content/notes/kirby-facilitating.md", "Note that no evidence is offered", "Note that no proof is offered")
    build(root, search=False, serving=ServeState(load_cache(root, load_config(root)), Memo(), first=FirstPages(frozenset({note}), shown)))
    assert "no proof is offered" in seen["note"]
    assert "no proof is offered" not in seen["article"]  # shown beside its passage, but not yet written
    assert article in seen["pending"] and note not in seen["pending"] and "sitemap.xml" in seen["pending"]
    assert "no proof is offered" in (site / article).read_text()
    assert (site / ".sitegen-output").read_text()  # sealed: the next build trusts it


def test_a_template_edit_renders_again_only_the_pages_that_use_it(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")  # with its own copy of the theme
    build(root, search=False)
    article = root / "site" / "articles" / "iran-facilitating-attacks-us-troops" / "index.html"
    note = root / "site" / "notes" / "proxy-network" / "index.html"
    before = (article.stat().st_ino, note.stat().st_ino)
    replace(root, "themes/default/templates/note.html", '<article class="note-page"', '<article class="note-page note"')
    result = build(root, search=False)
    assert not result.up_to_date
    assert article.stat().st_ino == before[0]  # article.html and what it uses did not change
    assert note.stat().st_ino != before[1]
    assert 'class="note-page note"' in note.read_text()


def test_a_build_killed_while_moving_pages_is_followed_by_a_whole_build(tmp_path, monkeypatch):
    """Pages are moved into the live site one by one; a build dying among them leaves a blank
    marker, so the next build cannot mistake the mixed site for a finished one."""
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    replace(root, ARTICLE, "White House Aide", "White House Official")  # many pages change
    moves = []

    def dying_replace(source, target):
        if len(moves) == 3:
            raise KeyboardInterrupt
        moves.append(target)
        real_replace(source, target)

    real_replace = write.os.replace
    monkeypatch.setattr(write.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        build(root, search=False)
    monkeypatch.undo()
    assert (root / "site" / ".sitegen-output").read_text() == ""
    assert not list(root.glob(".sitegen-tmp-*"))
    build(root, search=False)
    cold = copy_archive(root, tmp_path / "cold")
    shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site")


def test_an_edit_in_the_same_clock_tick_as_the_last_read_is_seen(tmp_path):
    """Same size, same mtime, same inode: only the content differs. The file was hashed right
    after it was written, so its stat signature was not trusted and it is read again."""
    root = copy_archive(REPO, tmp_path / "archive")
    note = root / "content" / "notes" / "proxy-network.md"
    text = note.read_text()
    note.write_text(text)  # written just now, as an editor saves it
    build(root, search=False)
    stat = note.stat()
    with note.open("r+") as file:  # in place: the inode stays
        file.write(text.replace("The article names four", "The article lists four", 1))
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (note.stat().st_size, note.stat().st_mtime_ns, note.stat().st_ino) == (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    build(root, search=False)
    assert "The article lists four" in (root / "site" / "notes" / "proxy-network" / "index.html").read_text()


def test_the_document_cache_is_safe_to_delete_or_corrupt(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    shards = sorted((root / ".sitegen-cache" / "documents").glob("*.pickle"))
    assert shards
    shards[0].write_bytes(b"not a pickle")
    shards[1].unlink()
    damaged = next(shard for shard in shards[2:] if shard.stat().st_size > 200)  # its index sound, its results not:
    data = damaged.read_bytes()  # found only when they are read, mid-build; those files are processed again
    damaged.write_bytes(data[:-100] + b"\0" * 100)
    replace(root, ARTICLE, "White House Aide", "White House Official")
    build(root, search=False)
    cold = copy_archive(root, tmp_path / "cold")
    shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site")


def test_without_its_cache_a_built_site_is_built_again_the_same(tmp_path):
    """Files new to the cache are read while they are parsed (scan_content's leave_unread), so
    their digests are known only then: the build cannot find the site up to date before, and
    builds it whole; it is the same site, and the next build finds it up to date."""
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    before = snapshot(root / "site")
    shutil.rmtree(root / ".sitegen-cache")
    again = build(root, search=False)
    assert not again.up_to_date and again.pages > 0
    assert snapshot(root / "site") == before
    assert build(root, search=False).up_to_date


def test_a_build_on_two_processes_equals_one_on_one_and_saves_its_cache_meanwhile(tmp_path, monkeypatch):
    """With jobs=2, parsing and rendering are shared with a forked worker and the document
    cache is written by a forked process while the documents are anchored and linked (build.CacheSaving)."""
    one = copy_archive(REPO, tmp_path / "one")
    two = copy_archive(REPO, tmp_path / "two")
    build(one, search=False, jobs=1)
    result = build(two, search=False, jobs=2)
    assert "save cache (what was left to wait)" in result.timings  # the cache was written by the forked process
    assert snapshot(one / "site") == snapshot(two / "site")
    assert snapshot(one / ".sitegen-cache" / "documents").keys() == snapshot(two / ".sitegen-cache" / "documents").keys()
    replace(two, "content/notes/proxy-network.md", "The article names four", "The piece names four")
    assert "analyse edited notes" in build(two, search=False, jobs=2).timings  # the cache and the analysis were there

    parent = os.getpid()
    saved = []

    def failing_in_the_child(root, cache):
        if os.getpid() != parent:
            raise OSError("no space left on device")
        saved.append(len(cache.dirty))
        return save_cache(root, cache)

    monkeypatch.setattr("generator.build.save_cache", failing_in_the_child)
    shutil.rmtree(two / ".sitegen-cache")
    build(two, search=False, jobs=2, force=True)
    assert saved and saved[0] > 0  # the forked process failed: this one saved the cache itself
    replace(two, "content/notes/proxy-network.md", "The piece names four", "The article names four")
    assert "analyse edited notes" in build(two, search=False).timings


def test_a_cold_build_that_fails_in_linking_keeps_the_cache_its_forked_saver_wrote(tmp_path):
    """The document cache is saved from a forked process as soon as parsing ends (build.CacheSaving):
    a link error found after that still leaves every sound file's result saved, and no site."""
    root = copy_archive(REPO, tmp_path / "archive")
    replace(root, "content/notes/proxy-network.md", "The article names four", "The article names [[no-such-document]] four")
    with pytest.raises(SiteError, match="no-such-document"):
        build(root, search=False, jobs=2)
    assert not (root / "site").exists()
    markdown = {path.relative_to(root).as_posix() for path in (root / "content").rglob("*.md")}
    assert set(load_cache(root, load_config(root)).known) == markdown


def test_the_analysis_on_disk_is_unpickled_only_for_note_edits(tmp_path, monkeypatch):
    """A build after an article edit makes an analysis of its own: the saved one is never unpickled (memo.store)."""
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)

    def unpickled(*args):
        raise AssertionError("the saved analysis was unpickled")

    monkeypatch.setattr(analysis_cache, "LinkTargets", unpickled)  # made as the saved analysis is unpickled
    replace(root, ARTICLE, "White House Aide", "White House Official")
    assert "analyse edited notes" not in build(root, search=False).timings
    replace(root, "content/notes/proxy-network.md", "The article names four", "The piece names four")
    with pytest.raises(AssertionError, match="unpickled"):
        build(root, search=False)


def test_a_note_edit_makes_jobs_only_for_the_pages_that_may_have_changed(tmp_path, monkeypatch):
    """Each build after a note edit names its page, its article's and the feed's to make again;
    every other page keeps the last build's key and file (build.pages_to_remake)."""
    root = copy_archive(REPO, tmp_path / "archive")
    with_host(root)  # a sitemap is written only for a base URL with a host
    build(root, search=False)
    every_page = set(load_last_build_keys(root, root / "site"))
    made = record_page_jobs(monkeypatch)
    replace(root, "content/notes/proxy-network.md", "The article names four", "The piece names four")
    build(root, search=False)
    linked = {f"entities/{slug}/index.html" for slug in ("hezbollah", "lebanon", "hamas", "islamic-resistance-in-iraq", "houthi-movement", "yemen")}
    # the note, its article (its margin note) and the pages quoting the edited sentence as a backlink
    assert made[-1] == {"notes/proxy-network/index.html", "articles/iran-facilitating-attacks-us-troops/index.html"} | linked
    first = made[-1]
    replace(root, "content/notes/who-is-who.md", "answered with two carrier groups", "answered with two aircraft carrier groups")
    build(root, search=False)  # the analysis on disk is the first build's: the output's page of the note edited first differs from it too
    assert made[-1] == first | {"notes/who-is-who/index.html", "entities/pentagon/index.html"}
    assert set(load_last_build_keys(root, root / "site")) == every_page

    other = tmp_path / "other-output"  # the same analysis and cache, another output folder built before the edits
    shutil.copytree(root / "site", other)
    shutil.copy(record_path(root, root / "site"), record_path(root, other))
    replace(root, "content/notes/who-is-who.md", "two aircraft carrier groups", "two carrier strike groups")
    build(root, search=False)
    build(root, out=other, search=False)
    cold = copy_archive(root, tmp_path / "cold")
    shutil.rmtree(cold / ".sitegen-cache", ignore_errors=True)
    build(cold, search=False)
    assert snapshot(root / "site") == snapshot(cold / "site") == snapshot(other)

    replace(root, "content/notes/who-is-who.md", "title: Who is who in this story", "title: Who is who")  # lists and the sitemap show titles
    build(root, search=False)
    assert made[-1] == every_page - {"feed.xml", "notes.xml", "sitemap.xml", "robots.txt", *BIBLIOGRAPHY_FILES.values()}


def record_page_jobs(monkeypatch) -> list[set[str]]:
    """The paths of the page jobs each later build makes, one set a build."""
    made: list[set[str]] = []
    original = build_module.page_jobs

    def page_jobs(*args):
        jobs = original(*args)
        made.append({job.path for job in jobs})
        return jobs

    monkeypatch.setattr(build_module, "page_jobs", page_jobs)
    return made


def with_host(root: Path) -> None:
    """Give the archive at `root` a base URL with a host, as the Pages workflow does."""
    config = root / "sitegen.yaml"
    config.write_text(config.read_text().replace("base_url: /\n", "base_url: https://example.org/\n"))
    assert "base_url: https://example.org/" in config.read_text()


def load_last_build_keys(root: Path, out: Path) -> dict[str, str]:
    """The files the build recorded in `out` made, with their keys (rendered files only)."""
    return {path: key for path, key in load_last_build(root, out).keys.items() if key}


def test_without_a_host_a_note_edit_still_makes_only_its_pages_again(tmp_path, monkeypatch):
    """A path-only base URL writes no sitemap: its key must not be expected, or every build would make every page."""
    root = copy_archive(REPO, tmp_path / "archive")
    build(root, search=False)
    made = record_page_jobs(monkeypatch)
    replace(root, "content/notes/proxy-network.md", "The article names four", "The piece names four")
    build(root, search=False)
    assert not (root / "site" / "sitemap.xml").exists()
    assert "404.html" not in made[-1] and "notes/proxy-network/index.html" in made[-1]
