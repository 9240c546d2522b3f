"""What a build is made from, as one hash: if it matches the site's, the build is up to date.

The fingerprint covers every byte that can change the output: the content files, the
config with command-line overrides, the theme and local templates, the search flag and
sitegen's own version. It is stored in the output's marker file, so deleting site/ (or
any change at all) means a full build; nothing is ever served stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.config import Config
from generator.theme import template_dirs, theme_dir

if TYPE_CHECKING:
    from generator.documents import ScannedFile


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


def build_fingerprint(setup: str, files: tuple[ScannedFile, ...], assets: tuple[tuple[str, bytes], ...]) -> str:
    """The setup fingerprint and every content file: Markdown by path and content hash, other files whole."""
    digest = hashlib.sha256(setup.encode())
    for file in files:
        digest.update(f"{file.path}\0{file.digest}\0".encode())
    for path, data in assets:
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
