"""`sitegen import URL...` and `sitegen import --from FORMAT FILE...`: the command-line side of bringing an
archive in (the options it accepts, the run, what is printed at the end)."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from generator.bring.records import Entry
from generator.errors import SiteError, SourceLoc

FAILURES_FILE = "import-failures.txt"


def wanted(args) -> bool:
    """Whether this `sitegen import` is one for this module: an export named with --from, or links."""
    urls = [path for path in args.paths if is_url(path)]
    if args.source_format is None and not urls:
        return False
    if args.source_format is None and len(urls) < len(args.paths):
        first_file = next(path for path in args.paths if not is_url(path))
        raise SiteError.at(SourceLoc(first_file), "import links and saved files in separate runs (or list the links in a file for --from urls)")
    for flag, given in (("--stdout", args.stdout), ("--slug", args.slug), ("--source-url", args.source_url), ("--force", args.force)):
        if given:
            raise SiteError.at(SourceLoc(args.paths[0]), f"{flag} is for importing one saved file; links and exports are imported into the archive")
    return True


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def run(args) -> int:
    from generator.archive_root import check_archive
    from generator.bring.run import Options, bring, table, write_failures
    from generator.bring.services import read_exports

    check_archive(args.root)  # notes and the failures file go into the archive: a mistyped -C must not make one
    today = datetime.date.today()
    if args.source_format is None:
        entries = [Entry(url=url, origin="command line") for url in args.paths]
    else:
        entries = read_exports(args.source_format, [Path(path) for path in args.paths])
    failures_file = args.failures or args.root / FAILURES_FILE
    options = Options(
        root=args.root,
        articles=args.out or args.root / "content" / "articles",
        today=today,
        jobs=args.jobs,
        tags=tuple(args.tag),
        fetch_images=args.fetch_images,
    )
    summary = bring(entries, options)
    reached = len(summary.imported) + len(summary.skipped) + len(summary.failed)
    for line in table(summary, len(entries) - reached if summary.interrupted else 0):
        print(line)
    if write_failures(summary, failures_file, today):
        print(f"failed links are listed in {failures_file}; after fixing what you can, retry them with: sitegen import --from urls {failures_file}")
    if summary.to_fill:
        print(f"{summary.to_fill} imported articles lack a field the build needs (an outlet, an author): 'sitegen check' lists them", file=sys.stderr)
    if summary.interrupted:
        raise KeyboardInterrupt
    return 1 if summary.failed else 0
