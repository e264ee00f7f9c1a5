"""Rewrite the committed spec: ``python -m scr_rules.service [OPENAPI_DIR [CASES_DIR]]``.

Writes ``openapi/scr-rules-v1.json``, its 3.0.3 copy and the package's ``examples.json``
(the example cases, from ``cases/``), so the drift tests pass again after a change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scr_rules.service import create_app, write_spec_files


def main(argv: list[str]) -> int:
    """Write the files and name them."""
    directory = Path(argv[0]) if argv else Path("openapi")
    cases = Path(argv[1]) if len(argv) > 1 else Path("cases")
    for path in write_spec_files(create_app(), directory, cases):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
