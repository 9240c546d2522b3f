"""docs/config.md and docs/fields.md, the references of `sitegen.yaml` and of front-matter, written from
the schemas the build checks files with (CONFIG_FIELDS, and the *_FIELDS of content/parse.py).

`python -m generator.schema_reference` rewrites both; tests/test_docs.py renders them again and compares,
so a key added, renamed, re-described or given another default or limit cannot leave its reference behind.
"""

from __future__ import annotations

import sys
from dataclasses import MISSING, fields
from pathlib import Path

from generator.config import CONFIG_FIELDS, CONFIG_NAME, Config
from generator.content.parse import ARTICLE_FIELDS, AUTHOR_FIELDS, ENTITY_FIELDS, IMAGE_FIELDS, NOTE_FIELDS
from generator.content.schema import Field

DOCS = Path(__file__).resolve().parent.parent / "docs"
GENERATED = "Written from sitegen's schemas by `python -m generator.schema_reference`: do not edit it by hand (a test checks that it matches the code)."


def config_reference() -> str:
    defaults = {field.name: field.default for field in fields(Config) if field.default is not MISSING}
    rows = [(key, spec, defaults[key]) for key, spec in CONFIG_FIELDS.items()]
    return "\n".join([
        "# sitegen.yaml reference\n",
        f"{GENERATED}\n",
        f"`{CONFIG_NAME}`, at the top of the archive, is optional and so is every key in it. An unknown key is an error "
        "with a \"did you mean\" hint; a key written without a value (`language:`, `~`) keeps its default. "
        "Text is taken as written (see [values](content.md#values)).\n",
        "| key | what it sets | value | default |",
        "|---|---|---|---|",
        *(f"| `{key}` | {cell(spec.doc)} | {cell(spec.written_shape)} | {shown_default(default)} |" for key, spec, default in rows),
        "",
    ])


FRONT_MATTER = (  # (heading, where the fields are written, the concept page: its title and address, schema)
    ("Articles", "content/articles/<slug>.md", "Articles", "articles.md", ARTICLE_FIELDS),
    ("Authors", "each item of an article's `authors`, when it is a mapping rather than a name", "Authors' names", "articles.md#authors-names", AUTHOR_FIELDS),
    ("Images", "each item of an article's `images`", "Images", "articles.md#images", IMAGE_FIELDS),
    ("Notes", "content/notes/<slug>.md", "Notes and highlights", "notes.md", NOTE_FIELDS),
    ("Entities", "content/entities/<slug>.md", "Entities", "entities.md", ENTITY_FIELDS),
)


def fields_reference() -> str:
    parts = [
        "# Front-matter reference\n",
        f"{GENERATED}\n",
        "Every field an article, note or entity may have in its front-matter, the YAML between the `---` lines at the top "
        "of the file. A field that is not listed is an error with a \"did you mean\" hint; a field left empty (or `~`) takes "
        "its default. Text is taken as written (see [values](content.md#values)).\n",
    ]
    for title, where, guide_title, guide, schema in FRONT_MATTER:
        where_text = f"`{where}`" if where.startswith("content/") else where
        parts.append(f"## {title}\n")
        parts.append(f"{where_text[0].upper()}{where_text[1:]}; more in [{guide_title}]({guide}).\n")
        parts.append(field_table(schema))
    return "\n".join(parts)


def field_table(schema: dict[str, Field]) -> str:
    rows = ["| field | what it holds | value | required | default |", "|---|---|---|---|---|"]
    for key, spec in schema.items():
        rows.append(f"| `{key}` | {cell(spec.doc)} | {cell(spec.written_shape)} | {'yes' if spec.required else ''} | {shown_default(spec.default)} |")
    return "\n".join(rows) + "\n"


def shown_default(value: object) -> str:
    """A default as it would be written in YAML; nothing for none (an empty list is none too)."""
    if value is None or value in ([], ()):
        return ""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    return f"`{value}`"


def cell(text: str) -> str:
    return text.replace("|", "\\|")


REFERENCES = {DOCS / "config.md": config_reference, DOCS / "fields.md": fields_reference}


def main() -> int:
    for path, render in REFERENCES.items():
        path.write_text(render(), encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
