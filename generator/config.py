"""Site configuration from the optional `sitegen.yaml`; every key has a default."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from generator.content.load import read_text
from generator.content.schema import (
    Field,
    Invalid,
    boolean,
    checked_values,
    language_tag,
    non_negative_int,
    nonempty_text,
    number,
    optional_text,
    reads_text,
    shaped,
    text,
)
from generator.content.yamlsafe import parse_yaml
from generator.errors import ProblemLog, SiteError, SourceLoc
from generator.records import Config

CONFIG_NAME = "sitegen.yaml"


@shaped(
    "an http(s) URL with a host (and maybe a port), or a path starting with `/`; its path holds only what a URL path holds "
    "(letters, digits, `-._~!$&'()*+,;=:@/` and `%XX` escapes): no backslash, space, `.` or `..` segment, `?` or `#`"
)
@reads_text
def base_url(value: object) -> str:
    """Where the site lives: an http(s) URL or a path. Every page's links and scripts start with it,
    so it may hold only what a URL path holds: `/\\evil.com/` (a backslash, which browsers read as
    `//`, so the scripts came from evil.com), `..`, spaces or control characters are refused."""
    url = text(value) or "/"
    parts = urlsplit(url)
    if parts.netloc and parts.scheme not in ("http", "https"):
        raise Invalid(f"must be an http(s) URL or a path like /repo/, not '{_shown(url)}'")
    if not parts.netloc and not url.startswith("/"):
        raise Invalid(f"must be an http(s) URL or a path starting with '/', not '{_shown(url)}'")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise Invalid("must not have a query or fragment")
    if parts.netloc and not _HOST_AND_PORT.fullmatch(parts.netloc):
        raise Invalid(f"must name a host (and maybe a port) after '//', not '{_shown(parts.netloc)}'")
    bad = _NOT_IN_PATH.search(parts.path)
    if bad:
        raise Invalid(f"must not hold {_character(bad[0])} (only what a URL path holds), not '{_shown(url)}'")
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        raise Invalid(f"must not have '.' or '..' segments, not '{_shown(url)}'")
    return url


# RFC 3986: a path holds unreserved characters, sub-delimiters, ':', '@', '/' and %XX escapes.
_NOT_IN_PATH = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]|%(?![0-9A-Fa-f]{2})")
_HOST_AND_PORT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?")


def _character(char: str) -> str:
    return f"'{char}'" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def _shown(url: str) -> str:
    """`url` for an error line: printable, and not the length of a paragraph."""
    return "".join(char if char.isprintable() else f"U+{ord(char):04X}" for char in url[:80])


@shaped("a host name alone, such as `www.example.org`")
@reads_text
def domain_name(value: object) -> str | None:
    """A custom domain for GitHub Pages' CNAME file: a host name alone, as `www.example.org`."""
    name = optional_text(value)
    if name is not None and not _DOMAIN.fullmatch(name):
        raise Invalid(f"must be a domain name such as 'www.example.org', not '{name[:80]}'")
    return name


_DOMAIN = re.compile(r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")


FUZZY_LEAST, FUZZY_MOST = 50, 100


@shaped(f"a number from {FUZZY_LEAST} to {FUZZY_MOST} (percent)")
def fuzzy_threshold(value: object) -> float:
    result = number(value)
    if not FUZZY_LEAST <= result <= FUZZY_MOST:
        raise Invalid(f"must be between {FUZZY_LEAST} and {FUZZY_MOST} (percent similarity)")
    return result


CONFIG_FIELDS = {
    "title": Field(nonempty_text, doc="the site's name: the home page's heading, the end of every page's title, the feeds' title"),
    "description": Field(text, doc="a line about the archive: under the home page's heading, the pages' description for search engines and link previews, the feeds' subtitle; write `description: \"\"` for none"),
    "base_url": Field(base_url, doc="where the site is published, such as `https://user.github.io/repo/` or `/repo/`; every link starts with its path, "
                      "and with a host the pages also get canonical links and a `sitemap.xml` (`--base-url` of `build` and `serve` overrides it)"),
    "language": Field(language_tag, doc="the language of pages and feeds, and of every article that names none"),
    "theme": Field(nonempty_text, doc="the theme: the archive's own `themes/<name>/` folder, else a theme that comes with sitegen (`default`)"),
    "author": Field(optional_text, doc="who keeps the archive: the feeds' author (the site's title when there is none)"),
    "cname": Field(domain_name, doc="a custom domain for GitHub Pages, written to the site's `CNAME` file"),
    "entity_autolink": Field(boolean, doc="link the first mention of each entity in every article's text to the entity's page"),
    "allow_html": Field(boolean, doc="pass raw HTML written in Markdown through to the pages (it is escaped otherwise)"),
    "home_items": Field(non_negative_int, doc="how many articles and notes the home page lists"),
    "feed_items": Field(non_negative_int, doc="how many entries each feed holds"),
    "search": Field(boolean, doc="build the search index and the search page"),
    "fuzzy_threshold": Field(fuzzy_threshold, doc="the least similarity a quote of 20 characters or more needs to a passage to anchor there "
                             "when it is not found exactly or with spacing, quote marks, dashes and case ignored"),
}
assert set(CONFIG_FIELDS) == {f.name for f in fields(Config)}


def load_config(root: Path) -> Config:
    """Read `sitegen.yaml` from `root` if present; every mistake in it raised together (read_config)."""
    log = ProblemLog()
    config = read_config(root, log)
    log.raise_errors()
    return config


def read_config(root: Path, log: ProblemLog) -> Config:
    """`sitegen.yaml` of `root` if present, its mistakes (unknown keys with a hint, bad values)
    in `log`, each mistaken key at its default: a build goes on to check the archive with them,
    so that one run lists the config's mistakes and the content's together. A key without a
    value (`language:`, `~`) keeps its default, as in front-matter an empty value is none:
    taken as written, an empty `language` reached the feed as None and stopped the build."""
    path = root / CONFIG_NAME
    if not path.exists():
        return Config()
    loc = SourceLoc(CONFIG_NAME, 1)
    try:
        doc = parse_yaml(read_text(path, root, CONFIG_NAME), loc)
    except SiteError as error:
        log.absorb(error)
        return Config()
    if doc.value is None:
        return Config()
    if not isinstance(doc.value, dict):
        log.error(loc, "sitegen.yaml must be a mapping of 'key: value' lines")
        return Config()
    values, _ = checked_values(doc.value, CONFIG_FIELDS, doc, (), SourceLoc(CONFIG_NAME), log, "config")
    return Config(**{key: value for key, value in values.items() if value is not None})  # a mistaken value is None: the default


def with_overrides(config: Config, *, base_url_override: str | None) -> Config:
    """Apply command-line overrides (checked like the config key they replace)."""
    if base_url_override is None:
        return config
    try:
        return replace(config, base_url=base_url(base_url_override))
    except Invalid as error:
        raise SiteError.at(SourceLoc("--base-url"), f"{error}") from None
