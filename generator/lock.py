"""One build of an archive at a time.

Two builds writing the same output folder at once ruin it: the second removes the first's
staging folder as a leftover, the first writes on into a new one and swaps in a site with
half its pages, and records it as up to date. An editor's on-save hook starts builds
exactly like that. So a build holds an exclusive lock on a file in .sitegen-cache/ from
before it decides whether the output is up to date until its record is written; another
build (from the command line, or serve's) waits for it, and says so.

The lock is `flock`'s: it belongs to the open file, and the system drops it when the
process ends, however it ends, so a killed build never leaves a stale lock behind. The
file holds the holder's process id, for the waiting message only; it lives beside the
caches, never in the output folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = Path(".sitegen-cache") / "build.lock"


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the archive's build lock for the block, waiting (and saying so) while another build holds it."""
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as file:  # "a": a waiting build must not empty the holder's process id
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"sitegen: waiting for another build of this archive to finish{holder(path)}", file=sys.stderr, flush=True)
            fcntl.flock(file, fcntl.LOCK_EX)
        file.truncate(0)
        file.write(str(os.getpid()).encode("ascii"))
        file.flush()
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)  # now, for the processes forked meanwhile share the open file


def holder(path: Path) -> str:
    """' (process N)' for the build holding the lock, when its file says which."""
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
