"""`sitegen entity`: add a person, organization or place to content/entities/ in one command.

The file is checked with the build's own rules before it is written, is never written over
another and takes no slug an entity in any subfolder has (the next build would fail on it).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from generator.content.load import read_text, slugs_in
from generator.content.parse import parse_entity
from generator.errors import ProblemLog, SiteError, SourceLoc
from generator.records import SourceFile
from generator.slugs import readable_slug


def entity_text(name: str, kind: str, aliases: tuple[str, ...], url: str | None, body: str) -> str:
    """The entity file, in the layout of the bundled ones: `aliases: [A, B]` on one line."""
    lines = [dumped({"name": name, "kind": kind})]
    if aliases:
        lines.append(yaml.safe_dump({"aliases": list(aliases)}, allow_unicode=True, width=100000, default_flow_style=None))
    if url:
        lines.append(dumped({"url": url}))
    text = "---\n" + "".join(lines) + "---\n"
    return text + (body.strip("\n") + "\n" if body.strip() else "")


def dumped(fields: dict[str, str]) -> str:
    return yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100000, default_flow_style=False)


def write_entity(
    root: Path,
    name: str,
    kind: str,
    *,
    aliases: tuple[str, ...] = (),
    url: str | None = None,
    slug: str | None = None,
    body: str = "",
) -> Path:
    """Write content/entities/<slug>.md (slug: from the name unless given); returns its path."""
    folder = root / "content" / "entities"
    slug = slug or readable_slug(name)
    existing = slugs_in(folder)
    taken = existing.get(slug)
    if taken is not None:
        raise SiteError.at(SourceLoc(taken.relative_to(root).as_posix()), "an entity with this slug exists already; choose another --slug")
    for path in existing.values():
        refuse_shared_name(root, path, (name, *aliases))
    rel = f"content/entities/{slug}.md"
    text = entity_text(name, kind, aliases, url, body)
    log = ProblemLog()
    parse_entity(SourceFile(rel, "entities", text), log)
    log.raise_errors()
    folder.mkdir(parents=True, exist_ok=True)
    create_new(folder / f"{slug}.md", text)
    return Path(rel)


def refuse_shared_name(root: Path, path: Path, names: tuple[str, ...]) -> None:
    """Refuse a name or alias that the entity at `path` gives already: the build would count its
    mentions for one of the two only, with a warning ("'AP' also names entity ..."). A file
    the build would refuse is left to the build to report."""
    rel = path.relative_to(root).as_posix()
    log = ProblemLog()
    try:
        other = parse_entity(SourceFile(rel, "entities", read_text(path, root, rel)), log)
    except SiteError:
        return
    if other is None:
        return
    for name in names:
        if name == other.name or name in other.aliases:
            raise SiteError.at(SourceLoc(rel), f"'{name}' names this entity already; add to it, or give the new one another name")


def create_new(target: Path, text: str) -> None:
    """Write `text` to `target` whole or not at all, never over a file that appeared meanwhile."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".entity-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.link(temp, target)
    except FileExistsError:
        raise SiteError.at(SourceLoc(target.name), "an entity with this slug exists already; choose another --slug") from None
    finally:
        os.unlink(temp)
