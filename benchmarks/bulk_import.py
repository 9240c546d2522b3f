"""A bulk import of generated entries from a local web site: time, peak memory, and the failures reported.

Writes an Instapaper-shaped CSV of N links into a fresh starter archive (`sitegen init`): every 100th link is
missing (404) and every 250th a PDF, so the run has failures to report; every 3rd row has a Selection, a
sentence of its page, which must come out as a note. The site (tests/bring_site.py) runs in its own process.
The import runs as `python -m generator -C ARCHIVE import --from instapaper FILE` under a fresh interpreter, twice:
the second run must skip everything (resumable, idempotent). Peak RSS is the import process's own. Then
`sitegen check` runs on the archive: every note written must anchor (no orphaned or fuzzy highlight).

Run: python benchmarks/bulk_import.py [--n 3000] [--jobs 8]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bring_site import sentence  # noqa: E402


def links(base: str, n: int) -> list[list[str]]:
    rows = [["URL", "Title", "Selection", "Folder", "Timestamp"]]
    for i in range(1, n + 1):
        path = f"/nothing/{i}" if i % 100 == 0 else f"/pdf/{i}" if i % 250 == 0 else f"/articles/{i}"
        selection = sentence(i, 2) if i % 3 == 0 else ""
        rows.append([base + path, f"Report {i}", selection, "Unread", str(1_700_000_000 + i)])
    return rows


def timed_import(archive: Path, export: Path, jobs: int) -> tuple[float, int, subprocess.CompletedProcess]:
    """(seconds, peak RSS in MB, the process): each run in a child of its own, so RUSAGE_CHILDREN's maximum
    is this run's alone (the first child started is the one measured here)."""
    script = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode); "
        "sys.stderr.write(p.stdout + '\\n----\\n' + p.stderr)"
    )
    command = [sys.executable, "-m", "generator", "-C", str(archive), "import", "--from", "instapaper", str(export), "--jobs", str(jobs)]
    done = subprocess.run([sys.executable, "-c", script, *command], capture_output=True, text=True, cwd=ROOT)
    seconds, rss_kb, code = done.stdout.split()
    output, _, errors = done.stderr.partition("\n----\n")
    return float(seconds), int(rss_kb) // 1024, subprocess.CompletedProcess(command, int(code), output, errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    site = subprocess.Popen([sys.executable, str(ROOT / "tests" / "bring_site.py")], stdout=subprocess.PIPE, text=True)
    work = Path(tempfile.mkdtemp(prefix="bulk-import-"))
    try:
        base = site.stdout.readline().strip()
        archive = work / "archive"
        subprocess.run([sys.executable, "-m", "generator", "init", str(archive)], check=True, cwd=ROOT, capture_output=True)
        export = work / "instapaper.csv"
        with export.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(links(base, args.n))
        notes_before = len(list((archive / "content" / "notes").glob("*.md")))
        seconds, rss, first = timed_import(archive, export, args.jobs)
        articles = len(list((archive / "content" / "articles").glob("*.md")))
        notes = len(list((archive / "content" / "notes").glob("*.md"))) - notes_before
        failure_lines = [line for line in first.stderr.splitlines() if line.startswith(base)]
        listed = [line for line in (archive / "import-failures.txt").read_text().splitlines() if not line.startswith("#")]
        again, rss_again, second = timed_import(archive, export, args.jobs)
        started = time.perf_counter()
        check = subprocess.run([sys.executable, "-m", "generator", "-C", str(archive), "check"], capture_output=True, text=True, cwd=ROOT)
        check_seconds = time.perf_counter() - started
        orphans = check.stderr.count("quote not found") + check.stderr.count("% similarity")
        expected_failures = sum(1 for i in range(1, args.n + 1) if i % 100 == 0 or i % 250 == 0)
        print(f"entries: {args.n}, jobs: {args.jobs}, python {sys.version.split()[0]}")
        print(f"first run:  {seconds:6.1f} s ({args.n / seconds:.0f} entries/s), peak RSS {rss} MB, exit {first.returncode}")
        print(f"            {articles - 1} articles and {notes} notes written; {len(failure_lines)} failure lines, "
              f"{len(listed)} links in import-failures.txt (expected {expected_failures})")
        print(f"second run: {again:6.1f} s, peak RSS {rss_again} MB, exit {second.returncode}")
        print(f"sitegen check: exit {check.returncode} in {check_seconds:.1f} s, {orphans} orphaned or fuzzy highlights; {check.stdout.strip()}")
        print("first run's table:")
        print("  " + first.stdout.strip().replace("\n", "\n  "))
        print("second run's table:")
        print("  " + second.stdout.strip().replace("\n", "\n  "))
    finally:
        site.terminate()
        site.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
