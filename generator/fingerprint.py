"""What a build is made from, as one hash: if it matches the site's, the build is up to date.

The fingerprint covers every byte that can change the output: the content files, the
config with command-line overrides, the theme and local templates, the search flag and
sitegen's own version. It is stored in the output's marker file, so deleting site/ (or
any change at all) means a full build; nothing is ever served stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta

from generator import __version__
from generator.config import Config
from generator.errors import Problem
from generator.records import ScannedFile
from generator.theme import BUNDLED_THEMES, make_environment, template_dirs, theme_dir
from generator.write import replace_file


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sitegen's own source: an edited checkout must not be taken for the version that built the site."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for file in sorted(package.rglob("*.py")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def setup_fingerprint(root: Path, config: Config, pages_setup: str) -> str:
    """Everything but the content: `pages_setup` (output_setup) and every template file."""
    digest = hashlib.sha256(pages_setup.encode())
    for folder in template_dirs(root, config):
        _hash_files(digest, folder)
    return digest.hexdigest()


def output_setup(root: Path, config: Config, *, search: bool) -> str:
    """What every page depends on: sitegen's version, the config, the search flag and the theme's
    static files (their fingerprints are in every page's asset URLs). Templates are hashed apart,
    per template (template_digests), so that editing one renders again only the pages that use it."""
    digest = hashlib.sha256()
    digest.update(f"sitegen {__version__} {code_fingerprint()}\0search={search}\0{astuple(config)!r}\0".encode())
    _hash_files(digest, theme_dir(root, config) / "static")
    return digest.hexdigest()


def _hash_files(digest, folder: Path) -> None:
    """Every file under `folder`, by relative path and bytes, in path order."""
    for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if file.is_file():
            digest.update(f"{file.relative_to(folder).as_posix()}\0".encode())
            digest.update(file.read_bytes())


TEMPLATE_DIGESTS = Path(".sitegen-cache") / "template-digests.json"


SHIPPED = "shipped:"  # the digest of a template as sitegen ships it, with all it uses


def template_digests(root: Path, config: Config) -> dict[str, str]:
    """Each template's source hashed with every template it extends, includes or imports;
    the digest of a template that is, with all it uses, the one sitegen's theme ships begins
    with SHIPPED.

    Only those are known to show what incremental.page_keys says each page shows: a template
    of the archive's own (in `templates/`, or a theme in `themes/`) may show anything of the
    records (incremental.unkeyed_templates).

    Kept in TEMPLATE_DIGESTS, keyed by every template's source, the shipped theme's and
    sitegen's code. A template that names another by a variable, or does not parse (the
    build reports it), is taken to use all of them.
    """
    env = make_environment(root, config)
    loader = env.loader
    assert loader is not None  # make_environment gives it one
    sources = {name: loader.get_source(env, name)[0] for name in env.list_templates()}
    shipped = shipped_sources(config)
    everything = hashlib.sha256(code_fingerprint().encode())
    for name, source in [*sources.items(), ("\0shipped", ""), *shipped.items()]:
        everything.update(f"{name}\0{source}\0".encode())
    saved = root / TEMPLATE_DIGESTS
    try:  # parsing every template costs a one-note rebuild more than rendering its pages
        stored = json.loads(saved.read_text(encoding="utf-8"))
        if stored["sources"] == everything.hexdigest():
            return stored["digests"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    digests = _template_digests(sources)
    as_shipped = digests if shipped == sources else _template_digests(shipped)
    digests = {name: SHIPPED + digest if as_shipped.get(name) == digest else digest for name, digest in digests.items()}
    try:
        replace_file(saved, json.dumps({"sources": everything.hexdigest(), "digests": digests}).encode("utf-8"))
    except OSError:
        pass  # a read-only project still builds; it parses the templates each time
    return digests


def shipped_sources(config: Config) -> dict[str, str]:
    """The templates of the theme as sitegen ships it, by name (none for a theme it does not ship)."""
    folder = BUNDLED_THEMES / config.theme / "templates"
    if not folder.is_dir():
        return {}
    return {file.relative_to(folder).as_posix(): file.read_text(encoding="utf-8") for file in sorted(folder.rglob("*")) if file.is_file()}


def _template_digests(sources: dict[str, str]) -> dict[str, str]:
    uses: dict[str, set[str]] = {}
    for name, source in sources.items():
        named = referenced_templates(source)
        uses[name] = set(sources) if None in named else {n for n in named if n in sources}

    def closure(name: str) -> set[str]:
        found, pending = {name}, [name]
        while pending:
            for used in uses[pending.pop()] - found:
                found.add(used)
                pending.append(used)
        return found

    digests = {}
    for name in sources:
        digest = hashlib.sha256()
        for used in sorted(closure(name)):
            digest.update(f"{used}\0{sources[used]}\0".encode())
        digests[name] = digest.hexdigest()
    return digests


@lru_cache(maxsize=256)
def referenced_templates(source: str) -> frozenset[str | None]:
    """The templates a template's source names (None: one named by a variable, or a syntax error).

    Memoized by source: parsing the theme costs a one-note rebuild more than rendering its pages.
    """
    try:
        return frozenset(meta.find_referenced_templates(_PARSER.parse(source)))
    except jinja2.TemplateSyntaxError:
        return frozenset({None})


_PARSER = jinja2.Environment()  # the syntax is Jinja's default; trim and escape settings do not change what a template names


def build_fingerprint(
    setup: str, files: tuple[ScannedFile, ...], assets: tuple[tuple[str, bytes], ...], unpublished: tuple[Problem, ...]
) -> str:
    """The setup fingerprint and every content file: Markdown by path and content hash, published files
    whole, and the warnings naming the unpublished ones (adding one is news even if the site is not)."""
    digest = hashlib.sha256(setup.encode())
    for problem in unpublished:
        digest.update(f"{problem}\0".encode())
    for file in files:
        digest.update(f"{file.path}\0{file.digest}\0".encode())
    for path, data in assets:
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
