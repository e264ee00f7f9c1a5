"""``import scr_rules`` stays lean: the heavy or optional dependencies load only when used.

The package layering itself is checked by ``lint-imports`` (the contracts in pyproject.toml);
what a plain import loads at run time is checked here, in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# rich and typer are for the CLI and the batch progress bar; durable-rules only for
# ``--engine durable``; holidays only for a case with a working-day deadline.
NOT_ON_IMPORT = ("rich", "typer", "durable", "durable_rules_engine", "holidays")


@pytest.mark.parametrize("statement", ["import scr_rules", "from scr_rules import triage"])
def test_importing_the_package_loads_no_optional_dependency(statement: str) -> None:
    script = (
        f"{statement}; import json, sys; "
        f"print(json.dumps(sorted(m for m in {list(NOT_ON_IMPORT)!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
