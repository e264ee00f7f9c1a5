"""``scr triage FILE --format json`` without typer: the one-case command that starts fastest.

A program that asks for one decision as JSON pays the command line's start-up on every
call; typer, rich and every other command's imports are half of it. This path takes
exactly ``scr triage FILE --format json`` (``-f json`` and ``--format=json`` too), and
decides as ``scr triage`` does (the bundled rules, from the user cache when it holds them:
``scr_rules.engine.load_cached``). Anything else, and any failure before the output is
written (a bad case file, a date outside every regime), returns False: the full command
line then runs and says what is wrong exactly as it always did.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def triage_json(args: Sequence[str]) -> bool:
    """Decide and write ``scr triage FILE --format json``; return False if not that command."""
    file = _case_file(args)
    if file is None:
        return False
    try:
        from scr_rules.case import load_case
        from scr_rules.decide import triage
        from scr_rules.engine import load_cached

        text = triage(load_case(file), rulebook=load_cached()).to_json()
    except Exception:  # the full command line says what went wrong, as it always does
        return False
    sys.stdout.write(text + "\n")
    sys.stdout.flush()  # a failed write is reported by the caller's handlers
    return True


def _case_file(args: Sequence[str]) -> str | None:
    """Return FILE if ``args`` are exactly ``triage FILE --format json`` in some order."""
    if len(args) < 3 or args[0] != "triage":
        return None
    rest = list(args[1:])
    for spelling in (["--format", "json"], ["-f", "json"], ["--format=json"]):
        for index in range(len(rest) - len(spelling) + 1):
            if rest[index : index + len(spelling)] == spelling:
                del rest[index : index + len(spelling)]
                if len(rest) == 1 and not rest[0].startswith("-"):
                    return rest[0]
                return None
    return None
