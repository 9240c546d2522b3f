"""Edit-to-reload latency of `sitegen serve`: from writing a note to the SSE `reload` event.

Starts `python -m generator serve` on a free port against a copy of an archive (the
bundled one by default), listens to /__sitegen/events like an open tab does, rewrites
one note N times (a pause between edits, so each is its own rebuild) and prints every
latency and their median. After each reload it fetches the note's page and checks the
new text is there, so a fast but wrong reload cannot count.

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
from pathlib import Path

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
        latencies, builds = measure(root, note, args.runs)
    print(f"archive: {args.archive}  note: {note.relative_to(root)}  runs: {len(latencies)}")
    for number, (seconds, build) in enumerate(zip(latencies, builds), 1):
        print(f"  edit {number:2}: {seconds * 1000:7.1f} ms   (of which rebuild {build * 1000:6.1f} ms)")
    print(
        f"edit-to-reload latency: median {statistics.median(latencies) * 1000:.1f} ms "
        f"(min {min(latencies) * 1000:.1f}, max {max(latencies) * 1000:.1f}); "
        f"median rebuild {statistics.median(builds) * 1000:.1f} ms"
    )
    return 0


def measure(root: Path, note: Path, runs: int) -> tuple[list[float], list[float]]:
    """Latencies, and the rebuild time the server reported for each edit."""
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
        while not next_line(lines).startswith("serving http://"):
            pass
        events = listen(port)
        original = note.read_text(encoding="utf-8")
        latencies, builds = [], []
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
            latencies.append(arrived - started)
            while not (line := next_line(lines)).startswith("rebuilt "):
                pass
            builds.append(float(line.split(" in ", 1)[1].split(" ms", 1)[0]) / 1000)
            page = fetch(port, f"/notes/{note.stem}/")
            if text not in page:
                raise SystemExit(f"reloaded, but /notes/{note.stem}/ does not show the edit")
        return latencies, builds
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)


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


def next_line(lines: queue.Queue[str | None]) -> str:
    line = lines.get(timeout=60)
    if line is None:
        raise SystemExit("the server exited")
    return line


def listen(port: int) -> queue.Queue[tuple[str, float]]:
    """(event name, arrival time) for every server-sent event, timed as each one completes."""
    received: queue.Queue[tuple[str, float]] = queue.Queue()
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/__sitegen/events")
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
