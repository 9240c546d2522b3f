"""Field accuracy of `sitegen import` on the fixtures under tests/fixtures/import/, next to trafilatura's own
metadata, plus HTML import speed.

Each case has a saved HTML page and a plain-text copy with the front-matter a correct import gives
(`expected.yaml`). Development cases (`dev/`) were used while writing the heuristics; held-out cases
(`holdout/`) were written afterwards and are reported separately. trafilatura reads only HTML, so its rows
have no plain-text column.

Run: python benchmarks/import_accuracy.py [--verbose]
"""

from __future__ import annotations

import datetime
import pathlib
import sys
import time

import trafilatura
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.importers import import_source  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import"
FIELDS = ("title", "authors", "outlet", "date")
TODAY = datetime.date(2026, 11, 24)


def load_cases(group: str) -> list[tuple[pathlib.Path, dict]]:
    if not (FIXTURES / group).is_dir():
        return []
    return [(folder, yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8")))
            for folder in sorted((FIXTURES / group).iterdir()) if (folder / "expected.yaml").exists()]


def sitegen_fields(data: bytes, origin: str) -> dict:
    front = import_source(data, origin=origin, today=TODAY).front_matter
    return {"title": front["title"], "authors": [a["name"] for a in front["authors"]], "outlet": front["outlet"],
            "date": front["published"]}


def trafilatura_fields(html: str) -> dict:
    meta = trafilatura.extract_metadata(html)
    if meta is None:
        return {"title": None, "authors": [], "outlet": None, "date": None}
    authors = [name.strip() for name in (meta.author or "").split(";") if name.strip()]
    return {"title": meta.title, "authors": authors, "outlet": meta.sitename, "date": meta.date}


def expected_fields(expected: dict) -> dict:
    return {"title": expected["title"], "authors": [a["name"] for a in expected["authors"]], "outlet": expected["outlet"],
            "date": expected["published"]}


def same(field: str, got, want) -> bool:
    if field == "date" and got and want:
        return str(got)[:10] == str(want)[:10]
    return got == want


def pages_per_second(pages: list[bytes], runs: int = 3) -> float:
    """Median over `runs` timed passes, after one untimed pass that loads the modules."""
    for index, data in enumerate(pages[:1]):
        import_source(data, origin=f"warmup{index}", today=TODAY)
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        for index, data in enumerate(pages):
            import_source(data, origin=f"page{index}.html", today=TODAY)
        rates.append(len(pages) / (time.perf_counter() - started))
    return sorted(rates)[len(rates) // 2]


def score(rows: list[tuple[str, dict, dict]], verbose: bool, label: str) -> dict[str, float]:
    hits = dict.fromkeys(FIELDS, 0)
    for name, got, want in rows:
        for field in FIELDS:
            if same(field, got[field], want[field]):
                hits[field] += 1
            elif verbose:
                print(f"  {label} {name} {field}: got {got[field]!r}, want {want[field]!r}")
    return {field: hits[field] / len(rows) if rows else 0.0 for field in FIELDS}


def main() -> int:
    verbose = "--verbose" in sys.argv
    table = []
    pages: list[bytes] = []
    for group in ("dev", "holdout"):
        cases = load_cases(group)
        if not cases:
            continue
        for form, filename in (("html", "page.html"), ("text", "page.txt")):
            rows, traf_rows = [], []
            for folder, expected in cases:
                data = (folder / filename).read_bytes()
                rows.append((folder.name, sitegen_fields(data, str(folder / filename)), expected_fields(expected[form])))
            if form == "html":
                pages.extend((folder / filename).read_bytes() for folder, _ in cases)
                for folder, expected in cases:
                    html = (folder / filename).read_text(encoding="utf-8")
                    traf_rows.append((folder.name, trafilatura_fields(html), expected_fields(expected[form])))
                table.append((group, form, "trafilatura", len(cases), score(traf_rows, False, "")))
            table.append((group, form, "sitegen", len(cases), score(rows, verbose, f"[{group}/{form}]")))
    print(f"{'set':8} {'form':5} {'tool':12} {'cases':>5} " + " ".join(f"{f:>8}" for f in FIELDS))
    for group, form, tool, count, result in table:
        print(f"{group:8} {form:5} {tool:12} {count:5d} " + " ".join(f"{result[f] * 100:7.1f}%" for f in FIELDS))
    speed = pages_per_second(pages)
    print(f"\nHTML import speed (all {len(pages)} pages, whole pipeline incl. body extraction, median of 3): {speed:.1f} pages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
