"""Finding the theme and making its Jinja environment.

A local `templates/` folder overrides single templates of the theme, so a user can
change one page without copying the whole theme.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
import traceback
import zlib
from collections.abc import Iterator
from pathlib import Path

import jinja2
import jinja2.bccache

from generator.cache_damage import UNREADABLE_PICKLE, discard_unreadable
from generator.config import Config
from generator.errors import Problem, SiteError, SourceLoc
from generator.records import ReservedIds
from generator.write import replace_file

# Installed from a wheel the theme sits inside the package; in a source checkout, beside it.
BUNDLED_THEMES = next(
    (d for d in (Path(__file__).resolve().parent / "themes", Path(__file__).resolve().parent.parent / "themes") if d.is_dir()),
    Path(__file__).resolve().parent.parent / "themes",
)


def theme_dir(root: Path, config: Config) -> Path:
    for candidate in (root / "themes" / config.theme, BUNDLED_THEMES / config.theme):
        if (candidate / "templates").is_dir():
            return candidate
    raise SiteError.at(SourceLoc("sitegen.yaml"), f"theme '{config.theme}' not found in themes/")


def template_dirs(root: Path, config: Config) -> list[Path]:
    local = root / "templates"
    dirs = [local] if local.is_dir() else []
    return dirs + [theme_dir(root, config) / "templates"]


# An id attribute in a template, quoted either way; its value may hold Jinja (`note-{{ note.slug }}`).
_ID_ATTRIBUTE = re.compile(r"""(?<![\w-])id\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def theme_ids(root: Path, config: Config) -> ReservedIds:
    """The ids that the templates in use (local ones and the theme's) give their own elements:
    a value written out is reserved whole, one made with Jinja by what comes before the
    first `{`. Read from the templates, so a theme that adds an id reserves it: a heading
    `## Main` gets an id other than the `<main id="main">` of the page it is on."""
    ids: set[str] = set()
    prefixes: set[str] = set()
    for folder in template_dirs(root, config):
        for file in sorted(folder.rglob("*.html")):
            for match in _ID_ATTRIBUTE.finditer(file.read_text(encoding="utf-8", errors="replace")):
                value = match[1] if match[1] is not None else match[2]
                written = value.split("{", 1)[0]
                if written == value:
                    ids.add(value)
                elif written:
                    prefixes.add(written)
    return ReservedIds(frozenset(ids), tuple(sorted(prefixes)))


TEMPLATE_CACHE = Path(".sitegen-cache") / "templates"


def make_environment(root: Path, config: Config, *, compiled_cache: bool = False) -> jinja2.Environment:
    """A new environment per build, so templates never change under it: `auto_reload=False` spares
    a stat() of every template file each time a page, include or import asks for it.

    With `compiled_cache`, compiled templates are kept in .sitegen-cache/templates/
    (TemplateCache, keyed by each template's source): compiling the theme costs a build
    that renders a few pages more than rendering them.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(root, config)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=TemplateCache(root) if compiled_cache else None,
    )


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in .sitegen-cache/templates/, a file per template: Jinja's bytecode
    (Bucket.bytecode_to_string) after its size and CRC-32, so that a file cut short or damaged
    is told from a sound one, and discarded with a warning (cache_damage.py). Jinja's own file
    cache raised UnpicklingError on a file cut short, in every build until it was deleted."""

    HEADER = struct.Struct("<QI")

    def __init__(self, root: Path) -> None:
        self.root = root

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name = TEMPLATE_CACHE / f"{bucket.key}.cache"
        try:
            data = (self.root / name).read_bytes()
        except FileNotFoundError:
            return
        except OSError:
            discard_unreadable(self.root, name)
            return
        payload = data[self.HEADER.size :]
        try:
            size, checksum = self.HEADER.unpack_from(data)
            if size != len(payload) or zlib.crc32(payload) != checksum:
                raise ValueError("a file cut short or damaged")
            bucket.bytecode_from_string(payload)
        except (struct.error, *UNREADABLE_PICKLE):
            bucket.reset()
            discard_unreadable(self.root, name)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = bucket.bytecode_to_string()
        replace_file(self.root / TEMPLATE_CACHE / f"{bucket.key}.cache", self.HEADER.pack(len(payload), zlib.crc32(payload)), payload)


def static_files(root: Path, config: Config) -> list[tuple[str, bytes]]:
    """(site path, bytes) of the theme's static files, under 'static/'."""
    static = theme_dir(root, config) / "static"
    if not static.is_dir():
        return []
    return [(f"static/{p.relative_to(static).as_posix()}", p.read_bytes()) for p in sorted(static.rglob("*")) if p.is_file()]


def fingerprint(data: bytes) -> str:
    """A short content hash for cache-busting asset URLs."""
    return hashlib.sha256(data).hexdigest()[:10]


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".json")


@contextlib.contextmanager
def template_errors(root: Path) -> Iterator[None]:
    """A template mistake raised in the block becomes a SiteError at the template's line.

    Besides Jinja's own errors, that is any exception raised while a template runs
    (`{{ 1 // 0 }}`, adding text to a number, an include of itself): Jinja rewrites the
    traceback of whatever a template raises so that its frames name the template file and
    line, and the innermost such frame is where the mistake is. An exception raised with
    no template frame is sitegen's own and keeps its traceback."""
    try:
        yield
    except jinja2.TemplateError as error:
        raise SiteError([template_problem(error, root)]) from None
    except SiteError:
        raise
    except Exception as error:
        frame = _innermost_template_frame(error)
        if frame is None:
            raise
        raise SiteError([Problem(_frame_loc(frame, root), f"template error: {_runtime_message(error)}")]) from None


def template_problem(error: jinja2.TemplateError, root: Path) -> Problem:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(SourceLoc(_shown_path(error.filename or error.name or "template", root), error.lineno or 0), f"template error: {error.message}")
    frame = _innermost_template_frame(error)
    if frame is not None:
        return Problem(_frame_loc(frame, root), f"template error: {error}")
    return Problem(SourceLoc("templates"), f"template error: {error}")


def _innermost_template_frame(error: BaseException) -> traceback.FrameSummary | None:
    """The last frame of `error`'s traceback that is a template's (Jinja names it by the template's file)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(TEMPLATE_SUFFIXES):
            return frame
    return None


def _frame_loc(frame: traceback.FrameSummary, root: Path) -> SourceLoc:
    return SourceLoc(_shown_path(frame.filename, root), frame.lineno or 0)


def _runtime_message(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "templates call or include each other without end (Python's recursion limit was reached)"
    return f"{type(error).__name__}: {error}"


def _shown_path(filename: str, root: Path) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        bundled = BUNDLED_THEMES.parent
        try:
            return path.resolve().relative_to(bundled).as_posix()
        except ValueError:
            return filename
