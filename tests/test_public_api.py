"""``import scr_rules`` loads nothing; each public name comes from where its import says."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import scr_rules

INIT = Path(scr_rules.__file__)


def _declared_imports() -> dict[str, str]:
    """Return each name the package imports for type checking, with its module."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("scr_rules"):
            found.update({alias.name: node.module for alias in node.names})
    return found


def test_every_public_name_is_the_one_its_import_names() -> None:
    declared = _declared_imports()
    assert set(scr_rules.__all__) - {"__version__"} == set(declared)
    for name, module in declared.items():
        assert getattr(scr_rules, name) is getattr(importlib.import_module(module), name), name


def test_importing_the_package_loads_none_of_its_parts() -> None:
    code = (
        "import sys, scr_rules; print(sorted(m for m in sys.modules if m.startswith('scr_rules')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60)
    assert done.stdout.decode().strip() == "['scr_rules']"


def test_triage_needs_no_audit_log_or_command_line() -> None:
    code = (
        "import json, sys; from scr_rules import load_case, triage; "
        "parts = {m.split('.')[1] for m in sys.modules if m.startswith('scr_rules.')}; "
        "print(json.dumps(sorted(parts)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60)
    loaded = set(json.loads(done.stdout))
    assert not loaded & {"audit", "cli", "render", "batch", "service"}
