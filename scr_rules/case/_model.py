"""The case file (``scr-case/1``): loading, validation and the consistency checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from scr_rules.case import _bundled as entailments
from scr_rules.case._derive import remember_entailed
from scr_rules.case._documents import parse_document, read_text
from scr_rules.case._facts import BASE_FACTS, UNKNOWN, Facts, IsoDate
from scr_rules.errors import CaseFileError, InputError, Problem
from scr_rules.vocabulary import Jurisdiction, Outcome, ReviewType, case_hint, did_you_mean

CASE_SCHEMA = "scr-case/1"
CASE_REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$"  # opaque: never a name
CaseRef = Annotated[str, StringConstraints(pattern=CASE_REF_PATTERN)]
MAX_PROBLEMS = 100  # problems explained in one error; the rest are counted
SHOWN_LENGTH = 60  # a value or name quoted in a message is cut to this many characters
DutyName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class Expectation(BaseModel):
    """What a golden case expects the engine to decide (optional ``expect:`` block)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: Outcome
    regime: str | None = None
    rules: tuple[str, ...] | None = Field(
        default=None, description="The ids of the rules that must be met, in any order."
    )
    possible_outcomes: tuple[Outcome, ...] | None = None
    missing_facts: tuple[str, ...] | None = None
    review_type: ReviewType | None = None
    duties: tuple[str, ...] | None = Field(
        default=None, description="The names of the duties that must follow, in any order."
    )
    alternatives: tuple[str, ...] | None = Field(
        default=None, description="The candidate regimes when the dates allow several."
    )
    unresolved_law: tuple[str, ...] | None = Field(
        default=None, description="The settings named as unresolved law that decides the case."
    )
    other_readings: tuple[str, ...] | None = Field(
        default=None, description="Each other reading that changes the outcome, as NAME=VALUE."
    )
    review_type_waiting_on: tuple[str, ...] | None = None
    settings: dict[str, Any] = Field(default_factory=dict)


class Case(BaseModel):
    """One child's case as the case file gives it.

    Build one with ``load_case`` (a file) or ``case_from_dict`` (data): they run every check.
    ``Case(...)`` and ``Case.model_validate`` check types only (no contradictions, no date
    order) and raise pydantic's own errors; they are the unchecked constructors.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, serialize_by_alias=True
    )

    schema_: Literal["scr-case/1"] = Field(alias="schema")
    case_ref: CaseRef
    jurisdiction: Jurisdiction = "england"
    incident_date: IsoDate | None = None
    notification_date: IsoDate | None = None
    decision_date: IsoDate | None = None
    facts: Facts = Field(default_factory=Facts)
    duties_done: dict[DutyName, IsoDate] = Field(
        default_factory=dict,
        description="Duties already done and when, e.g. {notify_panel: 2019-03-04}.",
    )
    expect: Expectation | None = None

    @classmethod
    def from_yaml(cls, path: str | Path) -> Case:
        """Load and validate a case file (YAML or JSON); '-' reads standard input."""
        return load_case(path)

    def dump(self) -> dict[str, Any]:
        """Return the case as a case-file mapping with unknown facts left out."""
        data = self.model_dump(mode="json", exclude_none=True)
        data["facts"] = {k: v for k, v in data["facts"].items() if v != UNKNOWN}
        data.pop("expect", None)
        if not data.get("duties_done"):
            data.pop("duties_done", None)
        return data


def load_case(path: str | Path, stdin_text: str | None = None) -> Case:
    """Read, parse and validate one case file; raise CaseFileError listing every problem."""
    try:
        source, text = read_text(path, stdin_text)
        document = parse_document(text, source)
    except InputError as exc:
        raise CaseFileError(exc.source, list(exc.problems)) from None
    return case_from_document(document, source)


def case_from_dict(data: Any, *, source: str = "<dict>") -> Case:
    """Build a case from data another system holds (a dict, or ``json.loads`` of case JSON).

    Runs exactly the checks a case file gets: types, unknown names with a did-you-mean,
    contradictions with the entailments, date order. Raises ``CaseFileError`` whose
    ``.problems`` each have ``loc`` and ``message`` (and ``expected``/``found`` where they
    apply). ``Case(...)`` and ``Case.model_validate`` are the unchecked constructors: they
    check types only, and raise pydantic's errors.
    """
    return case_from_document(data, source)


def case_from_document(document: Any, source: str = "<case>") -> Case:
    """Validate a parsed document as a case; raise CaseFileError listing every problem."""
    if document is None:
        raise CaseFileError(source, "the document is empty; expected a scr-case/1 mapping")
    if not isinstance(document, dict):
        raise CaseFileError(
            source,
            f"the document is a {_kind(document)}; expected a mapping with 'schema: "
            f"{CASE_SCHEMA}', 'case_ref' and 'facts'",
        )
    if "schema" in document and document["schema"] != CASE_SCHEMA:
        raise CaseFileError(
            source,
            Problem(
                "schema", f"{_shown(document['schema'])} is not supported; expected {CASE_SCHEMA!r}"
            ),
        )
    try:
        case = Case.model_validate(document)
    except ValidationError as exc:
        raise CaseFileError(source, _problems(exc)) from None
    given = {name: value for name, value in case.facts.__dict__.items() if value != UNKNOWN}
    found, entailed_facts = entailments.checked(given)
    problems = [clash.problem() for clash in found] + _date_order(case)
    if problems:
        raise CaseFileError(source, problems)
    if entailed_facts is not None:
        remember_entailed(case.facts, entailed_facts)
    return case


def contradictions(case: Case) -> list[Problem]:
    """Return the facts and dates that cannot all be true together.

    The facts are checked against the entailments of regimes.md 12.1 (``entailments.yaml``):
    a fact that entails another contradicts a case that denies it, and both are named.
    """
    given = {name: value for name, value in case.facts.__dict__.items() if value != UNKNOWN}
    problems = [found.problem() for found in entailments.contradictions(given)]
    problems += _date_order(case)
    return problems


def _date_order(case: Case) -> list[Problem]:
    order = [
        ("incident_date", case.incident_date),
        ("notification_date", case.notification_date),
        ("decision_date", case.decision_date),
    ]
    given = [(name, value) for name, value in order if value is not None]
    return [
        Problem(
            later,
            f"{later_value.isoformat()} is before {earlier} "
            f"{earlier_value.isoformat()}; expected {earlier} <= {later}",
        )
        for index, (earlier, earlier_value) in enumerate(given)
        for later, later_value in given[index + 1 :]
        if later_value < earlier_value
    ]


def _kind(value: Any) -> str:
    return {
        list: "list",
        dict: "mapping",
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    """Show a value as the case file spells it (true, null, 'text'), cut to a sane length."""
    if isinstance(value, bool) or value is None:
        text = json.dumps(value)
    elif isinstance(value, str | int | float):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=True, default=repr)
        except (ValueError, RecursionError):
            text = _kind(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def _problems(exc: ValidationError) -> list[Problem]:
    """Turn pydantic errors into one problem per field, in the user's vocabulary."""
    seen: dict[str, Problem] = {}
    more: set[str] = set()
    for error in exc.errors():
        if error["type"] == "invalid_key":  # the key itself is the field: name it, not [1]
            loc = _field_path((*error["loc"][:-1], _shown(error["input"])))
        else:
            loc = _field_path(error["loc"])
        if loc in seen:
            continue  # a union reports once per branch; the first message covers the field
        if len(seen) >= MAX_PROBLEMS:
            more.add(loc)  # counted, not explained: a suggestion costs time, a line is noise
            continue
        seen[loc] = _problem(loc, error)
    problems = list(seen.values())
    if more:
        problems.append(Problem("", f"and {len(more)} more problems not shown; fix these first"))
    return problems


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
        elif part in ("bool", "constrained-int", "date") or str(part).startswith(
            ("literal[", "function", "`", "tuple[")
        ):
            break  # a union branch name, not part of the user's path
        else:
            name = str(part)
            parts.append(name if len(name) <= SHOWN_LENGTH else name[: SHOWN_LENGTH - 1] + "…")
    return ".".join(parts)


