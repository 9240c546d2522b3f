"""The `sitegen` command line. Problems are printed here, once, as `path:line: message`."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

from generator import __version__
from generator.archive_root import check_archive, find_root
from generator.bring.services import FORMATS
from generator.errors import SiteError, SourceLoc

EPILOG = (
    "Run 'sitegen COMMAND --help' for a command's options. Docs: README.md, docs/cli.md and docs/. "
    "Exit status: 0 done, 1 a problem in the archive or its files (each printed as path:line: message; "
    "for 'import' of links and 'import-annotations', also some inputs not imported), 2 a mistake on the command line."
)


def run() -> None:
    """The `sitegen` program: main, then exit at once.

    Freeing every object one by one at interpreter exit takes time that grows with the
    archive, and nothing is left to clean up by then: the output is
    written, worker processes are joined and temporary folders are removed.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    if args.root is None:
        args.root = find_root(Path("."))
    try:
        if args.run in ARCHIVE_COMMANDS:
            check_archive(args.root)
        return args.run(args)
    except SiteError as error:
        report_warnings(error.warnings)
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"sitegen: {counted(len(error.problems), 'error')}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sitegen: interrupted", file=sys.stderr)
        return 130
    except OSError as error:  # the file system refused: a full disk, a read-only or missing folder
        print(f"{error.filename or 'sitegen'}: {error.strerror or error}", file=sys.stderr)
        print("sitegen: stopped by the error above", file=sys.stderr)
        return 1


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build an annotated reading archive (articles, highlights, linked notes) into a static site.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument(
        "-C", "--root", type=Path, help="the archive's folder (default: the current folder or the nearest one above it with sitegen.yaml or content/)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into site/", description="Build the archive into a static site.")
    build.add_argument("--base-url", help="public URL or path of the site, e.g. https://user.github.io/repo/")
    build.add_argument("--out", type=Path, help="output folder (default: site/)")
    build.add_argument("--verbose", "-v", action="store_true", help="print the time of each stage")
    build.add_argument("--no-search", action="store_true", help="skip the search index (quicker builds)")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed since the last build")
    build.add_argument("--jobs", "-j", type=process_count, help="processes to use (default: one per core on large archives)")
    build.set_defaults(run=run_build)

    check = commands.add_parser("check", help="check the archive without writing anything")
    check.add_argument(
        "--strict", action="store_true", help="exit 1 on any warning too (an orphaned or fuzzy highlight, a file that is not published...)"
    )
    check.add_argument("--anchors", action="store_true", help="list every note's anchoring tier")
    check.set_defaults(run=run_check)

    anchors = commands.add_parser("anchors", help="list how every note's quote anchors (exact, normalized, fuzzy, orphan)")
    anchors.set_defaults(run=run_anchors)

    init = commands.add_parser("init", help="create a starter archive that builds")
    init.add_argument("directory", type=Path, help="folder of the new archive (new or empty)")
    init.set_defaults(run=run_init)

    importer = commands.add_parser("import", help="import articles from plain text or saved HTML")
    importer.add_argument("paths", nargs="+", metavar="PATH", help="files or links (http/https) to import; '-' reads standard input")
    importer.add_argument("-o", "--out", type=Path, help="folder for the article files (default: content/articles/)")
    importer.add_argument("--stdout", action="store_true", help="print the article file instead of writing it")
    importer.add_argument("--slug", type=slug_argument, help="slug of the new article (one input only)")
    importer.add_argument("--tag", action="append", default=[], type=tag_argument, help="tag to add (repeatable)")
    importer.add_argument("--source-url", type=url_argument, help="URL of the original article")
    importer.add_argument("--force", action="store_true", help="overwrite an existing article file")
    importer.add_argument(
        "--fetch-images", action="store_true", help="download the article's pictures into content/images/ (a page saved with its files gives its own copies without it)"
    )
    importer.add_argument("--from", dest="source_format", choices=FORMATS, help="the files are this service's export (docs/import.md)")
    importer.add_argument("--jobs", "-j", type=process_count, default=8, help="links fetched at a time (default: 8; at most 2 per site)")
    importer.add_argument("--failures", type=Path, help="where to list failed links (default: import-failures.txt)")
    importer.set_defaults(run=run_import, parser=importer)

    note = commands.add_parser("note", help="write a new note on an article's passage")
    note.add_argument("article", type=slug_argument, help="slug of the article")
    note.add_argument("quote", nargs="?", help="the passage to highlight (omit for an article-level note)")
    note.add_argument("--tag", action="append", default=[], type=tag_argument, help="tag to add (repeatable)")
    note.add_argument("--slug", type=slug_argument, help="slug of the note (default: from the quote)")
    note.add_argument("--prefix", help="text just before the quote, when it occurs more than once")
    note.add_argument("--suffix", help="text just after the quote, when it occurs more than once")
    note.add_argument("-m", "--message", metavar="TEXT", help="the note's text; '-' reads it from standard input (default: none, write it in the file)")
    note.add_argument(
        "--use-exact", action="store_true", help="when the quote is close to the article's wording but not it, write the article's wording"
    )
    note.set_defaults(run=run_note, parser=note)

    entity = commands.add_parser("entity", help="add a person, organization or place to content/entities/")
    entity.add_argument("name", type=tag_argument, help="the entity's name, as articles write it")
    entity.add_argument("--kind", required=True, choices=["person", "organization", "place"], help="what the entity is")
    entity.add_argument("--alias", action="append", default=[], type=tag_argument, help="another name it goes by (repeatable)")
    entity.add_argument("--url", type=url_argument, help="a page about it")
    entity.add_argument("--slug", type=slug_argument, help="slug of the entity (default: from the name)")
    entity.add_argument("-m", "--message", metavar="TEXT", help="the entity's description; '-' reads it from standard input")
    entity.set_defaults(run=run_entity)

    annotations = commands.add_parser(
        "import-annotations", help="turn a Hypothesis JSON, Readwise CSV or W3C Web Annotation export into notes on archived articles"
    )
    annotations.add_argument("export", type=Path, help="the exported file")
    annotations.set_defaults(run=run_import_annotations)

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change with live reload")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=port_number, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--base-url", help="preview under this base URL's path, e.g. /repo/")
    serve.set_defaults(run=run_serve)

    export = commands.add_parser("export", help="export citations or annotations for the whole archive")
    export.add_argument(
        "--format", required=True, choices=["csl-json", "bibtex", "ris", "w3c"], help="CSL-JSON, BibTeX or RIS citations, or W3C Web Annotations"
    )
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    export.set_defaults(run=run_export)
    return parser


