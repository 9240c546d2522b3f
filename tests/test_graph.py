"""The link stage: backlinks quote the sentence as a reader sees it."""

from __future__ import annotations

from generator.build import analyse
from generator.config import load_config
from tests.conftest import REPO


def test_backlink_sentences_show_the_titles_of_label_less_wikilinks():
    analysis = analyse(REPO, load_config(REPO))
    contexts = {link.source_slug: link.context for link in analysis.graph.backlinks[("entity", "john-kirby")]}
    assert contexts["who-is-who"] == "John Kirby speaks for the National Security Council at the White House."
    assert contexts["kirby-facilitating"].endswith("this one sentence from John Kirby.")


def test_wikilinks_to_headings_use_the_heading_ids():
    analysis = analyse(REPO, load_config(REPO))
    hrefs = [href for href, _ in analysis.graph.wikilinks[("note", "unaccounted-for")]]
    assert "/notes/who-is-who/#open-questions" in hrefs
