"""The bundled archive is what the importer produces from the seed, and shows every kind of note."""

from __future__ import annotations

import datetime
import re

from generator.build import analyse
from generator.config import load_config
from generator.importers import article_file_text, import_source
from tests.conftest import REPO

SEED = REPO / "tests" / "fixtures" / "import" / "seed" / "newsweek-iran.txt"  # a copy of shared/seeds/000_3e0a79a4b988cc51.txt
ARTICLE = REPO / "content" / "articles" / "iran-facilitating-attacks-us-troops.md"


def test_bundled_article_is_the_importers_output():
    bundled = ARTICLE.read_text()
    archived = re.search(r"^archived: '?(\d{4}-\d{2}-\d{2})'?$", bundled, re.M).group(1)
    imported = import_source(
        SEED.read_bytes(), origin=str(SEED), today=datetime.date.fromisoformat(archived), tags=("iran", "middle-east")
    )
    imported = type(imported)("iran-facilitating-attacks-us-troops", imported.front_matter, imported.body)
    assert article_file_text(imported) == bundled


def test_bundled_notes_show_every_case():
    root = REPO
    analysis = analyse(root, load_config(root))
    tiers = {slug: anchor.tier for slug, anchor in analysis.anchors.items()}
    notes = {n.slug: n for n in analysis.archive.notes}
    assert "exact" in tiers.values() and "normalized" in tiers.values()
    assert any(n.article and n.quote is None for n in notes.values()), "an article-level note"
    assert any(n.article is None for n in notes.values()), "a standalone note"
    spans = sorted((a.start, a.end) for a in analysis.anchors.values() if a.tier in ("exact", "normalized"))
    assert any(s2 < e1 for (s1, e1), (s2, e2) in zip(spans, spans[1:])), "two overlapping highlights"
    text = analysis.bodies[("article", "iran-facilitating-attacks-us-troops")].text
    assert any("\n\n" in text[a.start : a.end] for a in analysis.anchors.values() if a.tier != "none"), "a highlight across paragraphs"
    linked_kinds = {(link.source_kind, target_kind) for (target_kind, _), links in analysis.graph.backlinks.items() for link in links}
    assert ("note", "note") in linked_kinds and ("note", "entity") in linked_kinds
    assert not analysis.warnings
