"""The spec's request examples: golden cases from ``cases/``, shipped inside the package.

An installed package has no ``cases/`` folder, so the examples are kept in
``examples.json`` beside this module; ``python -m scr_rules.service`` writes it from
``cases/`` (with the spec), and a test proves the two equal.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from scr_rules.case import parse_document, read_text

EXAMPLE_CASES = (
    "death-neglect-factor-2008",  # mandatory
    "death-factor-unknown-2008",  # undetermined: a fact is missing
    "e2018-every-factor-to-weigh",  # discretionary, with factors to weigh
    "w2016-concise-review",  # Wales
)
EXAMPLES_FILE = Path(__file__).with_name("examples.json")


def examples_from_cases(cases_dir: Path) -> dict[str, dict[str, Any]]:
    """Return each example case as a JSON document, without its golden ``expect`` block."""
    examples = {}
    for name in EXAMPLE_CASES:
        source, text = read_text(cases_dir / f"{name}.yaml")
        document = parse_document(text, source)
        document.pop("expect", None)
        examples[name] = document
    return examples


@functools.cache
def case_examples() -> dict[str, dict[str, Any]]:
    """Return the shipped example cases by name (empty if the file is missing)."""
    if not EXAMPLES_FILE.is_file():
        return {}
    examples: dict[str, dict[str, Any]] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return examples


def openapi_examples(wrap: str | None = None, **extra: Any) -> dict[str, Any]:
    """Return the example cases as an OpenAPI ``examples`` map.

    ``wrap`` puts each case under that member (``{"case": ...}``), beside ``extra``.
    """
    found = {}
    for name, case in case_examples().items():
        value = {wrap: case, **extra} if wrap else case
        found[name] = {"summary": f"cases/{name}.yaml", "value": value}
    return found
