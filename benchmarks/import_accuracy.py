"""Field accuracy of `sitegen import`: right, wrong and missing per field (title, authors, outlet, date) and kind
of input, and how many imports build on the first try.

A field whose truth is empty is never counted as right: it is scored apart, as "correctly empty" or "invented",
so an importer that leaves everything empty cannot look accurate. Fields whose truth was not checked (`~` in a
truth file) are not scored.

Sets:
- `invented`: the invented articles under tests/fixtures/import/dev/ and dev-handwritten/ (HTML and a plain-text
  copy). The heuristics were written and tuned on them, so they show consistency with the rules, not accuracy.
- `real-dev`: saved pages from the test caches of trafilatura and htmldate (tests/fixtures/import/real/dev/, see
  its README), with truth checked by hand; for each, the HTML, the text a reader copies from the headline down
  (`text`) and the whole page's text (`text-top`), both as Chromium shows the page.
- `real-holdout`: more such pages, set aside before tuning; reported only with --holdout.

The first-try rate counts imports whose article file passes the build's checks as written (warnings for fields
left unknown allowed, errors not).

Run: python benchmarks/import_accuracy.py [--verbose] [--holdout] [--code DIR]
(--code imports the `generator` package of another checkout, to measure the code before a change.)
"""

from __future__ import annotations

import datetime
import gzip
import pathlib
import sys
import time
import unicodedata
from dataclasses import dataclass

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CODE = pathlib.Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

from generator.content.parse import parse_article  # noqa: E402
from generator.errors import ProblemLog, SiteError  # noqa: E402
from generator.importers import article_file_text, import_source  # noqa: E402
from generator.records import SourceFile  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import"
FIELDS = ("title", "authors", "outlet", "date")
TODAY = datetime.date(2026, 11, 24)
UNCHECKED = object()


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # html, text, text-top
    data: bytes
    truth: dict  # field -> accepted values (a list), [] when the source states none, or UNCHECKED


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    missing: int = 0
    empty_ok: int = 0
    invented: int = 0


def invented_cases() -> list[Case]:
    cases = []
    for group in ("dev", "dev-handwritten"):
        for folder in sorted((FIXTURES / group).iterdir()):
            if not (folder / "expected.yaml").exists():
                continue
            expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
            for kind, filename in (("html", "page.html"), ("text", "page.txt")):
                want = expected[kind]
                truth = {
                    "title": [want["title"]],
                    "authors": [[a["name"] for a in want["authors"]]] if want["authors"] else [],
                    "outlet": [want["outlet"]] if want["outlet"] else [],
                    "date": [str(want["published"])[:10]] if want["published"] else [],
                }
                cases.append(Case(folder.name, kind, (folder / filename).read_bytes(), truth))
    return cases


def real_cases(group: str) -> list[Case]:
    folder = FIXTURES / "real" / group
    truths = yaml.safe_load((folder / "truth.yaml").read_text(encoding="utf-8"))
    cases = []
    for name, raw in truths.items():
        truth = {
            "title": raw["title"],
            "authors": UNCHECKED if raw["authors"] is None else ([raw["authors"]] if raw["authors"] else []),
            "outlet": UNCHECKED if raw["outlet"] is None else raw["outlet"],
            "date": UNCHECKED if raw["date"] is None else ([raw["date"]] if raw["date"] else []),
        }
        page = folder / name
        cases.append(Case(name, "html", gzip.decompress((page / "page.html.gz").read_bytes()), truth))
        cases.append(Case(name, "text", (page / "headline.txt").read_bytes(), truth))
        cases.append(Case(name, "text-top", (page / "top.txt").read_bytes(), truth))
    return cases


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def matches(field: str, got, accepted: list) -> bool:
    if field == "date":
        return str(got)[:10] in accepted
    if field == "authors":
        return any(len(got) == len(want) and all(
            fold(name) in {fold(alt) for alt in spelling.split("|")} for name, spelling in zip(sorted(got, key=fold), sorted(want, key=lambda s: fold(s.split("|")[0])))
        ) for want in accepted)
    return fold(got) in {fold(value) for value in accepted}


def imported(case: Case) -> tuple[dict | None, bool]:
    """The four fields as imported (None when the import failed) and whether the article file builds."""
    try:
        article = import_source(case.data, origin=f"{case.name}.{case.kind}", today=TODAY)
    except SiteError:
        return None, False
    front = article.front_matter
    log = ProblemLog()
    try:
        builds = parse_article(SourceFile(f"content/articles/{article.slug}.md", "articles", article_file_text(article)), log) is not None and not log.errors
    except SiteError:
        builds = False
    fields = {"title": front["title"], "authors": [a["name"] for a in front["authors"]], "outlet": front["outlet"],
              "date": front["published"]}
    return fields, builds


def score(cases: list[Case], verbose: bool, label: str) -> tuple[dict[str, Tally], int, int]:
    tallies = {field: Tally() for field in FIELDS}
    builds = 0
    for case in cases:
        got, ok = imported(case)
        builds += ok
        for field in FIELDS:
            accepted = case.truth[field]
            if accepted is UNCHECKED:
                continue
            value = None if got is None else got[field]
            tally = tallies[field]
            if not accepted:
                if value:
                    tally.invented += 1
                    verdict = "invented"
                else:
                    tally.empty_ok += 1
                    continue
            elif not value:
                tally.missing += 1
                verdict = "missing"
            elif matches(field, value, accepted):
                tally.right += 1
                continue
            else:
                tally.wrong += 1
                verdict = "wrong"
            if verbose:
                print(f"  [{label}] {case.name} {field} {verdict}: got {value!r}, want {accepted!r}")
    return tallies, builds, len(cases)


def pages_per_second(pages: list[bytes], runs: int = 3) -> float:
    """Median over `runs` timed passes, after one untimed pass that loads the modules."""
    for data in pages[:1]:
        import_source(data, origin="warmup.html", today=TODAY)
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        for index, data in enumerate(pages):
            import_source(data, origin=f"page{index}.html", today=TODAY)
        rates.append(len(pages) / (time.perf_counter() - started))
    return sorted(rates)[len(rates) // 2]


def main() -> int:
    verbose = "--verbose" in sys.argv
    sets = {"invented": invented_cases(), "real-dev": real_cases("dev")}
    if "--holdout" in sys.argv:
        sets["real-holdout"] = real_cases("holdout")
    print("per field: right/wrong/missing of the cases whose source states it; ok-empty/invented of those where it does not")
    print(f"{'set':13} {'kind':8} {'cases':>5} {'builds':>7}  " + "  ".join(f"{f:>20}" for f in FIELDS))
    for name, cases in sets.items():
        for kind in ("html", "text", "text-top"):
            chosen = [case for case in cases if case.kind == kind]
            if not chosen:
                continue
            tallies, builds, count = score(chosen, verbose, f"{name}/{kind}")
            cells = [f"{t.right:>2}/{t.wrong:>2}/{t.missing:>2} {t.empty_ok:>2}/{t.invented:>2}".rjust(20) for t in tallies.values()]
            print(f"{name:13} {kind:8} {count:5d} {builds:3d}/{count:<3d}  " + "  ".join(cells))
    if "--speed" in sys.argv:
        pages = [case.data for case in sets["real-dev"] if case.kind == "html"]
        print(f"\nHTML import speed ({len(pages)} real-dev pages, whole pipeline, median of 3): {pages_per_second(pages):.1f} pages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
