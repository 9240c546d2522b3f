"""Cache files found unreadable: each is reported as a warning, deleted, and made again.

Everything in .sitegen-cache/ is made from the archive, so no cache file may stop a build:
one cut short by a full disk, or damaged otherwise, is worth a line on the terminal (it
may say something about the disk) and one build that does the work it would have spared.
A file written by another version of sitegen or with other settings is not damaged, and
is replaced without a word.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from pathlib import Path

# What loading a pickle from .sitegen-cache/ may raise when the file is damaged or was written by other code.
UNREADABLE_PICKLE = (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError)


def discard_unreadable(root: Path, relative: Path) -> None:
    """Warn that the cache file `root/relative` cannot be read, and delete it."""
    print(f"warning: {relative.as_posix()}: unreadable cache file (cut short or damaged); discarded, it is made again", file=sys.stderr)
    with contextlib.suppress(OSError):
        (root / relative).unlink()
