"""Fixture sites under tests/fixtures/sites/ whose composed bodies must match their golden files.

The golden files hold each article's body HTML as composed (highlights, margin notes,
wikilinks, entity links, figures), the heart of what sitegen adds; theme chrome is
tested by the validator and browser tests instead. Set SITEGEN_UPDATE_GOLDEN=1 to
rewrite them after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import analyse, build
from generator.config import load_config
from generator.emit.bodies import ComposedBodies
from generator.emit.pages import SiteData, prepare_environment
from generator.theme import make_environment
from tests.conftest import need_tool

SITES = Path(__file__).parent / "fixtures" / "sites"
GOLDEN = sorted(p.name for p in SITES.iterdir() if (p / "expected").is_dir())


def composed_bodies(root: Path) -> dict[str, str]:
    config = load_config(root)
    analysis = analyse(root, config)
    env = make_environment(root, config)
    prepare_environment(env, SiteData(analysis, assets={}))
    html = ComposedBodies(analysis.archive, analysis.bodies, analysis.anchors, analysis.graph, env)
    return {slug: html[(kind, slug)] for kind, slug in html if kind == "article"}


@pytest.mark.parametrize("site", GOLDEN)
def test_composed_bodies_match_golden_files(site):
    root = SITES / site
    for slug, body in composed_bodies(root).items():
        golden = root / "expected" / f"{slug}.body.html"
        if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
            golden.write_text(body)
        assert body == golden.read_text(), f"{golden} differs; rerun with SITEGEN_UPDATE_GOLDEN=1 and review"


class _Balance(HTMLParser):
    """Checks that every element opened is closed in order (marks never straddle tags)."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_highlights_fixture_is_well_nested_and_escaped():
    body = composed_bodies(SITES / "highlights")["harbour-vote"]
    checker = _Balance()
    checker.feed(body)
    assert checker.problems == [] and checker.stack == []
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert body.count('id="note-whole-decision"') == 1
    assert body.count('class="hl" data-note="ramp-and-lights"') == 2  # one mark per list item
    markers = re.findall(r'class="hl-ref" href="#margin-([^"]+)"[^>]*><span class="visually-hidden">Note </span>(\d+)</a>', body)
    notes = re.findall(r'id="margin-([^"]+)"[^>]*aria-label="Note (\d+)"', body)
    assert markers == notes and [int(n) for _, n in markers] == list(range(1, len(markers) + 1))  # one numbered marker per note
    assert 'id="note-lost-quote"' not in body  # an orphan is never placed
    marked = "".join(re.findall(r'data-note="vote-margin">([^<]*)<', body))
    assert marked == "voted nine to two on Monday"


def test_highlights_fixture_passes_the_nu_checker(tmp_path):
    java = shutil.which("java")
    vnu = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    need_tool(bool(java) and vnu.exists(), "Nu checker needs java and node_modules/vnu-jar (npm install)")
    shutil.copytree(SITES / "highlights", tmp_path / "site-src")
    build(tmp_path / "site-src", search=False)

    page = tmp_path / "site-src" / "site" / "articles" / "harbour-vote" / "index.html"
    result = subprocess.run([java, "-jar", str(vnu), "--errors-only", str(page)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
