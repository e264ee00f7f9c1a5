"""Every exception scr_rules raises, under one base class."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    loc: str
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}" if self.loc else self.message


class ScrRulesError(Exception):
    """Base class of every error raised on purpose by scr_rules."""


class InputError(ScrRulesError):
    """An input file (case or rule) is wrong; carries every problem found, not just the first."""

    kind = "input"

    def __init__(self, source: str, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.source = source
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """Return one line per problem, each prefixed with the source."""
        return "\n".join(f"{self.source}: {problem}" for problem in self.problems)


class CaseFileError(InputError):
    """A case file cannot be read, parsed or validated."""

    kind = "case"


class RuleFileError(InputError):
    """A rule file (or the rulebook as a whole) is invalid."""

    kind = "rule"


class RegimeError(ScrRulesError):
    """No supported regime applies to the case (or the one asked for is unknown)."""


class EngineError(ScrRulesError):
    """The rules engine failed; never a user mistake."""


class AuditError(ScrRulesError):
    """An audit log cannot be opened, read or written, or an entry for it is invalid."""
