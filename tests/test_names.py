"""How an author's name is split for citations (generator/names.py): only where the name supports it."""

from __future__ import annotations

import pytest

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
