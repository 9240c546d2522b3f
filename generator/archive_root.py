"""Which archive a command works on when `-C` is not given: the one the current folder is in.

Git, Hugo and Zola find their project from any subfolder by walking up; so does sitegen, so
that `sitegen note` typed in content/notes/ or `sitegen build` in site/ works on the archive
rather than failing with "not an archive".
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.config import CONFIG_NAME
from generator.errors import SiteError, SourceLoc


def is_archive(folder: Path) -> bool:
    """The test `sitegen` applies to a folder: it holds sitegen.yaml or a content/ folder."""
    return (folder / CONFIG_NAME).is_file() or (folder / "content").is_dir()


def check_archive(root: Path) -> None:
    """A command that reads an archive was pointed at a folder that is none (a mistyped -C, say):
    say so, rather than build an empty site into it."""
    if not root.is_dir():
        raise SiteError.at(SourceLoc(str(root)), "no such folder")
    if not is_archive(root):
        raise SiteError.at(SourceLoc(str(root)), f"not an archive: no {CONFIG_NAME} and no content/ folder (make one with 'sitegen init')")


def find_root(start: Path) -> Path:
    """The nearest folder from `start` upwards that is an archive, as a path relative to `start`
    (`.`, `..`, `../..`), so that messages stay short; `.` when none is, so that a command run
    outside any archive says "not an archive" about the current folder, as before.

    The nearest wins rather than the nearest with sitegen.yaml: an archive needs no sitegen.yaml,
    and one kept inside another project's folder (a test fixture, a site in a repository that
    has its own archive) is the one meant when a command is run in it."""
    try:
        start = start.resolve()
    except OSError:  # the current folder was deleted: nothing to walk up from
        return Path(".")
    for folder in (start, *start.parents):
        if is_archive(folder):
            return Path(os.path.relpath(folder, start))
    return Path(".")
