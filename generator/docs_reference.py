"""docs/cli.md, the command-line reference, written from the argument parser itself.

`python -m generator.docs_reference` rewrites it; tests/test_cli.py renders it again and compares
it with the committed file, so that a flag added, renamed or re-described without the reference
fails the tests instead of leaving the reference behind.

argparse has no public way to list a parser's arguments, and its help text wraps and words
options differently from one Python version to the next, so the tables are made here from the
parser's actions (`_actions`, the list every argparse-based documentation tool reads).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import make_parser

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
HEADER = (
    "# Command-line reference\n\n"
    "Written from sitegen's argument parser by `python -m generator.docs_reference`: do not edit it by hand "
    "(a test checks that it matches the parser).\n"
)


def reference(parser: argparse.ArgumentParser) -> str:
    """The whole reference as Markdown: the program, its global options, then each command."""
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    summaries = {choice.dest: choice.help for choice in commands._choices_actions}
    parts = [HEADER, f"{parser.description}\n", f"```\n{usage('sitegen', parser)} COMMAND [options]\n```\n", "## Options of every command\n", table(parser), f"{parser.epilog}\n"]
    for name, command in commands.choices.items():
        parts.append(f"## sitegen {name}\n")
        parts.append(f"{sentence(command.description or summaries[name] or '')}\n")
        parts.append(f"```\n{usage(f'sitegen {name}', command)}\n```\n")
        parts.append(table(command))
    return "\n".join(parts)


def sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def usage(program: str, parser: argparse.ArgumentParser) -> str:
    """One usage line, never wrapped: `sitegen note [options] ARTICLE [QUOTE]`."""
    words = [program]
    if any(action.option_strings for action in documented(parser)):
        words.append("[options]")
    for action in documented(parser):
        if not action.option_strings:
            words.append(argument_name(action))
        elif action.required:
            words.append(f"{action.option_strings[-1]} {value_name(action)}")
    return " ".join(words)


def documented(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        action
        for action in parser._actions
        if action.help != argparse.SUPPRESS and not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
    ]


def argument_name(action: argparse.Action) -> str:
    name = value_name(action)
    shapes = {"?": f"[{name}]", "*": f"[{name}...]", "+": f"{name}..."}
    return shapes.get(action.nargs, name) if isinstance(action.nargs, str) else name


def value_name(action: argparse.Action) -> str:
    if isinstance(action.metavar, str) and action.metavar:
        return action.metavar
    if action.choices:
        return "|".join(action.choices)
    return action.dest.upper()


def table(parser: argparse.ArgumentParser) -> str:
    if not documented(parser):
        return "No options.\n"
    rows = ["| argument | what it does | default |", "|---|---|---|"]
    for action in documented(parser):
        if action.option_strings:
            takes_value = action.nargs != 0
            shown = ", ".join(f"{option} {value_name(action)}" if takes_value else option for option in action.option_strings)
        else:
            shown = argument_name(action)
        help_text = " ".join(filter(None, (action.help, "(required)" if action.required and action.option_strings else "")))
        if action.option_strings and action.nargs == 0 and not isinstance(action, argparse._VersionAction):
            default = ""
        else:
            default = "" if action.default in (None, [], argparse.SUPPRESS) else str(action.default)
        if isinstance(action, argparse._AppendAction):
            help_text += "; repeatable" if "repeatable" not in help_text else ""
        rows.append(f"| `{cell(shown)}` | {cell(help_text)} | {f'`{cell(default)}`' if default else ''} |")
    return "\n".join(rows) + "\n"


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def main() -> int:
    REFERENCE.write_text(reference(make_parser()), encoding="utf-8")
    print(f"wrote {REFERENCE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
