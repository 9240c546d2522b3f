"""Edit-to-reload latency of `sitegen serve`: from writing a note to the SSE `reload` event.

Starts `python -m generator serve` on a free port against a copy of an archive (the
bundled one by default), listens to /__sitegen/events like an open tab does, rewrites
one note N times (a pause between edits, so each is its own rebuild) and prints every
latency and their median. The listener names the note's page, as the script in a tab
showing it does, and fetches that page as soon as the reload event arrives, checking
that the new text is there: a fast but wrong reload cannot count.

    python benchmarks/serve_latency.py [--runs 10] [--archive PATH] [--note content/notes/x.md]
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
MARKER = "Latency probe"
sys.path.insert(0, str(REPO))

from tests.conftest import copy_archive  # noqa: E402  (the copy the tests make: content, templates, themes, config)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--archive", type=Path, default=REPO, help="archive to copy (default: the bundled one)")
    parser.add_argument("--note", type=Path, help="note to edit (default: the first in content/notes/)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as temp:
        root = copy_archive(args.archive, Path(temp) / "archive")
        note = root / (args.note or sorted((root / "content" / "notes").glob("*.md"))[0].relative_to(root))
        samples = measure(root, note, args.runs)
    print(f"archive: {args.archive}  note: {note.relative_to(root)}  runs: {len(samples)}")
    for number, sample in enumerate(samples, 1):
        print(
            f"  edit {number:2}: reload event {sample.reload * 1000:7.1f} ms, page fetched {sample.page * 1000:7.1f} ms"
            f"   (whole rebuild {sample.rebuild * 1000:6.1f} ms)"
        )
    for label, values in (
        ("edit-to-reloaded-page latency", [s.page for s in samples]),
        ("edit-to-reload-event latency", [s.reload for s in samples]),
        ("whole rebuild (as the server reports it)", [s.rebuild for s in samples]),
    ):
        print(f"{label}: median {statistics.median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})")
    return 0


@dataclass(frozen=True)
class Sample:
    """Seconds from writing the note: to the reload event, to the note's page fetched right
    after it (what a reloading tab waits for), and the whole rebuild the server reported."""

    reload: float
    page: float
    rebuild: float


def measure(root: Path, note: Path, runs: int) -> list[Sample]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "-C", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = read_lines(server)
        while not next_line(lines, timeout=900).startswith("serving http://"):  # after the first build
            pass
        page_path = f"/notes/{note.stem}/"
        events = listen(port, page_path)
        original = note.read_text(encoding="utf-8")
        samples = []
        for number in range(runs):
            time.sleep(2.0)  # let the previous rebuild and the background search index finish
            drain(events)
            drain(lines)
            text = f"{MARKER} {number} {time.time_ns()}."
            started = time.perf_counter()
            note.write_text(original.rstrip("\n") + f"\n\n{text}\n", encoding="utf-8")
            while True:
                event, arrived = events.get(timeout=30)
                if event == "reload":
                    break
                if event == "error":
                    raise SystemExit("the edit did not build: the benchmark's note must be valid")
            page = fetch(port, page_path)
            fetched = time.perf_counter()
            if text not in page:
                raise SystemExit(f"reloaded, but {page_path} does not show the edit")
            while not (line := next_line(lines)).startswith("rebuilt "):
                pass
            rebuild = float(line.split(" in ", 1)[1].split(" ms", 1)[0]) / 1000
            samples.append(Sample(arrived - started, fetched - started, rebuild))
        return samples
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_lines(process: subprocess.Popen) -> queue.Queue[str | None]:
    """The server's output lines, read in a thread (None when it exits)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def next_line(lines: queue.Queue[str | None], timeout: float = 60) -> str:
    line = lines.get(timeout=timeout)
    if line is None:
        raise SystemExit("the server exited")
    return line


def listen(port: int, page: str) -> queue.Queue[tuple[str, float]]:
    """(event name, arrival time) for every server-sent event, timed as each one completes,
    heard as a tab showing `page` hears them (the live-reload script names its page)."""
    received: queue.Queue[tuple[str, float]] = queue.Queue()
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", f"/__sitegen/events?page={quote(page)}")
    response = connection.getresponse()

    def read() -> None:
        event = "message"
        for raw in response:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif not line and event != "message":
                received.put((event, time.perf_counter()))
                event = "message"

    threading.Thread(target=read, daemon=True).start()
    return received


def drain(events: queue.Queue) -> None:
    while not events.empty():
        events.get_nowait()


def fetch(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode()
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
