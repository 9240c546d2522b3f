"""Declarative front-matter schemas and the checker that turns YAML into clean values.

A schema maps each allowed key to a Field. Checking reports unknown keys (with a
"did you mean"), missing required keys and wrong types, each at the key's line.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.content.yamlsafe import KeyPath, YamlDoc
from generator.errors import ProblemLog, SourceLoc, did_you_mean
from generator.languages import canonical_language


class Invalid(Exception):
    """A value of the wrong shape; the message completes "field 'x' ..."."""


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a schema. `doc` says what the value means and `shape` (when the converter's own
    shape, see `shaped`, does not say it) what may be written: the reference pages docs/config.md and
    docs/fields.md are written from these, so the checker and its documentation are one source."""

    convert: Callable[[Any], Any]
    required: bool = False
    default: Any = None
    doc: str = ""
    shape: str = ""

    @property
    def written_shape(self) -> str:
        """What a value of this field may be, in words, for the reference pages."""
        return self.shape or _SHAPES[self.convert]

    @property
    def reads_text(self) -> bool:
        """Whether the field is text, so that a value YAML 1.1 read as a number, a date or
        true/false reaches `convert` as the text it was written as."""
        return self.convert in _TEXT_CONVERTERS


_TEXT_CONVERTERS: set[Callable[[Any], Any]] = set()
_SHAPES: dict[Callable[[Any], Any], str] = {}


def shaped(words: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Name in words (Markdown) what `convert` accepts, next to the code that checks it."""

    def register(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
        _SHAPES[convert] = words
        return convert

    return register


def reads_text(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Mark `convert` as a converter of text fields (see Field.reads_text)."""
    _TEXT_CONVERTERS.add(convert)
    return convert


@shaped("text")
@reads_text
def text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    raise Invalid(f"must be text, not {describe(value)}")


@shaped("text, kept exactly as written (spaces included)")
@reads_text
def raw_text(value: Any) -> str:
    """Text kept exactly as written, whitespace included (quote context)."""
    if not isinstance(value, str):
        raise Invalid(f"must be text, not {describe(value)}")
    return value


@shaped("text, not empty")
@reads_text
def nonempty_text(value: Any) -> str:
    result = text(value)
    if not result:
        raise Invalid("must not be empty")
    return result


@shaped("text")
@reads_text
def optional_text(value: Any) -> str | None:
    return None if value is None else (text(value) or None)


@shaped("`true` or `false`")
def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {describe(value)}")
    return value


@shaped("a whole number, 0 or more")
def non_negative_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid(f"must be a whole number >= 0, not {describe(value)}")
    return value


@shaped("a number")
def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"must be a number, not {describe(value)}")
    return float(value)


@shaped("a date (`2024-10-23`) or date and time (`2024-10-23T08:30:00`)")
def optional_date(value: Any) -> datetime.date | datetime.datetime | None:
    if value is None or isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.strip()) if "T" in value else datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(f"must be a date like 2024-10-23, not {describe(value)}")


@shaped("a date (`2024-10-23`)")
def optional_day(value: Any) -> datetime.date | None:
    result = optional_date(value)
    return result.date() if isinstance(result, datetime.datetime) else result


@shaped("an http(s) URL")
@reads_text
def web_url(value: Any) -> str | None:
    if value is None:
        return None
    url = text(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(f"must be an http(s) URL, not '{url[:80]}'")
    return url


@shaped("a list of text (a single text is a list of one)")
@reads_text
def text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"must be a list of text, not {describe(value)}")
    items = []
    for item in value:
        items.append(nonempty_text(item))
    return tuple(items)


def one_of(*choices: str) -> Callable[[Any], str]:
    @shaped("one of " + ", ".join(f"`{choice}`" for choice in choices))
    @reads_text
    def convert(value: Any) -> str:
        result = text(value)
        if result not in choices:
            raise Invalid(f"must be one of {', '.join(choices)}, not '{result}'{did_you_mean(result, choices)}")
        return result

    return convert


@shaped("a BCP 47 language tag (`en`, `pt-BR`, `zh-Hant`)")
@reads_text
def language_tag(value: Any) -> str | None:
    """A language as a well-formed, registered BCP 47 tag in canonical case (see languages.py)."""
    if value is None:
        return None
    written = text(value)
    tag = canonical_language(written)
    if tag is None:
        raise Invalid(f"must be a BCP 47 language tag such as 'en', 'pt-BR' or 'zh-Hant', not '{written[:40]}'")
    return tag


def describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return "a date"
    return f"'{str(value)[:60]}'"


def check_mapping(
    mapping: dict[str, Any],
    schema: dict[str, Field],
    doc: YamlDoc,
    path: KeyPath,
    loc: SourceLoc,
    log: ProblemLog,
    what: str,
) -> dict[str, Any] | None:
    """Convert `mapping` by `schema`; report every problem to `log`; None if any was found."""
    values, sound = checked_values(mapping, schema, doc, path, loc, log, what)
    return values if sound else None


def checked_values(
    mapping: dict[str, Any],
    schema: dict[str, Field],
    doc: YamlDoc,
    path: KeyPath,
    loc: SourceLoc,
    log: ProblemLog,
    what: str,
) -> tuple[dict[str, Any], bool]:
    """(every key's value, whether all were sound): each problem goes to `log` and leaves its
    key at the default, so that a caller may go on checking what does not depend on it (the
    rest of a file's front-matter, the archive beside a mistaken config) and report it all at once."""
    sound = True
    result: dict[str, Any] = {}
    for key in mapping:
        if key not in schema:
            log.error(loc.at_line(doc.line_of(path + (key,))), f"unknown field '{key}'{did_you_mean(key, schema)}")
            sound = False
    for key, spec in schema.items():
        value = mapping.get(key)
        if doc.written and spec.reads_text:
            value = doc.as_written(value, path + (key,))
        result[key] = spec.default
        if value is None:
            if spec.required:
                log.error(loc.at_line(doc.line_of(path + (key,))), f"{what} is missing required field '{key}'")
                sound = False
            continue
        try:
            result[key] = spec.convert(value)
        except Invalid as error:
            log.error(loc.at_line(doc.line_of(path + (key,))), f"field '{key}' {error}")
            sound = False
    return result, sound
