"""Every exception scr_rules raises, under one base class."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# C0 controls (newline and tab too: one problem is one line), DEL, C1, the line and
# paragraph separators (str.splitlines splits on them), bidi overrides
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


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
    expected: str | None = None  # what would have been accepted, where one can say
    found: str | None = None  # what was there instead (already quoted as in the message)

    def __str__(self) -> str:
        text = f"{self.loc}: {self.message}" if self.loc else self.message
        return printable(text)

    def as_data(self) -> dict[str, str]:
        """Return the problem as the ``problems`` item of an ``scr-error/1`` document."""
        data = {"loc": self.loc, "message": self.message}
        if self.expected is not None:
            data["expected"] = self.expected
        if self.found is not None:
            data["found"] = self.found
        return data


class ScrRulesError(Exception):
    """Base class of every error raised on purpose by scr_rules."""

    error_type = "error"  # the ``error.type`` of its ``scr-error/1`` document

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found; an error that is not about one input has one, without a place."""
        return (Problem("", str(self)),)


class InputError(ScrRulesError):
    """An input file (case or rule) is wrong; carries every problem found, not just the first."""

    kind = "input"
    error_type = "input"

    def __init__(self, source: str, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.source = source
        self._problems = tuple(problems)
        super().__init__(self.render())

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems

    def render(self) -> str:
        """Return one line per problem, each prefixed with the source."""
        return "\n".join(f"{printable(self.source)}: {problem}" for problem in self.problems)


class CaseFileError(InputError):
    """A case file cannot be read, parsed or validated."""

    kind = "case"
    error_type = "case_file"


class RuleFileError(InputError):
    """A rule file (or the rulebook as a whole) is invalid."""

    kind = "rule"
    error_type = "rule_file"


class RegimeError(ScrRulesError):
    """No supported regime applies to the case (or the one asked for is unknown)."""

    error_type = "regime"


class EngineError(ScrRulesError):
    """The rules engine failed; never a user mistake."""

    error_type = "internal"


class AuditError(ScrRulesError):
    """An audit log cannot be opened, read or written, or an entry for it is invalid."""

    error_type = "audit"


class UsageError(ScrRulesError):
    """A command was called wrongly: a bad option value, or options that do not go together."""

    error_type = "usage"

    def __init__(self, problem: str | Problem) -> None:
        self._problem = problem if isinstance(problem, Problem) else Problem("", problem)
        super().__init__(str(self._problem))

    @property
    def problems(self) -> tuple[Problem, ...]:
        return (self._problem,)


ERROR_SCHEMA = "scr-error/1"
ERROR_TYPES = (
    "case_file",
    "rule_file",
    "regime",
    "setting",
    "usage",
    "audit",
    "input",
    "output",
    "internal",
    "error",
)


_TEXT = {"type": "string"}

ERROR_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:scr-rules:schema:scr-error-1",
    "title": "scr-error/1",
    "description": "What a command run with --format json (or yaml) prints on stdout when it "
    "fails (exit code 2, or 3 for an internal error); stderr keeps the human lines.",
    "type": "object",
    "required": ["schema", "error"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": ERROR_SCHEMA, "description": "The contract version."},
        "error": {
            "description": "What went wrong: its kind, one line for a person, each problem.",
            "type": "object",
            "required": ["type", "message", "problems"],
            "properties": {
                "type": {
                    "enum": list(ERROR_TYPES),
                    "description": "What kind of input was wrong: case_file, rule_file, regime, "
                    "setting, usage (an option), audit (a log), input, output; internal is a bug.",
                },
                "message": {**_TEXT, "description": "One line for a person."},
                "source": {**_TEXT, "description": "The file (or <stdin>) the problems are in."},
                "problems": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["loc", "message"],
                        "additionalProperties": False,
                        "properties": {
                            "loc": {
                                **_TEXT,
                                "description": "Where: a field path such as facts.child_died, "
                                "an option such as --decision-date, or '' for the whole input.",
                            },
                            "message": {**_TEXT, "description": "What is wrong, for a person."},
                            "expected": {**_TEXT, "description": "What would be accepted."},
                            "found": {**_TEXT, "description": "What was there instead."},
                        },
                    },
                },
            },
        },
    },
}


def error_document(error: ScrRulesError) -> dict[str, Any]:
    """Return ``error`` as an ``scr-error/1`` document: what ``--format json`` prints on failure.

    ``message`` is one line a person reads; ``problems`` carries each problem with its place
    (``loc``), and ``expected``/``found`` where they apply, so a program never parses prose.
    """
    problems = error.problems
    source = getattr(error, "source", None)
    message = str(problems[0]) if len(problems) == 1 else f"{len(problems)} problems"
    if source:
        message = f"{printable(source)}: {message}"
    body: dict[str, Any] = {"type": error.error_type, "message": message}
    if source:
        body["source"] = source
    body["problems"] = [problem.as_data() for problem in problems]
    return {"schema": ERROR_SCHEMA, "error": body}
