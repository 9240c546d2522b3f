"""The docs stay true: the quick start's commands run as written, and every relative link in the docs and the
README leads to a file (and heading) that exists. A reader who follows the docs must not hit a dead end."""

import ast
import os
import re
import subprocess
from pathlib import Path

import pytest

from generator import schema_reference
from generator.config import CONFIG_FIELDS
from quickstart_helpers import from_this_checkout, run_quickstart, runnable_blocks

REPO = Path(__file__).resolve().parent.parent
QUICKSTART = REPO / "docs" / "quickstart.md"

FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def test_quickstart_marks_blocks_to_run():
    assert len(runnable_blocks(QUICKSTART.read_text(encoding="utf-8"))) >= 5


def test_quickstart_blocks_run_in_order(tmp_path):
    archive = run_quickstart(tmp_path)
    assert (archive / "site" / "entities" / "megan-torres" / "index.html").is_file()


def test_quickstart_ends_on_the_picture_of_its_site():
    """The walk ends by showing what it made: the picture scripts/screenshot.py --quickstart takes."""
    text = QUICKSTART.read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]+\]\((images/[^)]+)\)", text)
    assert pictures and pictures[-1] == "images/quickstart.png"
    assert text.rindex("images/quickstart.png") > text.rindex("<!-- run -->")
    assert (REPO / "docs" / "images" / "quickstart.png").is_file()


