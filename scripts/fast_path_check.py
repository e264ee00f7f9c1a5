"""Check that the fast paths decide byte for byte as the plain ``triage(...)`` path does.

For each generated case (and a share of them with settings, a forced regime, a decision
date or a today's date), three things must hold:

- ``triage_json(...)`` (what ``scr batch`` writes: the JSON put together from shared
  parts, no model built) is exactly ``triage(...).model_dump_json()``;
- the ``Decision`` that ``triage`` returns (built without validating again) equals the one
  pydantic validates from that JSON, with the same fields set;
- a batch worker's line for the case's JSON Lines record (read by the quick JSON path) is
  that JSON and a newline.

    python scripts/fast_path_check.py --cases 100000

It prints the count checked and exits 1 at the first difference, naming the case.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

from scr_rules.batch import Worker, WorkSpec
from scr_rules.case import Case
from scr_rules.decide import Decision, triage, triage_json
from scr_rules.errors import ScrRulesError
from scr_rules.law import RuleBook, load_rulebook
from scr_rules.testing import random_cases
from scr_rules.vocabulary import InputFormat, OutputFormat


def variants(book: RuleBook) -> list[dict[str, Any]]:
    """Return the ways of calling triage that the cases take in turn."""
    found: list[dict[str, Any]] = [{}]
    for setting in book.settings:
        found += [{"settings": {setting.name: value}} for value in setting.values]
    found += [{"regime": regime.id} for regime in book.regimes[:3]]
    found += [{"decision_date": date(2019, 1, 10)}, {"today": date(2021, 6, 1)}]
    return found


def calls(count: int, seed: int, book: RuleBook) -> Iterator[tuple[Case, dict[str, Any]]]:
    """Yield (case, triage arguments): every fourth case with another variant, in turn."""
    others = itertools.cycle(variants(book)[1:])
    for index, case in enumerate(random_cases(count, seed=seed)):
        yield case, ({} if index % 4 else next(others))


def check_one(case: Case, options: dict[str, Any], book: RuleBook, worker: Worker) -> str | None:
    """Return what differs for one case and options, or None."""
    regime = options.get("regime")
    kwargs = {k: v for k, v in options.items() if k != "regime"}
    try:
        decision = triage(case, regime, rulebook=book, **kwargs)
    except ScrRulesError as exc:  # e.g. a forced regime of the other jurisdiction
        try:
            triage_json(case, regime, rulebook=book, **kwargs)
        except ScrRulesError as again:
            return None if str(again) == str(exc) else "the errors differ"
        return "triage_json decided where triage refused"
    plain = decision.model_dump_json()
    outcome, fast = triage_json(case, regime, rulebook=book, **kwargs)
    if fast.decode() != plain or outcome != decision.outcome:
        return "triage_json differs from triage().model_dump_json()"
    validated = Decision.model_validate_json(plain)
    if validated != decision or validated.model_dump() != decision.model_dump():
        return "the Decision differs from the one validated from its JSON"
    if options:
        return None
    record = json.dumps(case.dump(), separators=(",", ":")).encode() + b"\n"
    status, line, _ = worker.one("line", 1, record)
    if line != (plain + "\n").encode() or status != decision.outcome:
        return "the batch line differs"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    book = load_rulebook()
    worker = Worker(WorkSpec(InputFormat.jsonl, OutputFormat.jsonl))
    checked = 0
    for case, options in calls(args.cases, args.seed, book):
        problem = check_one(case, options, book, worker)
        if problem is not None:
            print(f"{case.case_ref} {options}: {problem}", file=sys.stderr)
            return 1
        checked += 1
    print(f"{checked:,} cases: the fast paths equal triage(...).model_dump_json() byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
