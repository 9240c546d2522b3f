"""What a build is made from, as one hash: if it matches the site's, the build is up to date.

The fingerprint covers every byte that can change the output: the content files, the
config with command-line overrides, the theme and local templates, the search flag and
sitegen's own version. It is stored in the output's marker file, so deleting site/ (or
any change at all) means a full build; nothing is ever served stale. The warnings of
that build are kept in .sitegen-cache/ (safe to delete) to be shown again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple
from functools import lru_cache
from pathlib import Path

from generator import __version__
from generator.config import Config
from generator.errors import Problem, SourceLoc
from generator.records import SourceFile
from generator.theme import template_dirs, theme_dir


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sitegen's own source: an edited checkout must not be taken for the version that built the site."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for file in sorted(package.rglob("*.py")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def setup_fingerprint(root: Path, config: Config, *, search: bool) -> str:
    """Everything but the content: sitegen's version, the config, the search flag, templates and theme files."""
    digest = hashlib.sha256()
    digest.update(f"sitegen {__version__} {code_fingerprint()}\0search={search}\0{astuple(config)!r}\0".encode())
    for folder in [*template_dirs(root, config), theme_dir(root, config) / "static"]:
        for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if file.is_file():
                digest.update(f"{file.relative_to(folder).as_posix()}\0".encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def build_fingerprint(setup: str, content: tuple[tuple[SourceFile, ...], tuple[tuple[str, bytes], ...]]) -> str:
    """The setup fingerprint and every content file, path and bytes."""
    digest = hashlib.sha256(setup.encode())
    sources, assets = content
    for source in sources:
        digest.update(f"{source.path}\0".encode())
        digest.update(source.text.encode("utf-8"))
    for path, data in assets:
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


WARNINGS_FILE = Path(".sitegen-cache") / "last-build.json"


def remember_warnings(root: Path, fingerprint: str, warnings: tuple[Problem, ...]) -> None:
    path = root / WARNINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = [[w.loc.path, w.loc.line, w.message] for w in warnings]
    path.write_text(json.dumps({"fingerprint": fingerprint, "warnings": entries}), encoding="utf-8")


def remembered_warnings(root: Path, fingerprint: str) -> tuple[Problem, ...] | None:
    """The warnings of the build with this fingerprint, or None if they were not kept."""
    try:
        data = json.loads((root / WARNINGS_FILE).read_text(encoding="utf-8"))
        if data["fingerprint"] != fingerprint:
            return None
        return tuple(Problem(SourceLoc(path, line), message) for path, line, message in data["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
