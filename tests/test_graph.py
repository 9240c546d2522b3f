"""The link stage: backlinks quote the sentence as a reader sees it; entity names are found whole."""

from __future__ import annotations

from generator.build import analyse
from generator.config import load_config
from generator.errors import SourceLoc
from generator.graph import NameMatcher
from generator.records import Entity
from tests.conftest import REPO, copy_archive


def test_backlink_sentences_show_the_titles_of_label_less_wikilinks():
    analysis = analyse(REPO, load_config(REPO))
    contexts = {link.source_slug: link.context for link in analysis.graph.backlinks[("entity", "john-kirby")]}
    assert contexts["who-is-who"] == "John Kirby speaks for the National Security Council at the White House."
    assert contexts["kirby-facilitating"].endswith("this one sentence from John Kirby.")


def test_wikilinks_to_headings_use_the_heading_ids():
    analysis = analyse(REPO, load_config(REPO))
    hrefs = [href for href, _ in analysis.graph.wikilinks[("note", "unaccounted-for")]]
    assert "/notes/who-is-who/#open-questions" in hrefs


def entity(slug: str, name: str, *aliases: str) -> Entity:
    return Entity(slug=slug, loc=SourceLoc(f"content/entities/{slug}.md"), name=name, kind="person", body="", body_line=1, aliases=aliases)


def test_names_are_found_whole_longest_first_and_never_overlapping():
    matcher = NameMatcher(
        (
            entity("joe", "Joe"),
            entity("biden", "Joe Biden", "Biden", "President Biden"),
            entity("us", "United States", "U.S."),
            entity("army", "U.S. Army"),
        )
    )
    text = "Joe Biden met Joe. Joey and McJoe did not. President Biden thanked the U.S. Army, not the U.S.A; Biden left."
    found = [(text[start:end], who.slug) for start, end, who in matcher.find(text)]
    assert found == [
        ("Joe Biden", "biden"),  # longer than "Joe", which starts there too
        ("Joe", "joe"),
        ("President Biden", "biden"),  # not "Biden" inside it
        ("U.S. Army", "army"),
        ("Biden", "biden"),
    ]  # "Joey", "McJoe" and "U.S.A" are not whole words


def test_a_matcher_without_names_finds_nothing():
    assert not NameMatcher(())
    assert list(NameMatcher(()).find("Anything at all.")) == []


def test_a_name_two_entities_give_is_a_warning_at_the_second(tmp_path):
    root = copy_archive(REPO, tmp_path / "archive")
    (root / "content/entities/persia.md").write_text("---\nname: Persia\nkind: place\naliases: [Iran]\n---\nAn older name.\n")
    analysis = analyse(root, load_config(root))
    assert [str(w) for w in analysis.warnings] == ["content/entities/persia.md: 'Iran' also names entity 'iran': its mentions count for 'iran' only"]
    assert "iran" in analysis.graph.entities_in["iran-facilitating-attacks-us-troops"]
    assert "persia" not in analysis.graph.entities_in["iran-facilitating-attacks-us-troops"]
