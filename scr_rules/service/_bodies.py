"""Read a request body as the CLI reads a file: bounded, strict JSON, every problem at once.

The body's media type and size are checked before it is read in full; JSON is parsed as
strictly as a case file (no repeated keys, no NaN); the case goes through
``case_from_dict``, and the options are checked here with the same care, so a 422 lists the
library's own problems for the case and the options together.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request

from scr_rules.case import Case, StrictJSONError, case_from_dict, loads_strict_json
from scr_rules.errors import CaseFileError, InputError, Problem, printable
from scr_rules.law import RuleBook, SettingError, SettingValue, resolve_settings
from scr_rules.service._problems import ProblemError
from scr_rules.vocabulary import did_you_mean, parse_iso_date

JSON_MEDIA_TYPES = ("application/json",)
NDJSON_MEDIA_TYPES = ("application/x-ndjson",)
SOURCE = "request body"
TRIAGE_OPTIONS = ("regime", "decision_date", "settings", "today")
COMPARE_OPTIONS = ("settings",)
INTERVIEW_OPTIONS = ("regime", "decision_date", "settings")


@dataclass(frozen=True)
class Options:
    """The options of one request, checked: as ``triage()`` takes them."""

    regime: str | None = None
    decision_date: date | None = None
    settings: Mapping[str, SettingValue] = field(default_factory=dict)
    today: date | None = None


async def read_body(request: Request, limit: int, media_types: tuple[str, ...]) -> bytes:
    """Return the body; refuse a wrong media type (415) or more than ``limit`` bytes (413)."""
    kind, _, parameters = request.headers.get("content-type", "").partition(";")
    charset = [p.strip().lower() for p in parameters.split(";") if "charset" in p.lower()]
    if kind.strip().lower() not in media_types or charset not in ([], ["charset=utf-8"]):
        raise ProblemError(
            415,
            "unsupported_media_type",
            f"the body is {printable(kind.strip()) or 'of no declared type'}; expected "
            f"Content-Type: {media_types[0]} (UTF-8)",
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ProblemError:
    return ProblemError(413, "too_large", f"the body is larger than {limit:,} bytes")


def parse_json(body: bytes) -> Any:
    """Parse a JSON body strictly; raise a 400 problem saying what is wrong and where."""
    if not body.strip():
        raise ProblemError(400, "malformed_json", "the body is empty; expected a JSON document")
    try:
        return loads_strict_json(body.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:
        why = f"the body is not UTF-8 (byte {exc.start + 1})"
    except StrictJSONError as exc:  # a repeated key, NaN or Infinity
        why = f"the body is not valid JSON: {exc}"
    except json.JSONDecodeError as exc:
        why = f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        why = "the body is not valid JSON: nested too deeply"
    raise ProblemError(400, "malformed_json", printable(why) + "; expected a JSON document")


def case_and_options(
    document: Any, allowed: tuple[str, ...], book: RuleBook, extra: tuple[str, ...] = ()
) -> tuple[Case, Options, dict[str, Any]]:
    """Split a case file from its ``options`` (and ``extra`` members); check them all.

    Returns the case, its options and the extra members; raises CaseFileError (or
    InputError for options alone) listing every problem.
    """
    rest: dict[str, Any] = {}
    raw_options = None
    if isinstance(document, dict):
        document = dict(document)
        raw_options = document.pop("options", None)
        rest = {name: document.pop(name) for name in extra if name in document}
    options, problems = check_options(raw_options, allowed, book, "options")
    try:
        case = case_from_dict(document, source=SOURCE)
    except CaseFileError as exc:
        raise CaseFileError(SOURCE, [*problems, *exc.problems]) from None
    if problems:
        raise InputError(SOURCE, problems)
    return case, options, rest


def check_options(
    raw: Any, allowed: tuple[str, ...], book: RuleBook, loc: str
) -> tuple[Options, list[Problem]]:
    """Check the options of a request; return them and every problem found."""
    if raw is None:
        return Options(), []
    if not isinstance(raw, dict):
        return Options(), [Problem(loc, f"expected a mapping of {', '.join(allowed)}")]
    problems = [
        Problem(
            _at(loc, name),
            f"unknown option {printable(str(name))!r}{did_you_mean(str(name), allowed)}; "
            f"expected one of {', '.join(allowed)}",
        )
        for name in raw
        if name not in allowed
    ]
    regime = raw.get("regime")
    regimes = [item.id for item in book.regimes]
    if regime is not None and regime not in regimes:
        hint = did_you_mean(regime, regimes) if isinstance(regime, str) else ""
        problems.append(
            Problem(
                _at(loc, "regime"),
                f"unknown regime {printable(repr(regime))}{hint}; expected one of "
                + ", ".join(regimes),
            )
        )
    dates = {name: _date(raw.get(name), _at(loc, name), problems) for name in _DATES}
    settings = (
        _settings(raw["settings"], _at(loc, "settings"), book, problems)
        if "settings" in raw
        else {}
    )
    return Options(regime, dates["decision_date"], settings, dates["today"]), problems


_DATES = ("decision_date", "today")


def _at(loc: str, name: Any) -> str:
    return f"{loc}.{name}" if loc else str(name)


def _date(value: Any, loc: str, problems: list[Problem]) -> date | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return parse_iso_date(value)
    except ValueError:
        pass
    shown = printable(repr(value))[:60]
    problems.append(Problem(loc, f"{shown} is not a valid date; expected YYYY-MM-DD", found=shown))
    return None


def _settings(
    value: Any, loc: str, book: RuleBook, problems: list[Problem]
) -> dict[str, SettingValue]:
    if not isinstance(value, dict):
        problems.append(Problem(loc, "expected a mapping of setting names to values"))
        return {}
    settings: dict[str, SettingValue] = {}
    for name, given in value.items():
        if not isinstance(given, bool | str):
            problems.append(Problem(f"{loc}.{name}", "expected true, false or a text value"))
            continue
        try:
            resolve_settings(book, {name: given})  # one at a time: each problem is named
        except SettingError as exc:
            problems.append(Problem(f"{loc}.{name}", str(exc)))
            continue
        settings[name] = given
    return settings


def known_query_only(request: Request) -> None:
    """Refuse a query parameter the operation does not take: a typo never passes silently."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    unknown = [name for name in request.query_params if name not in _query_names(dependant)]
    if unknown:
        known = sorted(_query_names(dependant))
        expected = f"one of {', '.join(known)}" if known else "no query parameters"
        raise InputError(
            "query",
            [
                Problem(
                    printable(name),
                    f"unknown query parameter{did_you_mean(name, known)}; expected {expected}",
                )
                for name in unknown
            ],
        )


def _query_names(dependant: Any) -> set[str]:
    if dependant is None:
        return set()
    names = {str(field.alias) for field in dependant.query_params}
    for inner in dependant.dependencies:
        names |= _query_names(inner)
    return names
