"""`sitegen init DIR`: a starter archive that builds and publishes with no edits.

The starter files live in `generator/starter/` (package data). Dotfiles are stored
without their dot (`gitignore`, `github/`) so packaging tools do not skip them, and get
it back when copied. `requirements.txt` is written here: it pins the sitegen that the
GitHub Pages workflow installs. The name `sitegen` on PyPI belongs to another project,
so the pin is a git URL: the one this sitegen was installed from when pip recorded it
(PEP 610), else a placeholder the README tells the user to fill in.
"""

from __future__ import annotations

import json
import shutil
from importlib import metadata
from pathlib import Path

from generator import __version__
from generator.errors import SiteError, SourceLoc

STARTER = Path(__file__).resolve().parent / "starter"
DOTTED = {"gitignore": ".gitignore", "github": ".github"}
PLACEHOLDER_REPOSITORY = "https://github.com/OWNER/sitegen"


def create_archive(directory: Path, spec: str | None = None) -> Path:
    """Copy the starter archive into `directory` (new or empty) and return it.

    `spec` is the pip requirement written to requirements.txt (default: `install_spec()`);
    the CLI passes the one it shows on the terminal, so the two cannot differ."""
    if directory.exists() and not directory.is_dir():
        raise SiteError.at(SourceLoc(str(directory)), "is a file; give a new folder name for the archive")
    if directory.is_dir() and any(directory.iterdir()):
        raise SiteError.at(SourceLoc(str(directory)), "folder is not empty; sitegen init only writes into a new or empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    for source in sorted(STARTER.rglob("*")):
        if source.is_file():
            relative = source.relative_to(STARTER)
            target = directory.joinpath(*(DOTTED.get(part, part) for part in relative.parts))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    (directory / "requirements.txt").write_text(requirements_txt(spec or install_spec()), encoding="utf-8")
    return directory


def install_spec() -> str:
    """A pip requirement pinned to this sitegen: its recorded git commit, else the placeholder at this version."""
    try:
        recorded = metadata.distribution("sitegen").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        recorded = None
    if recorded:
        origin = json.loads(recorded)
        vcs = origin.get("vcs_info", {})
        if vcs.get("vcs") == "git" and vcs.get("commit_id"):
            return f"sitegen @ git+{origin['url']}@{vcs['commit_id']}"
    return f"sitegen @ git+{PLACEHOLDER_REPOSITORY}@v{__version__}"


def requirements_txt(spec: str) -> str:
    return (
        "# The sitegen that builds this archive (locally and in .github/workflows/pages.yml).\n"
        "# It is a git URL because the name 'sitegen' on PyPI is another project.\n"
        f"{spec}\n"
    )