def process_count(text: str) -> int:
    count = _integer(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"{count} processes: give 1 or more")
    return count


def port_number(text: str) -> int:
    """A TCP port, checked here: the socket would refuse one out of range with a traceback."""
    port = _integer(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def slug_argument(text: str) -> str:
    """A slug names a file under content/: checked before any is written (`../x` would leave it)."""
    from generator.slugs import is_valid_slug, slugify

    if not is_valid_slug(text):
        suggestion = f" (try '{slugify(text)}')" if any(char.isalnum() for char in text) else ""
        raise argparse.ArgumentTypeError(f"invalid slug '{text}': use lowercase letters, digits and '-'{suggestion}")
    return text


def tag_argument(text: str) -> str:
    tag = " ".join(text.split())
    if not tag:
        raise argparse.ArgumentTypeError("a tag must not be empty")
    return tag


def url_argument(text: str) -> str:
    """A source URL, checked as the article's front-matter will be."""
    from generator.content.schema import Invalid, web_url

    try:
        return web_url(text)
    except Invalid as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: '{text}'") from None


def run_build(args) -> int:
    from generator.build import build

    result = build(
        args.root,
        out=args.out,
        base_url=args.base_url,
        search=not args.no_search,
        jobs=args.jobs,
        progress=True,
        force=args.force,
    )
    report_warnings(result.warnings)
    if args.verbose:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<8} {seconds * 1000:8.1f} ms", file=sys.stderr)
    out = args.out or Path("site")
    if result.up_to_date:
        print(f"{out}/ is up to date (nothing changed since it was built) in {result.seconds:.2f} s")
        return 0
    print(f"built {files_written(result)} into {out}/ with {counted(len(result.warnings), 'warning')} in {result.seconds:.2f} s")
    return 0


def files_written(result) -> str:
    """'96 files (58 pages and other files, 38 of the search index)': every file of the site
    folder but build's own marker, the search index named apart as it is made from the pages."""
    if not result.search_files:
        return counted(result.pages, "file")
    return f"{counted(result.pages + result.search_files, 'file')} ({result.pages} pages and other files, {result.search_files} of the search index)"


def report_warnings(warnings) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def run_check(args) -> int:
    from generator.build import build

    result = build(args.root, write=False)
    report_warnings(result.warnings)
    if args.anchors:
        print_anchor_report(args.root)
    if args.strict and result.warnings:
        print(f"sitegen check --strict: {counted(len(result.warnings), 'warning')}", file=sys.stderr)
        return 1
    print(f"ok: {result.pages} pages and other files would be written (build adds the search index made from them), {counted(len(result.warnings), 'warning')}")
    return 0


def run_anchors(args) -> int:
    print_anchor_report(args.root)
    return 0


def print_anchor_report(root: Path) -> None:
    from generator.anchors_report import anchor_report
    from generator.build import analyse, sound_config

    for line in anchor_report(root, analyse(root, sound_config(root))):
        print(line)


