"""Every exception scr_rules raises, under one base class."""

from __future__ import annotations

import re
from dataclasses import dataclass

# C0 controls (newline and tab too: one problem is one line), DEL, C1, bidi overrides
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Escape what could rewrite a terminal or split a line (``\\x1b``, ``\\n``, ``\\u202e``).

    Every message that quotes input goes through here, so a key or value cannot forge an
    ``error:`` line, a coloured banner or reversed text.
    """
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    loc: str
    message: str

    def __str__(self) -> str:
        text = f"{self.loc}: {self.message}" if self.loc else self.message
        return printable(text)


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
        return "\n".join(f"{printable(self.source)}: {problem}" for problem in self.problems)


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
