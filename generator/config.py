"""Site configuration from the optional `sitegen.yaml`; every key has a default."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import lru_cache
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
    text,
)
from generator.content.yamlsafe import parse_yaml
from generator.errors import ProblemLog, SiteError, SourceLoc

CONFIG_NAME = "sitegen.yaml"


@dataclass(frozen=True, slots=True)
class Config:
    title: str = "Reading archive"
    description: str = "Articles I have read, with my highlights and notes."
    base_url: str = "/"
    language: str = "en"
    theme: str = "default"
    author: str | None = None
    cname: str | None = None
    entity_autolink: bool = True
    allow_html: bool = False
    home_items: int = 10
    feed_items: int = 50
    search: bool = True
    fuzzy_threshold: float = 90.0

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/' ('/repo/')."""
        return _base_path(self.base_url)

    @property
    def origin(self) -> str:
        """'https://example.org' when base_url is absolute, '' when it is only a path."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


@lru_cache(maxsize=8)
def _base_path(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


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


@reads_text
def domain_name(value: object) -> str | None:
    """A custom domain for GitHub Pages' CNAME file: a host name alone, as `www.example.org`."""
    name = optional_text(value)
    if name is not None and not _DOMAIN.fullmatch(name):
        raise Invalid(f"must be a domain name such as 'www.example.org', not '{name[:80]}'")
    return name


_DOMAIN = re.compile(r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")


def fuzzy_threshold(value: object) -> float:
    result = number(value)
    if not 50 <= result <= 100:
        raise Invalid("must be between 50 and 100 (percent similarity)")
    return result


CONFIG_FIELDS = {
    "title": Field(nonempty_text),
    "description": Field(text),
    "base_url": Field(base_url),
    "language": Field(language_tag),
    "theme": Field(nonempty_text),
    "author": Field(optional_text),
    "cname": Field(domain_name),
    "entity_autolink": Field(boolean),
    "allow_html": Field(boolean),
    "home_items": Field(non_negative_int),
    "feed_items": Field(non_negative_int),
    "search": Field(boolean),
    "fuzzy_threshold": Field(fuzzy_threshold),
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