def heading_anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces turned into hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors_of(markdown_file: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for heading in HEADING.findall(FENCE.sub("", markdown_file.read_text(encoding="utf-8"))):
        anchor = heading_anchor(heading)
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        anchors.add(anchor if count == 0 else f"{anchor}-{count}")
    return anchors


def relative_links(markdown_file: Path) -> list[str]:
    text = FENCE.sub("", markdown_file.read_text(encoding="utf-8"))
    return [target for target in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


DOC_FILES = sorted((REPO / "docs").glob("*.md")) + [REPO / "README.md"]


@pytest.mark.parametrize("doc", DOC_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_lead_somewhere(doc):
    broken = []
    for target in relative_links(doc):
        path_part, _, anchor = target.partition("#")
        linked = (doc.parent / path_part).resolve() if path_part else doc
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors_of(linked):
            broken.append(f"{target}: no heading #{anchor}")
    assert not broken, f"{doc.relative_to(REPO)}: " + "; ".join(broken)


def test_heading_anchor_follows_github():
    assert heading_anchor("## `sitegen init DIR`".lstrip("# ")) == "sitegen-init-dir"
    assert heading_anchor("Building: the disk, the cache, other builds, Ctrl-C") == \
        "building-the-disk-the-cache-other-builds-ctrl-c"


def test_docs_index_lists_every_page():
    """docs/README.md is the way in: a page it does not list is a page no reader finds."""
    listed = set(relative_links(REPO / "docs" / "README.md"))
    missing = [p.name for p in sorted((REPO / "docs").glob("*.md")) if p.name != "README.md" and p.name not in listed]
    assert not missing, f"docs/README.md does not list {missing}"


@pytest.mark.parametrize("path", sorted(schema_reference.REFERENCES), ids=lambda p: p.name)
def test_schema_references_match_the_code(path):
    """docs/config.md and docs/fields.md are written from the schemas: a key added, renamed, re-described or
    given another default or limit without `python -m generator.schema_reference` fails here."""
    assert path.read_text(encoding="utf-8") == schema_reference.REFERENCES[path](), \
        f"docs/{path.name} is out of date: run python -m generator.schema_reference"


def test_every_schema_field_is_described():
    """A field without a description would be a blank cell in the reference."""
    schemas = [CONFIG_FIELDS] + [row[-1] for row in schema_reference.FRONT_MATTER]
    blank = [key for schema in schemas for key, spec in schema.items() if not spec.doc or not spec.written_shape]
    assert not blank


def message_parts(node: ast.expr) -> list[str] | None:
    """The literal parts of a message written as a string, an f-string or a sum of them (the
    placeholders split it); None for a message held in a variable or made by a call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = [""]
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts[-1] += value.value
            else:
                parts.append("")
        return parts
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = message_parts(node.left), message_parts(node.right)
        if left is None or right is None:
            return None
        return left[:-1] + [left[-1] + right[0]] + right[1:]
    return None


def messages_in_code() -> list[tuple[str, list[str]]]:
    """(where, literal parts) of every message the generator reports: `SiteError.at(loc, message)`,
    `log.error(loc, message)`, `log.warn(loc, message)`, and `Invalid(message)` (shown after "field 'x' ")."""
    found = []
    for path in sorted((REPO / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            if isinstance(function, ast.Attribute) and function.attr == "at" and ast.unparse(function.value) == "SiteError" and len(node.args) == 2:
                message = node.args[1]
            elif isinstance(function, ast.Attribute) and function.attr in ("error", "warn") and len(node.args) == 2:
                message = node.args[1]
            elif isinstance(function, ast.Name) and function.id == "Invalid" and node.args:
                message = node.args[0]
            else:
                continue
            parts = message_parts(message)
            if parts is not None:
                found.append((f"{path.relative_to(REPO)}:{node.lineno}", parts))
    return found


def test_messages_are_found_in_the_code():
    """The scan below sees the messages it is meant to check (a scan that found none would pass anything)."""
    found = {"".join(parts) for _, parts in messages_in_code()}
    assert len(found) > 100
    assert "the quote is empty" in found and "must not be empty" in found


def test_every_message_in_the_code_is_in_errors_md():
    """Every message the code reports, its wording between the placeholders, is in docs/errors.md: a new or
    reworded message without its entry (and its fix) fails here. Messages made by a helper function or held in a
    variable are not seen by this scan."""
    errors_md = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    missing = [f"{where}: {'{…}'.join(parts)}" for where, parts in messages_in_code()
               if any(len(part.strip()) >= 6 and part.strip() not in errors_md for part in parts)]
    assert not missing, "not in docs/errors.md:\n" + "\n".join(missing)


THEME_TEMPLATES = REPO / "themes" / "default" / "templates"
THEMES_MD = REPO / "docs" / "themes.md"


def themes_table_rows() -> dict[str, str]:
    """docs/themes.md's table of templates: each template named in its first cell, with the blocks cell."""
    text = THEMES_MD.read_text(encoding="utf-8")
    table = text[text.index("| template | makes | blocks it fills |"):]
    table = table[: table.index("\n\n")]
    rows = {}
    for line in table.splitlines()[2:]:
        first, _, blocks = line.strip("|").split("|")
        for name in re.findall(r"`([^`]+\.html)`", first):
            rows[name] = blocks
    return rows


def test_themes_md_lists_every_template_with_its_blocks():
    """Every template of the default theme is in the table, with exactly the blocks it defines: a block renamed
    or added in a template without the docs would send a theme's override to a block that no longer exists."""
    import jinja2

    rows = themes_table_rows()
    environment = jinja2.Environment()
    templates = sorted(path.relative_to(THEME_TEMPLATES).as_posix() for path in THEME_TEMPLATES.rglob("*.html"))
    assert sorted(rows) == templates
    wrong = []
    for name in templates:
        tree = environment.parse((THEME_TEMPLATES / name).read_text(encoding="utf-8"))
        blocks = {block.name for block in tree.find_all(jinja2.nodes.Block)}
        listed = set(re.findall(r"`(\w+)`", rows[name]))
        if blocks != listed:
            wrong.append(f"{name}: defines {sorted(blocks)}, docs/themes.md lists {sorted(listed)}")
    assert not wrong, "\n".join(wrong)


def test_themes_md_names_every_helper_a_template_gets():
    """Every global and filter the page environment gets (generator/emit/pages.py) is described in docs/themes.md."""
    source = (REPO / "generator" / "emit" / "pages.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    template_globals = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "template_globals")
    returned = next(node.value for node in ast.walk(template_globals) if isinstance(node, ast.Return))
    names = {key.value for key in returned.keys}
    names |= set(re.findall(r'env\.(?:filters|globals)\["(\w+)"\]', source))
    renders = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and ast.unparse(node.func) == "template.render"]
    names |= {keyword.arg for call in renders for keyword in call.keywords if keyword.arg}
    assert {"site", "url", "human_date", "body_html", "page_path", "canonical"} <= names
    documented = set(re.findall(r"`(\w+)", THEMES_MD.read_text(encoding="utf-8")))
    assert not names - documented, f"docs/themes.md does not describe {sorted(names - documented)}"


EXAMPLE_COMMANDS = re.compile(r"<!-- run on the examples -->\s*\n```sh\n(.*?)```", re.DOTALL)
EXAMPLE_FILE = re.compile(r"<!-- file: (content/\S+\.md) -->\s*\n```markdown\n(.*?)```", re.DOTALL)


def test_example_files_in_the_docs_build_without_a_warning(tmp_path):
    """The example article, note and entity the concept pages show are files the build takes as they are
    written, with not even a warning (`check --strict`): a reader who copies one gets a working file. The
    commands shown on them (marked `<!-- run on the examples -->`) then work on those files."""
    from generator.cli import main

    examples = [match for doc in DOC_FILES for match in EXAMPLE_FILE.findall(doc.read_text(encoding="utf-8"))]
    assert {path.split("/")[1] for path, _ in examples} == {"articles", "notes", "entities"}
    for path, text in examples:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    assert main(["-C", str(tmp_path), "check", "--strict"]) == 0
    commands = [block for doc in DOC_FILES for block in EXAMPLE_COMMANDS.findall(doc.read_text(encoding="utf-8"))]
    assert commands
    for block in commands:
        done = subprocess.run(["bash", "-c", f"set -e\n{from_this_checkout(block)}"], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{block}\n{done.stdout}\n{done.stderr}"
    assert main(["-C", str(tmp_path), "check", "--strict"]) == 0


def test_urls_md_names_everything_a_build_writes_at_the_top_of_the_site(bundled_site):
    """Every file and folder a build writes at the top of the site is in docs/urls.md (its tables name each as
    `name`, `/name/` or `/name/<slug>/`): a new output without its row fails here."""
    urls_md = (REPO / "docs" / "urls.md").read_text(encoding="utf-8")
    named = {name.strip("/").split("/")[0] for name in re.findall(r"`(/?[\w.-]+)(?:/[^`]*)?`", urls_md)}
    written = {path.name for path in bundled_site.iterdir()} - {"index.html"}
    assert {"articles", "feed.xml", "static", "pagefind"} <= written
    assert not written - named, f"docs/urls.md does not say what {sorted(written - named)} are"
