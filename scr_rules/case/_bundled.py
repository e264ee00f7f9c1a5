"""The bundled entailments (``entailments.yaml``), loaded when first needed.

Parsing the file is most of what loading it costs, so its parsed form is kept in the user
cache (``_cache``), keyed by the file's bytes and the parser's code; validating and
compiling it runs every time, so what it decides is always the file's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scr_rules.case._cache import code_stamp, read_cached, write_cached
from scr_rules.case._entailment_file import (
    DATA_FILE,
    Contradiction,
    Entailment,
    entailments_from_document,
    parse_entailments,
)
from scr_rules.case._entailments import Table
from scr_rules.case._facts import FactValue


def _load_bundled() -> tuple[Entailment, ...]:
    """Parse, validate and compile the bundled file (its parsed form from the user cache)."""
    # the file beside this module (importlib.resources would cost ~7 ms of imports)
    path = Path(__file__).with_name(DATA_FILE)
    data = path.read_bytes()
    key = hashlib.sha256(code_stamp(*_PARSER) + b"\0" + data).hexdigest()
    cached = read_cached("entailments", key)
    if cached is not None:
        with contextlib.suppress(Exception):  # any doubt: parse the file as if not cached
            return entailments_from_document(json.loads(cached), DATA_FILE)
    text = data.decode("utf-8")
    document = parse_entailments(text)
    entries = entailments_from_document(document, DATA_FILE)
    payload = json.dumps(document).encode()
    if json.loads(payload) == document:  # only what JSON gives back unchanged is kept
        write_cached("entailments", key, payload)
    return entries


# The modules whose code turns the file's text into its parsed form (the cache's key).
_PARSER = ("case/_documents.py", "case/_strict_yaml.py", "case/_fast_yaml.py")


@functools.cache
def bundled() -> Table:
    """Return the bundled entailments, compiled (loaded when first needed)."""
    return Table(_load_bundled())


def entailed(known: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """Return ``Table.entailed`` of the bundled entailments."""
    return bundled().entailed(known)


def contradictions(given: Mapping[str, Any]) -> list[Contradiction]:
    """Return ``Table.contradictions`` of the bundled entailments."""
    return bundled().contradictions(given)


def checked(given: Mapping[str, Any]) -> tuple[list[Contradiction], dict[str, FactValue] | None]:
    """Return ``Table.checked`` of the bundled entailments."""
    return bundled().checked(given)


def consistent(given: Mapping[str, Any]) -> bool:
    """Return ``Table.consistent`` of the bundled entailments."""
    return bundled().consistent(given)


def __getattr__(name: str) -> Any:
    if name == "ENTAILMENTS":  # the bundled entries, parsed and validated
        return bundled().entries
    if name == "BUNDLED":
        return bundled()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