def run_init(args) -> int:
    from generator.scaffold import PLACEHOLDER_REPOSITORY, create_archive, install_spec

    spec = install_spec()
    created = create_archive(args.directory, spec)
    print(f"created a starter archive in {created}/ — next: cd {created} && sitegen build")
    print(f"requirements.txt pins the sitegen that GitHub Pages installs: {spec}")
    if PLACEHOLDER_REPOSITORY in spec:
        print("  this is a placeholder: before publishing, put the git URL you install sitegen from there (see its README)")
    return 0


def run_import(args) -> int:
    from generator.bring import command as bring

    if args.slug and len(args.paths) > 1:
        args.parser.error("--slug names one article; import one file at a time with it")
    try:
        links_or_exports = bring.wanted(args)
    except SiteError as error:  # flags that do not go together: a mistake on the command line
        args.parser.error(error.problems[0].message)
    if links_or_exports:
        return bring.run(args)
    from generator.importers.command import gaps
    from generator.importers.command import run_import as import_files

    written = import_files(
        args.paths,
        out_dir=args.out or args.root / "content" / "articles",
        to_stdout=args.stdout,
        slug=args.slug,
        tags=tuple(args.tag),
        source_url=args.source_url,
        force=args.force,
        today=datetime.date.today(),
        fetch_images=args.fetch_images,
    )
    for path in written:
        print(f"wrote {path}")
        for problem in gaps(path):
            print(f"to fill in: {problem}", file=sys.stderr)
    return 0


def run_note(args) -> int:
    from generator.quicknote import write_note

    if args.quote is None:
        for flag, given in (("--prefix", args.prefix), ("--suffix", args.suffix), ("--use-exact", args.use_exact)):
            if given:
                args.parser.error(f"{flag} is for a quote; give the quote after the article's slug")
    written = write_note(
        args.root,
        args.article,
        args.quote,
        tags=tuple(args.tag),
        slug=args.slug,
        prefix=args.prefix,
        suffix=args.suffix,
        body=note_text(args.message),
        use_exact=args.use_exact,
        confirm=ask_to_use_wording if sys.stdin.isatty() and args.message != "-" else None,
        today=datetime.date.today(),
    )
    print(f"wrote {written.path}")
    if written.tier != "none":
        print(f"the quote anchors: {written.tier}{NORMALIZED_NOTE if written.tier == 'normalized' else ''}", file=sys.stderr)
    return 0


def note_text(message: str | None):
    """The note's text: -m's, standard input's for '-m -', else (on a terminal, with $VISUAL or
    $EDITOR set) what is typed in the editor, as git commit does; else none. A run from a script
    never starts an editor, so it never waits for one."""
    if message == "-":
        return sys.stdin.read()
    if message is not None:
        return message
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor and sys.stdin.isatty() and sys.stdout.isatty():
        return lambda: edited_text(editor)
    return ""


def edited_text(editor: str) -> str:
    import shlex
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="sitegen-note-") as folder:
        path = Path(folder) / "note.md"
        path.write_text("", encoding="utf-8")
        status = subprocess.run([*shlex.split(editor), str(path)]).returncode
        if status != 0:
            raise SiteError.at(SourceLoc(editor), f"the editor exited with status {status}; no note was written")
        return path.read_text(encoding="utf-8")


NORMALIZED_NOTE = " (found once spacing, quote marks, dashes and case are set aside)"


def ask_to_use_wording(wording: str) -> bool:
    """Asked on a terminal only: a run from a script or a pipe gets the refusal, never a prompt that waits."""
    print(f'the quote is not the article\'s wording; the article says:\n  "{wording}"', file=sys.stderr)
    try:
        answer = input("use the article's wording? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run_entity(args) -> int:
    from generator.new_entity import write_entity

    body = sys.stdin.read() if args.message == "-" else args.message or ""
    path = write_entity(args.root, args.name, args.kind, aliases=tuple(args.alias), url=args.url, slug=args.slug, body=body)
    print(f"wrote {path}")
    return 0


def run_import_annotations(args) -> int:
    """Exit 1 when a highlight did not become a note (no article, quote not found or not
    unique): the notes that could be placed are written, and a run again adds nothing twice."""
    from generator.annotations_import import import_annotations, summary

    report = import_annotations(args.root, args.export)
    for path in report.written:
        print(f"wrote {path}")
    for problem in report.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    for problem in report.not_imported:
        print(problem, file=sys.stderr)
    print(summary(report))
    if report.unplaced:
        print(f"sitegen: {counted(report.unplaced, 'highlight')} not imported", file=sys.stderr)
        return 1
    return 0


def run_serve(args) -> int:
    from generator.serve import serve

    return serve(args.root, host=args.host, port=args.port, open_browser=args.open, base_url=args.base_url)


def run_export(args) -> int:
    from generator.export import export_archive

    text = export_archive(args.root, args.format)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise SiteError.at(SourceLoc(str(args.output)), f"cannot write: {error.strerror or error}") from None
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


ARCHIVE_COMMANDS = (run_build, run_check, run_anchors, run_note, run_entity, run_import_annotations, run_serve, run_export)
