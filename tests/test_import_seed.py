"""The seed article (a Newsweek page copied as plain text) imports exactly right, field by field."""

from __future__ import annotations

import datetime
import pathlib

import yaml

from generator.importers import article_file_text, import_source

SEED = pathlib.Path(__file__).parent / "fixtures" / "import" / "seed" / "newsweek-iran.txt"
TODAY = datetime.date(2026, 11, 24)


def _import():
    return import_source(SEED.read_bytes(), origin="seed.txt", today=TODAY)


def test_seed_front_matter() -> None:
    front = _import().front_matter
    assert front == {
        "title": "Iran Is 'Facilitating' Attacks On US Middle East Troops: White House Aide",
        "subtitle": None,
        "authors": [{
            "name": "Daniel Bush",
            "role": "White House Correspondent",
            "bio": "Daniel Bush is a White House Correspondent for Newsweek. "
                   "He reports on President Biden, national politics and foreign affairs.",
        }],
        "outlet": "Newsweek",
        "source_url": None,
        "published": None,
        "archived": "2026-11-24",
        "language": "en",
        "tags": [],
        "images": [{
            "title": "Gaza humanitarian aid",
            "caption": "Distribution of medical aid and medicines to Nasser Medical Hospital is seen in the city of "
                       "Khan Yunis in the southern Gaza Strip.",
            "credit": "Ahmad Hasaballah/Getty Images",
            "photographer": "Ahmad Hasaballah",
            "agency": "Getty Images",
            "src": None,
            "alt": None,
            "after_paragraph": 9,
        }],
    }


def test_seed_slug() -> None:
    assert _import().slug == "iran-is-facilitating-attacks-on-us-middle-east-troops-white"


def test_seed_body_keeps_every_sentence_and_nothing_else() -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    article_lines = lines[2 : lines.index("Uncommon Knowledge")]
    caption = {"Gaza humanitarian aid", next(line for line in lines if line.endswith("Ahmad Hasaballah/Getty Images"))}
    expected = [line for line in article_lines if line.strip() and line not in caption]
    body = _import().body
    assert body.split("\n\n") == expected
    for boilerplate in ("Uncommon Knowledge", "committed", "About the writer", "Read more", "AI", "cover", "•"):
        assert boilerplate not in body


def test_seed_image_follows_the_paragraph_it_followed() -> None:
    article = _import()
    paragraphs = article.body.split("\n\n")
    after = article.front_matter["images"][0]["after_paragraph"]
    assert paragraphs[after - 1] == "Newsweek reached out to Iran's Ministry of Foreign Affairs for comment."


def test_seed_file_text_round_trips() -> None:
    article = _import()
    text = article_file_text(article)
    assert text.startswith("---\n") and text.endswith(article.body + "\n")
    _, front, body = text.split("---\n", 2)
    assert yaml.safe_load(front) == article.front_matter
    assert body == "\n" + article.body + "\n"
