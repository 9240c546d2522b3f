"""Every import fixture, in both its HTML and plain-text form, imports to its expected front-matter.

Each folder under tests/fixtures/import/{dev,dev-handwritten}/ holds one invented article in one outlet's shape
(`page.html`, `page.txt`) and `expected.yaml` with the front-matter each form must give (without `archived`).
"""

from __future__ import annotations

import datetime
import pathlib

import pytest
import yaml

from generator.importers import import_source

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "import"
TODAY = datetime.date(2026, 11, 24)
CASES = sorted(p for group in ("dev", "dev-handwritten") for p in (FIXTURES / group).glob("*/expected.yaml"))


def _params():
    for path in CASES:
        for form in ("html", "text"):
            yield pytest.param(path.parent, form, id=f"{path.parent.parent.name}/{path.parent.name}/{form}")


@pytest.mark.parametrize(("folder", "form"), list(_params()))
def test_fixture_front_matter(folder: pathlib.Path, form: str) -> None:
    """Known limitations are listed in the fixture with the reason; they must still be wrong (so the list stays
    true), and every other field must be right."""
    record = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    expected = record[form]
    source = folder / ("page.html" if form == "html" else "page.txt")
    article = import_source(source.read_bytes(), origin=str(source), today=TODAY)
    front = dict(article.front_matter)
    assert front.pop("archived") == TODAY.isoformat()
    for field in record.get("known_limitations", {}).get(form, {}):
        assert front.pop(field) != expected.pop(field), f"{field} is now right: remove it from known_limitations"
    assert front == expected
    assert list(article.front_matter) == [
        "title", "subtitle", "authors", "outlet", "source_url", "published", "archived", "language", "tags", "images"
    ]


@pytest.mark.parametrize("folder", [p.parent for p in CASES], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_text_body_keeps_every_paragraph(folder: pathlib.Path) -> None:
    """Every paragraph the expected file lists is in the body word for word, in both forms."""
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    for form, name in (("html", "page.html"), ("text", "page.txt")):
        article = import_source((folder / name).read_bytes(), origin=name, today=TODAY)
        body = article.body.replace("\\", "")
        for paragraph in expected.get("paragraphs", []):
            assert paragraph in body, f"{form}: missing {paragraph!r}"
        for line in expected.get("not_in_body", []):
            assert line not in body, f"{form}: boilerplate kept {line!r}"
