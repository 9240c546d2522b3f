"""Running docs/quickstart.md as a reader would: its `<!-- run -->` blocks in order, in one scratch folder.
Used by tests/test_docs.py, which checks every step works, and by scripts/screenshot.py, which photographs
the site the walk ends with for the quick start's last picture."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUICKSTART = REPO / "docs" / "quickstart.md"
SAVED_PAGE = REPO / "tests" / "fixtures" / "import" / "dev" / "gazette-library" / "page.html"
RUN_BLOCK = re.compile(r"<!-- run -->\s*\n```sh\n(.*?)```", re.DOTALL)


def runnable_blocks(markdown: str) -> list[str]:
    """The ```sh blocks preceded by `<!-- run -->`, as run_quickstart runs them."""
    return [from_this_checkout(block) for block in RUN_BLOCK.findall(markdown)]


def from_this_checkout(commands: str) -> str:
    """`commands` with `sitegen` run from this checkout, not an installed copy."""
    return re.sub(r"^sitegen\b", f"{sys.executable} -m generator", commands, flags=re.MULTILINE)


class StepFailed(Exception):
    """A quick-start block exited with an error: the docs tell the reader something that does not work."""


def run_quickstart(folder: Path) -> Path:
    """Run every block in `folder` (the saved page of step 3 beside it, as `../saved-page.html` from the archive);
    returns the folder the walk ends in, the reader's archive."""
    shutil.copyfile(SAVED_PAGE, folder / "saved-page.html")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cwd = folder
    cwd_file = folder / ".cwd"
    for block in runnable_blocks(QUICKSTART.read_text(encoding="utf-8")):
        script = f"set -e\n{block}\npwd > '{cwd_file}'\n"
        done = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise StepFailed(f"{block}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}")
        cwd = Path(cwd_file.read_text(encoding="utf-8").strip())
    return cwd
