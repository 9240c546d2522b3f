"""The write stage: the only code that writes the site, all or nothing.

Pages go into a fresh temporary folder beside the output folder; only when every file
is written is it swapped in with two renames (or, for a build that changed a few pages
of the site already there, each new page replaces its old version with one rename). A
build that fails leaves the previous site as it was; one that is killed leaves leftovers
that the next build removes.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from generator.errors import SiteError, SourceLoc
from generator.records import Page
from generator.workers import interrupts_held

MARKER = ".sitegen-output"
TEMP_PREFIX = ".sitegen-tmp-"
OLD_PREFIX = ".sitegen-old-"
TRASH_PREFIX = ".sitegen-trash-"


def check_output_dir(root: Path, out: Path) -> None:
    """Refuse output folders whose replacement would destroy the user's work."""
    out = out.resolve()
    root = root.resolve()
    content = (root / "content").resolve()
    if out == root or root.is_relative_to(out):
        raise SiteError.at(SourceLoc(str(out)), "refusing to build into the project folder or one of its parents")
    if out == content or out.is_relative_to(content) or content.is_relative_to(out):
        raise SiteError.at(SourceLoc(str(out)), "refusing to build into content/")
    if out.exists() and not out.is_dir():
        raise SiteError.at(SourceLoc(str(out)), "output path exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError.at(SourceLoc(str(out)), "output folder is not empty and was not written by sitegen; choose another --out")


def remove_leftovers(out: Path) -> None:
    """Delete temporary folders that an interrupted build left beside `out`.

    If a build was killed between the two renames of a fallback swap, the previous
    site is still in its old-folder: put it back first. A replaced site is deleted from a
    trash folder, in the background when large (delete_old_site); one that is still there
    after TRASH_GRACE_NS was left by a deletion cut short, and is deleted in the background.
    A staging or old-folder whose build is still running is its own (see owner_gone).
    """
    out = out.resolve()
    parent = out.parent
    if not parent.is_dir():
        return
    if not out.exists():
        for previous in sorted(parent.glob(f"{OLD_PREFIX}{out.name}-*")):
            if (previous / MARKER).exists() and owner_gone(previous):
                previous.rename(out)
                break
    for prefix in (TEMP_PREFIX, OLD_PREFIX):
        for leftover in parent.glob(f"{prefix}{out.name}-*"):
            if owner_gone(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
    now = time.time_ns()
    for trash in parent.glob(f"{TRASH_PREFIX}{out.name}-*"):
        made = trash.name.rsplit("-", 1)[-1]
        if made.isdigit() and now - int(made) > TRASH_GRACE_NS:
            _delete_in_background(trash)


def owner_gone(folder: Path) -> bool:
    """True when the build that made `folder` (its name ends in that process's id) is no longer
    running, or is this process (an earlier build of a serve session): only then is it a leftover.

    Builds of one archive take turns (lock.py), but a build of another archive into the same
    folder, or a sitegen of another version, may be writing it now: removing a running
    build's staging folder once made it swap in a site with half its pages."""
    owner = folder.name.rpartition("-")[2]
    if not owner.isdigit() or int(owner) == os.getpid():
        return True
    try:
        os.kill(int(owner), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, run by another user
        return False
    return False


def staging_dir(out: Path) -> Path:
    """A fresh folder beside `out` (same filesystem, so the final rename is atomic)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    staging = out.parent / f"{TEMP_PREFIX}{out.name}-{os.getpid()}"
    staging.mkdir()
    return staging


def write_pages(staging: Path, pages: Iterable[Page]) -> list[str]:
    """Write every page into the staging folder; returns their paths.

    Paths are joined as strings: pathlib's parsing of 11,000 page paths cost more than
    the checks and the writing in Python together."""
    written = []
    made: set[str] = set()
    base = os.fspath(staging) + "/"
    for page in pages:
        path = page.path
        if path.startswith(("/", "\\")) or ".." in path.split("/"):
            raise SiteError.at(SourceLoc(path), "output path escapes the site folder")
        target = base + path
        folder = target.rpartition("/")[0]
        if folder not in made:
            _make_folder(folder)
            made.add(folder)
        _write_new_file(target, page.data)
        written.append(path)
    return written


def _make_folder(folder: str) -> None:
    """`os.makedirs(folder, exist_ok=True)`, trying the usual case first: a page's own folder
    in one that exists (makedirs looks at the parent first, a system call more per page)."""
    try:
        os.mkdir(folder)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise


_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_new_file(target: str, data: bytes) -> None:
    """`target.write_bytes(data)` in three system calls instead of five (no buffer set-up,
    no terminal check): 11,000 pages are written on every cold build."""
    fd = os.open(target, _NEW_FILE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:  # a full disk: os.write names no file
        raise OSError(error.errno, error.strerror, target) from None
    finally:
        os.close(fd)


def in_output(error: OSError, staging: Path, out: Path) -> OSError:
    """`error` naming the file of the output folder it was writing into the staging folder:
    a full disk is reported at `site/articles/x/index.html`, not at a temporary folder that
    is removed before the message is read."""
    prefix = os.fspath(staging) + "/"
    if not isinstance(error.filename, str) or not error.filename.startswith(prefix):
        return error
    return OSError(error.errno, error.strerror, os.fspath(out / error.filename.removeprefix(prefix)))


def check_complete(staging: Path, out: Path, written: list[str]) -> None:
    """Refuse to swap in a staging folder that no longer holds every file written into it
    (another program removed some meanwhile): the site would lack pages, and be recorded as
    up to date. One walk of the folder, a small part of writing it."""
    present = files_in(staging)
    if present != len(written):
        raise SiteError.at(
            SourceLoc(str(out)),
            f"{len(written) - present} of the {len(written)} files written for it were removed from its staging folder "
            "by another program while the build ran; nothing was swapped in (build again)",
        )


def files_in(folder: Path) -> int:
    """How many files `folder` holds, in all its subfolders."""
    count, folders = 0, [os.fspath(folder)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    count += 1
    return count


def apply_patch(patch: Path, out: Path, written: list[str], removed: list[str]) -> None:
    """Move the pages written into `patch` over their old versions in `out`, and delete `removed`.

    Each page is replaced with one rename, so a reader never sees a half-written file.
    From here until `seal_output` the marker is blank: a build killed in between leaves
    an output that no fingerprint matches, and the next build replaces it whole.
    """
    _write_marker(out, "")
    with interrupts_held():  # Ctrl-C among the moves would leave a site of old and new pages
        made: set[Path] = set()
        for path in written:
            target = out / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(patch / path, target)
        for path in removed:
            target = out / path
            target.unlink(missing_ok=True)
            for folder in target.parents:
                if folder == out or any(folder.iterdir()):
                    break
                folder.rmdir()


def replace_file(target: Path, *parts: bytes) -> None:
    """Write `parts` one after the other to `target` through a temporary file beside it and one
    rename: a reader, or a build killed midway, sees the old file or the new one, never half of
    one. For the files of .sitegen-cache/ and imported articles too. (Parts, so that a large
    file made of pieces is not first copied whole into memory.)"""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.writelines(parts)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if error.filename is None:  # a full disk: writing names no file
            raise OSError(error.errno, error.strerror, os.fspath(target)) from None
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def replace_folder(new: Path, old: Path) -> None:
    """Put folder `new` where `old` is, atomically where the OS allows; the old one ends up in `new`."""
    if old.exists() and _exchange(new, old):
        return
    shutil.rmtree(old, ignore_errors=True)
    new.rename(old)


def seal_output(out: Path, fingerprint: str) -> None:
    """Record, last, which inputs the patched output was built from."""
    _write_marker(out, fingerprint)


def _write_marker(out: Path, fingerprint: str) -> None:
    temporary = out / f"{MARKER}.{os.getpid()}"
    temporary.write_text(fingerprint, encoding="ascii")
    os.replace(temporary, out / MARKER)


def output_fingerprint(out: Path) -> str | None:
    """The fingerprint of the inputs that produced the site in `out`, if sitegen wrote it."""
    try:
        return (out / MARKER).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def swap_in(staging: Path, out: Path, fingerprint: str = "", files: int = 0) -> None:
    """Replace `out` with `staging` in one atomic step where the OS allows, then delete the old site.

    The marker file written last records which inputs the site was built from. `files`
    (about the size of the old site) decides whether deleting it may happen in the background.
    """
    _write_marker(staging, fingerprint)
    out = out.resolve()
    if out.exists() and _exchange(staging, out):
        delete_old_site(staging, out, files)  # after the exchange it holds the old site
        return
    old = out.parent / f"{OLD_PREFIX}{out.name}-{os.getpid()}"
    with interrupts_held():  # Ctrl-C between the two renames would leave no site
        if out.exists():
            out.rename(old)
        staging.rename(out)
    delete_old_site(old, out, files)


BACKGROUND_DELETE_FILES = 5000
TRASH_GRACE_NS = 600 * 10**9  # far longer than deleting any site takes


def delete_old_site(folder: Path, out: Path, files: int) -> None:
    """Delete a replaced site; a large one in a detached process, so the build returns at once.

    The new site is already in place. The folder is first renamed into a trash folder of
    its own, so that the next build's staging folder (same name as `folder` may have) never
    meets a deletion still running. If the deletion is interrupted, a later build removes
    what is left (`remove_leftovers`).
    """
    if not folder.exists():
        return
    trash = out.parent / f"{TRASH_PREFIX}{out.name}-{time.time_ns()}"
    folder.rename(trash)
    if files < BACKGROUND_DELETE_FILES:
        shutil.rmtree(trash, ignore_errors=True)
    else:
        _delete_in_background(trash)


def _delete_in_background(folder: Path) -> None:
    subprocess.Popen(
        [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
