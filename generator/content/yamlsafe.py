"""A guarded YAML reader that remembers the line of every key.

PyYAML's `safe_load` loses line numbers, accepts duplicate keys silently and expands
alias bombs into gigabytes. Front-matter needs none of YAML's cleverness, so this
reader composes the node tree (linear in the input), rejects aliases, duplicate keys
and deep nesting, and builds plain values while recording `key path -> line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from generator.content.unprintable import UNPRINTABLE, unprintable_name
from generator.errors import SiteError, SourceLoc

MAX_DEPTH = 16
# libyaml's parser when PyYAML was built with it: the same node tree, several times faster.
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]  # the same interface, in Python
_MAX_REMEMBERED = 50_000  # plain scalars' tags and other scalars' values, kept by each process


class FrontMatterLoader(SafeLoader):
    """The safe loader, remembering the tag of each plain scalar it has resolved.

    The parser asks the resolver for the tag of every node: for a plain scalar (a key, a
    title, a date) PyYAML's resolver tries the patterns of its first character in Python,
    once for every key and value of every front matter (most of the time spent composing
    them). The tag of a plain scalar
    depends on its text alone (sitegen adds no path resolvers), and keys, roles, outlets
    and tags repeat from file to file, so a dict answers most of them.
    """

    _plain_tags: dict[str, str] = {}  # shared by every loader of the process

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0] and value is not None:
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._plain_tags) < _MAX_REMEMBERED:
                    self._plain_tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """Parsed YAML: the value, the source line of each key or list item by its path, and the
    text as written of each scalar YAML 1.1 read as something else than text (`010` is 8,
    `12:30` is 750, `no` is false), so that a field meant as text can keep what was typed."""

    value: Any
    lines: dict[KeyPath, int]
    written: dict[KeyPath, str] = field(default_factory=dict)

    def line_of(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def as_written(self, value: Any, path: KeyPath) -> Any:
        """`value` (found at `path`) with each number, date or true/false in it, itself or an item
        of its list, back as the text it was written as; null (`~`, nothing) stays None."""
        if path in self.written:
            return self.written[path]
        if type(value) is list and self.written:
            return [self.written.get(path + (index,), item) for index, item in enumerate(value)]
        return value


def _scalar(loader, node: ScalarNode, loc: SourceLoc, line: int) -> Any:
    """A key's or value's Python value; an unknown tag (`!x`) or bad value is the user's error
    at `line`. Values are remembered by tag and text: a scalar's value is made from those
    alone, is immutable (None, booleans, numbers, dates, bytes), and dates repeat from file to
    file (PyYAML reads a timestamp with a regex and Python arithmetic)."""
    key = (node.tag, node.value)
    value = _scalar_values.get(key, _NOT_MADE)
    if value is not _NOT_MADE:
        return value
    try:
        value = loader.construct_object(node)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise SiteError.at(loc.at_line(line), f"invalid YAML value: {problem}") from None
    except ValueError as error:  # a date that is no day (2026-13-45), an integer too long to read
        reason = str(error).split(":")[0]  # without Python's advice on its own limits
        raise SiteError.at(loc.at_line(line), f"invalid YAML value '{_shortened(node.value)}': {reason}") from None
    if len(_scalar_values) < _MAX_REMEMBERED:
        _scalar_values[key] = value
    return value


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_scalar_values: dict[tuple[str, str], Any] = {}  # see _scalar
_NOT_MADE = object()  # a value may be None


def parse_yaml(text: str, loc: SourceLoc) -> YamlDoc:
    """Parse `text` (which starts at `loc.line`) into a YamlDoc, or raise SiteError at the bad line."""
    first_line = max(loc.line, 1)
    deep_line = _too_deep_line(text)
    if deep_line is not None:
        raise SiteError.at(loc.at_line(first_line + deep_line), f"YAML nested too deeply (limit {MAX_DEPTH})")
    loader = FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        # The context mark (where the unclosed quote or block began) is where the user must look.
        mark = error.context_mark or error.problem_mark
        line = first_line + (mark.line if mark else 0)
        raise SiteError.at(loc.at_line(line), f"invalid YAML: {_yaml_problem(error, text)}") from None
    except yaml.YAMLError as error:
        raise SiteError.at(loc.at_line(first_line), f"invalid YAML: {error}") from None
    except RecursionError:
        raise SiteError.at(loc.at_line(first_line), f"YAML nested too deeply (limit {MAX_DEPTH})") from None
    try:
        lines: dict[KeyPath, int] = {}
        written: dict[KeyPath, str] = {}
        if node is None:
            return YamlDoc(None, {(): first_line})
        value = _build(loader, node, (), lines, written, set() if "&" in text else None, loc, first_line)
        lines.setdefault((), first_line + node.start_mark.line)
        doc = YamlDoc(value, lines, written)
        if "\\" in text:  # only an escape in a double-quoted scalar makes what the file could not hold
            _refuse_unprintable(doc, loc)
        return doc
    finally:
        loader.dispose()


def _too_deep_line(text: str) -> int | None:
    """The 0-based line where nesting goes far past the limit, before any parser recurses on it.

    libyaml's composer recurses once per level and can exhaust the C stack on hostile
    input (`[[[[...` or `- - - - ...`), so a linear scan stops those first. It counts
    indentation levels, compact `- ` items and flow brackets (quoted text skipped
    roughly); the exact limit is enforced later by `_build`.
    """
    limit = 4 * MAX_DEPTH
    if text.count("\n") + sum(text.count(mark) for mark in ("[", "{", "- ", "? ", ": ")) < limit:
        return None  # even every line, item and bracket inside one another would stay under the limit
    indents: list[int] = []
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        compact = _COMPACT_ITEMS.match(stripped)  # matches at every start, if only nothing
        dashes = len(compact.group()) // 2 if compact else 0
        if len(indents) + dashes + _bracket_depth(stripped) > limit:
            return number
    return None


_STR = "tag:yaml.org,2002:str"
_COMPACT_ITEMS = re.compile(r"(?:[-?:] )*")


def _bracket_depth(line: str) -> int:
    depth = deepest = 0
    quote = ""
    for char in line:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


def _yaml_problem(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = error.problem or "syntax error"
    if error.problem_mark is not None:
        bad_line = text.split("\n")[error.problem_mark.line] if error.problem_mark.line < text.count("\n") + 1 else ""
        if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
            return "tab character used for indentation (use spaces)"
    return f"{problem} {error.context}" if error.context else problem


def _build(loader, node, path: KeyPath, lines, written, seen: set[int] | None, loc: SourceLoc, first_line: int) -> Any:
    """The value of `node` at `path`, recording the line of each key and item below it, and in
    `written` the source text of each scalar that is not read as text (see YamlDoc).

    `seen` holds the nodes built so far, to refuse an alias (the composer gives it as the very
    node it names); None when the text defines no anchor (`&`), so that it can hold no alias.
    A string scalar below, most of the values, is then taken here, without a call of its own.
    """
    line = first_line + node.start_mark.line
    if seen is not None:
        if id(node) in seen:
            raise SiteError.at(loc.at_line(line), "YAML aliases (*name) are not supported in front-matter")
        seen.add(id(node))
    if len(path) > MAX_DEPTH:
        raise SiteError.at(loc.at_line(line), f"YAML nested too deeply (limit {MAX_DEPTH})")
    kind = type(node)
    if kind is ScalarNode:
        if node.tag == _STR:
            return node.value  # what the constructor would return, without its generic dispatch
        value = _scalar(loader, node, loc, line)
        if value is not None and type(value) is not str:
            written[path] = node.value
        return value
    taken_here = seen is None and len(path) < MAX_DEPTH
    if kind is SequenceNode:
        items = []
        for index, item in enumerate(node.value):
            item_path = path + (index,)
            lines[item_path] = first_line + item.start_mark.line
            if taken_here and type(item) is ScalarNode and item.tag == _STR:
                items.append(item.value)
            else:
                items.append(_build(loader, item, item_path, lines, written, seen, loc, first_line))
        return items
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line = first_line + key_node.start_mark.line
        if type(key_node) is not ScalarNode:
            raise SiteError.at(loc.at_line(key_line), "a key must be a plain name")
        if key_node.tag == _STR:
            key = key_node.value
        elif key_node.tag == "tag:yaml.org,2002:merge":
            raise SiteError.at(loc.at_line(key_line), "YAML merge keys (<<) are not supported in front-matter")
        else:
            key = str(_scalar(loader, key_node, loc, key_line))
        if key in mapping:
            raise SiteError.at(loc.at_line(key_line), f"duplicate key '{key}'")
        key_path = path + (key,)
        lines[key_path] = key_line
        if taken_here and type(value_node) is ScalarNode and value_node.tag == _STR:
            mapping[key] = value_node.value
        else:
            mapping[key] = _build(loader, value_node, key_path, lines, written, seen, loc, first_line)
    return mapping


def _refuse_unprintable(doc: YamlDoc, loc: SourceLoc) -> None:
    """A string that holds a character no page or feed may carry is an error at its line.

    The file itself cannot hold one (read_text and YAML's reader refuse them), but a
    double-quoted scalar can spell it as an escape: `"\\0"`, `"\\e"`, `"\\x1b"`, `"\\uffff"`,
    `"\\ud800"`. NUL or ESC in a title made feed.xml no XML at all."""
    for path, value in _strings(doc.value, ()):
        found = UNPRINTABLE.search(value)
        if found:
            raise SiteError.at(loc.at_line(doc.line_of(path)), f"{unprintable_name(found[0])}: remove it (HTML and feeds cannot carry it)")


def _strings(value: Any, path: KeyPath):
    """Every string in `value` (keys included), with the path of the key or item that holds it."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), key
            yield from _strings(item, path + (key,))

