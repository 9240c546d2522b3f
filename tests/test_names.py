"""How an author's name is split for citations (generator/names.py): only where the name supports it."""

from __future__ import annotations

import pytest

from conftest import REPO, copy_archive
from generator.build import analyse
from generator.config import load_config
from generator.names import CitedName, cited_name
from generator.records import Author


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Daniel Bush", CitedName(family="Bush", given="Daniel")),
        ("Martin Luther King Jr.", CitedName(family="King", given="Martin Luther", suffix="Jr.")),
        ("King, Martin Luther, Jr.", CitedName(family="King", given="Martin Luther", suffix="Jr.")),
        ("Henry Ford III", CitedName(family="Ford", given="Henry", suffix="III")),
        ("Vincent van Gogh", CitedName(family="Gogh", given="Vincent", particle="van")),
        ("Ursula von der Leyen", CitedName(family="Leyen", given="Ursula", particle="von der")),
        ("Guillermo de la Fuente", CitedName(family="Fuente", given="Guillermo", particle="de la")),
        ("Beethoven, Ludwig van", CitedName(family="Beethoven", given="Ludwig", particle="van", particle_drops=True)),
        ("Oscar De La Hoya", CitedName(family="De La Hoya", given="Oscar")),
        ("Dr. Jane Roe", CitedName(family="Roe", given="Jane")),
        ("John Smith PhD", CitedName(family="Smith", given="John")),
        ("Владимир Путин", CitedName(family="Путин", given="Владимир")),
        ("Kim, Jong Un", CitedName(family="Kim", given="Jong Un")),
        ("Madonna", CitedName(literal="Madonna")),
        ("习近平", CitedName(literal="习近平")),
        ("محمد بن سلمان", CitedName(literal="محمد بن سلمان")),
        ("Newsweek Staff", CitedName(literal="Newsweek Staff")),
        ("The Editorial Board", CitedName(literal="The Editorial Board")),
        ("Jane Roe and John Doe", CitedName(literal="Jane Roe and John Doe")),
        ("Ann O'Hara & Co", CitedName(literal="Ann O'Hara & Co")),
        ("Judge Judy", CitedName(literal="Judge Judy")),
    ],
)
def test_a_name_is_split_only_where_it_supports_a_split(name, expected):
    assert cited_name(Author(name, "x"), "Newsweek") == expected


def test_an_author_marked_as_an_organisation_stays_whole():
    assert cited_name(Author("Associated Press", "associated-press", organization=True), "Newsweek") == CitedName(literal="Associated Press")
    assert cited_name(Author("Associated Press", "associated-press"), "Newsweek").family == "Press", "unmarked, it reads as a person's name"


def test_an_author_named_like_an_organisation_entity_but_not_marked_is_a_warning(tmp_path):
    """The bundled archive has the organisation entity 'associated-press' (alias AP)."""
    root = copy_archive(REPO, tmp_path / "archive")
    article = "---\ntitle: Wire copy\nauthors: [{authors}]\noutlet: Example Times\n---\nText.\n"
    (root / "content/articles/unmarked.md").write_text(article.format(authors="AP"))
    (root / "content/articles/marked.md").write_text(article.format(authors="{name: Associated Press, organization: true}"))
    warnings = [str(w) for w in analyse(root, load_config(root)).warnings if "organization entity" in w.message]
    assert warnings == [
        "content/articles/unmarked.md:3: author 'AP' is the organization entity 'associated-press': "
        "add 'organization: true' to the author so citations keep the name whole"
    ]
