"""The documentation site (mkdocs.yml, docs/) builds with MkDocs in strict mode, as the Pages workflow builds it:
a page left out of the navigation, a link to a missing page or to a heading a page lacks fails the build."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUIET = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build_docs(config: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
                          capture_output=True, text=True, env=QUIET, timeout=300)


def test_docs_site_builds_strictly(tmp_path):
    done = build_docs(REPO / "mkdocs.yml", tmp_path / "docs")
    assert done.returncode == 0, done.stderr
    for page in ("index.html", "quickstart/index.html", "notes/index.html", "config/index.html", "fields/index.html"):
        assert (tmp_path / "docs" / page).is_file(), page


def test_docs_site_build_fails_on_a_broken_link(tmp_path):
    """The strict build is what catches a dead link: a copy of the docs with one must not build."""
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    with open(tmp_path / "docs" / "links.md", "a", encoding="utf-8") as page:
        page.write("\nSee [the notes](notes.md#no-such-heading).\n")
    done = build_docs(tmp_path / "mkdocs.yml", tmp_path / "out")
    assert done.returncode != 0
    assert "no-such-heading" in done.stderr
