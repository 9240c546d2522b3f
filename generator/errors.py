"""The one exception type of sitegen, and the source locations it carries.

Every mistake a user can make in their archive is reported as `path:line: message`.
Stages collect problems instead of stopping at the first one, so a build lists all
of them at once; the CLI prints them once, sorted, and exits 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)  # no __slots__: pickled with every record (see records.py)
class SourceLoc:
    """A place in the user's files: a project-relative POSIX path and a 1-based line."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def at_line(self, line: int) -> SourceLoc:
        return SourceLoc(self.path, line)


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One error or warning, ordered by location so reports read top to bottom."""

    loc: SourceLoc
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}"


class SiteError(Exception):
    """One or more problems in the user's archive that stop the command, with the `warnings`
    found meanwhile: the command line prints both, so that one run shows all there is to mend
    (a warning is a failure for `check --strict`, and hidden behind an error it took a second run)."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()):
        self.problems = tuple(sorted(set(problems)))
        self.warnings = tuple(sorted(set(warnings)))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        return (SiteError, (self.problems, self.warnings))  # so errors raised in worker processes arrive whole

    @classmethod
    def at(cls, loc: SourceLoc, message: str) -> SiteError:
        return cls([Problem(loc, message)])


class ProblemLog:
    """Collects the problems of one stage; `raise_errors` ends the stage if any was an error."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, loc: SourceLoc, message: str) -> None:
        self.errors.append(Problem(loc, message))

    def warn(self, loc: SourceLoc, message: str) -> None:
        self.warnings.append(Problem(loc, message))

    def absorb(self, error: SiteError) -> None:
        self.errors.extend(error.problems)
        self.warnings.extend(error.warnings)

    def extend(self, other: ProblemLog) -> None:
        """Take in the problems of a part of the stage (one kept with a result that is reused)."""
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_errors(self) -> None:
        if self.errors:
            raise SiteError(self.errors, self.warnings)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix for a mistyped name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