def _problem(loc: str, error: Any) -> Problem:
    """Say what is wrong at ``loc``, with what was expected and what was found."""
    kind, value = error["type"], error.get("input")
    field = loc.rsplit(".", 1)[-1]
    shown = _shown(value)
    if kind == "invalid_key":
        expected = "a name, e.g. case_ref or child_died"
        return Problem(loc, f"the key {shown} is not text; expected {expected}", expected, shown)
    if kind == "extra_forbidden":
        return _unknown_field(loc, field)
    if kind == "missing":
        expected = _REQUIRED.get(field, "a value (see 'scr schema')")
        return Problem(loc, "is required; expected " + expected, expected)
    if loc.startswith("facts.") and field in BASE_FACTS:
        expected = BASE_FACTS[field].describe()
        if value is None:
            message = f"null is not a value; expected {expected} (or leave the fact out)"
            return Problem(loc, message, expected, "null")
        hint = case_hint(value, BASE_FACTS[field].values)
        return Problem(loc, f"{shown} is not valid{hint}; expected {expected}", expected, shown)
    if loc in ("facts", "expect", "expect.settings"):
        expected = "a mapping of names to values"
        return Problem(loc, f"{_kind(value)} given; expected {expected}", expected, _kind(value))
    if field.endswith("_date"):
        expected = "YYYY-MM-DD"
        message = f"{shown} is not a valid date; expected YYYY-MM-DD, e.g. 2008-05-20"
        return Problem(loc, message, expected, shown)
    if field == "case_ref":
        expected = "1-64 letters, digits or '._:/-', starting with a letter or digit (never a name)"
        return Problem(
            loc, f"{shown} is not a valid reference; expected {expected}", expected, shown
        )
    message = str(error["msg"])
    if message.startswith("Input should be "):
        expected = message.removeprefix("Input should be ")
        hint = case_hint(value, re.findall(r"'([^']*)'", expected))
        return Problem(loc, f"{shown} is not valid{hint}; expected {expected}", expected, shown)
    return Problem(loc, f"{shown}: {message[:1].lower()}{message[1:]}", found=shown)


_REQUIRED = {
    "schema": repr(CASE_SCHEMA),
    "case_ref": "an opaque reference such as EX-0001 (never a name)",
    "outcome": "mandatory, discretionary, not_required or undetermined",
}


def _unknown_field(loc: str, field: str) -> Problem:
    if loc.startswith("facts."):
        choices = list(BASE_FACTS)
        what = "fact"
        expected = "a fact name that 'scr schema' lists"
    elif loc.startswith("expect."):
        choices = list(Expectation.model_fields)
        what = "expect field"
        expected = "one of " + ", ".join(choices)
    else:
        choices = ["schema", *[n for n in Case.model_fields if n != "schema_"]]
        what = "field"
        expected = "one of " + ", ".join(choices)
    hint = did_you_mean(field, choices)
    if what == "fact" and field == "is_child":
        hint = " (is_child is derived from child_age_at_incident; give the age instead)"
        expected = "child_age_at_incident"
    message = f"unknown {what} {field!r}{hint}; expected {expected}"
    return Problem(loc, message, expected, repr(field))
