"""`sitegen export --format w3c` against the W3C's own tests of the Web Annotation Data Model.

tests/fixtures/w3c-annotation-model/ holds the JSON schemas of the model's MUST rules as the
W3C test suite has them (its README says where from); each `*Musts.test` lists the schemas
an annotation, a collection or a page must satisfy. The export is checked with each one, as
the suite's own runner does, formats (uri, date-time) included.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from conftest import REPO, copy_archive
from generator.export import export_archive

SUITE = Path(__file__).resolve().parent / "fixtures" / "w3c-annotation-model"


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


# The suite's shared definitions, found by the bare file names its schemas refer to ("id.json#/...").
DEFINITIONS = Registry().with_resources(
    (path.name, Resource.from_contents(load(path), default_specification=DRAFT4)) for path in sorted((SUITE / "definitions").glob("*.json"))
)


def broken_rules(instance, test: str) -> list[str]:
    """The MUST rules of `test` (a `*.test` file of the suite) that `instance` breaks, by their error messages."""
    broken = []
    for assertion in load(SUITE / test)["assertions"]:
        schema = load(SUITE / assertion)
        validator = Draft4Validator(schema, registry=DEFINITIONS, format_checker=Draft4Validator.FORMAT_CHECKER)
        if validator.is_valid(instance) != (schema.get("expectedResult", "valid") == "valid"):
            broken.append(f"{assertion}: {schema['errorMessage']}")
    return broken


def test_the_suite_catches_a_broken_annotation():
    """The schemas are read and their references found: a valid annotation passes, broken ones fail."""
    good = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://example.org/anno/1",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "A note"},
        "target": {"source": "https://example.org/page", "selector": {"type": "TextQuoteSelector", "exact": "words"}},
    }
    assert broken_rules(good, "annotations/annotationMusts.test") == []
    assert broken_rules({**good, "id": "not a uri"}, "annotations/annotationMusts.test")
    assert broken_rules({**good, "created": "2024-05-07"}, "annotations/annotationMusts.test"), "created must be a date-time"
    assert broken_rules({**good, "bodyValue": "x"}, "annotations/annotationMusts.test")
    no_exact = {**good, "target": {"source": "https://example.org/page", "selector": {"type": "TextQuoteSelector"}}}
    assert broken_rules(no_exact, "annotations/annotationMusts.test")


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> dict:
    """The export of the bundled archive plus a dated note with tags, an orphan and a standalone note."""
    root = copy_archive(REPO, tmp_path_factory.mktemp("w3c"))
    (root / "sitegen.yaml").write_text("title: W3C test\nbase_url: https://example.org/repo/\n")
    (root / "content/articles/second.md").write_text(
        textwrap.dedent(
            """\
            ---
            title: A second piece
            authors: [Jane Roe]
            outlet: Example Times
            source_url: https://times.example.com/second
            archived: 2024-05-07
            ---
            Short text about budgets and bridges.
            """
        )
    )
    (root / "content/notes/on-second.md").write_text("---\narticle: second\nquote: budgets and bridges\ntags: [money, roads]\ncreated: 2024-05-08\n---\nA comment.\n")
    (root / "content/notes/highlight-only.md").write_text("---\narticle: second\nquote: Short text\n---\n")
    (root / "content/notes/lost.md").write_text("---\narticle: second\nquote: words that are not there\n---\nLost.\n")
    (root / "content/notes/standalone.md").write_text("---\ntitle: Alone\n---\nNo article.\n")
    return json.loads(export_archive(root, "w3c"))


def test_every_exported_annotation_meets_the_models_must_rules(collection):
    items = collection["first"]["items"]
    assert len(items) == 9, "six notes of the bundled archive, three on the second article"
    assert {annotation["id"].removeprefix("https://example.org/repo/notes/") for annotation in items} >= {"on-second/", "highlight-only/", "lost/"}
    for annotation in items:
        standalone = {"@context": collection["@context"], **annotation}  # as one annotation is published alone
        assert broken_rules(standalone, "annotations/annotationMusts.test") == [], annotation["id"]


def test_the_collection_and_its_page_meet_the_models_must_rules(collection):
    assert broken_rules(collection, "collections/collectionMusts.test") == []
    page = {"@context": collection["@context"], **collection["first"]}
    assert broken_rules(page, "collections/pages/pageMusts.test") == []
