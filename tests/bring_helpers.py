"""Shared steps of the import-from-elsewhere tests: an archive, a run of `sitegen import`, a build check."""

from __future__ import annotations

import re
from pathlib import Path

from generator.build import build
from generator.cli import main
from generator.scaffold import create_archive


def archive(tmp_path: Path) -> Path:
    return create_archive(tmp_path / "archive")


def run(root: Path, *args: str, capsys) -> tuple[int, str, str]:
    code = main(["-C", str(root), "import", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files(root: Path, collection: str) -> dict[str, str]:
    folder = root / "content" / collection
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))} if folder.is_dir() else {}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def fill_in_and_build(root: Path) -> list[str]:
    """Give imported articles the fields the build requires and no import can invent (an outlet the
    service did not record), as the reader would, then check the archive; returns the warnings."""
    for path in (root / "content" / "articles").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("\noutlet: null\n", "\noutlet: Filled In\n")
        text = re.sub(r"\nauthors: \[\]\n", "\nauthors: []\nanonymous: true\n", text)
        path.write_text(text, encoding="utf-8")
    result = build(root, write=False)
    return [str(warning) for warning in result.warnings]
