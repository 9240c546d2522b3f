"""The publishing-safety classes together: one archive hostile in every way the build must take
in stride (leftovers of editors and vaults, YAML 1.1 numbers, clashing tags, a heading named like
the theme's landmarks, Unicode in two normal forms), and the inputs it must refuse, each refused
as one `path:line: message` line with exit 1 and the last good site/ left as it was."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_published import hostile_copy, site_files

ARTICLE = """---
title: 010
authors: [{name: 1.20}]
outlet: 0x1F
archived: 2026-11-20
tags: [C++, C, c#]
---
## Main

{nfd_text}

A family 👨‍👩‍👧 waited on the quay.
"""
NOTE = """---
article: odd-values
quote: {nfc_quote}
tags: [C++, C, c#]
created: 2026-11-21
---
See [[odd-values#main]].
"""
CAFE = "Le café du port ferme ses portes"


@pytest.fixture
def hostile(tmp_path) -> Path:
    root = hostile_copy(tmp_path / "hostile")
    nfd, nfc = unicodedata.normalize("NFD", CAFE), unicodedata.normalize("NFC", CAFE)
    assert nfd != nfc
    (root / "content/articles/odd-values.md").write_text(ARTICLE.replace("{nfd_text}", nfd + " pour l'hiver."), encoding="utf-8")
    (root / "content/notes/cafe.md").write_text(NOTE.replace("{nfc_quote}", nfc), encoding="utf-8")
    return root


def page(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def test_a_hostile_archive_builds_what_it_means_and_nothing_else(hostile, capsys):
    code, _, err = run_cli(capsys, "-C", str(hostile), "build", "--no-search")
    assert code == 0, err
    published = site_files(hostile)
    assert [path for path, data in published.items() if b"SECRET" in data] == []  # vault tokens, git credentials
    assert not any(path.startswith(("notes/deleted-thought", ".obsidian", "articles/.git")) for path in published)
    for path, data in published.items():  # every id on every page is unique
        if path.endswith(".html"):
            ids = re.findall(r'\sid="([^"]+)"', data.decode("utf-8"))
            assert len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))
    article = page(hostile, "articles/odd-values/index.html")
    assert "<title>010" in article and "1.20" in article and "/outlets/0x1f/" in article  # text stays as written
    assert 'id="h-main"' in page(hostile, "articles/odd-values/index.html")
    assert "/articles/odd-values/#h-main" in page(hostile, "notes/cafe/index.html")  # the link finds the heading
    for tag in ("c", "c-plus-plus", "c-sharp"):  # three tags, three pages, the note on each once
        assert page(hostile, f"tags/{tag}/index.html").count("/notes/cafe/") == 1, tag
    code, out, _ = run_cli(capsys, "-C", str(hostile), "anchors")
    assert re.search(r"^(exact|normalized) +content/notes/cafe\.md:3 ", out, re.M), out  # an NFC quote on NFD text anchors
    mark = re.search(r"<mark[^>]*>(.*?)</mark>", article, re.S)
    assert mark and unicodedata.normalize("NFC", re.sub(r"<[^>]+>", "", mark.group(1))) == unicodedata.normalize("NFC", CAFE)


REFUSED = {
    "language-path": ("content/articles/odd-values.md", "archived: 2026-11-20\n", "archived: 2026-11-20\nlanguage: ../../../../evil\n"),
    "escaped-control": ("content/articles/odd-values.md", "title: 010\n", 'title: "A\\0B \\x1b[31m"\n'),
    "note-without-front-matter": ("content/notes/cafe.md", "---\narticle", "\n---\narticle"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_each_hostile_value_is_one_line_at_its_place_and_the_site_stays(hostile, capsys, case):
    assert run_cli(capsys, "-C", str(hostile), "build", "--no-search")[0] == 0
    before = site_files(hostile)
    rel, old, new = REFUSED[case]
    file = hostile / rel
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, _, err = run_cli(capsys, "-C", str(hostile), "build", "--no-search")
    assert code == 1
    errors = [line for line in err.splitlines() if not line.startswith(("warning:", "sitegen:"))]
    assert len(errors) == 1 and re.match(rf"{re.escape(rel)}:\d+: ", errors[0]), err
    assert site_files(hostile) == before
    assert not any(p.name != "evil" and "evil" in p.name for p in hostile.parent.rglob("*evil*"))


def test_a_base_url_browsers_read_as_another_host_is_refused_before_anything_is_written(hostile, capsys):
    code, _, err = run_cli(capsys, "-C", str(hostile), "build", "--no-search", "--base-url", "/\\evil.com/")
    assert code != 0 and "Traceback" not in err and "evil.com" in err
    assert not (hostile / "site").exists()


def test_a_template_error_names_the_template_and_its_line(hostile, capsys):
    (hostile / "templates").mkdir()
    (hostile / "templates/home.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ 1 // 0 }}\n{% endblock %}\n')
    code, _, err = run_cli(capsys, "-C", str(hostile), "build", "--no-search")
    assert code == 1 and re.search(r"^templates/home\.html:3: ", err, re.M), err
    assert not (hostile / "site").exists()
