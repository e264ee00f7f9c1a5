"""Print one sha256 over the decision JSON of every example case and of generated cases.

Run it before and after a change that must not alter decisions (a refactoring): the
digests must match. ``--write DIR`` also keeps each decision's JSON, for a diff.

    python scripts/decision_snapshot.py --generated 10000
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from scr_rules import load_case, triage

try:
    from scr_rules.testing import random_cases
except ImportError:  # before the package layout
    from scr_rules.testing import random_cases  # type: ignore[no-redef]

CASES = Path(__file__).resolve().parent.parent / "cases"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=10_000)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    digest = hashlib.sha256()
    count = 0
    outputs: list[tuple[str, str]] = []
    for path in sorted(CASES.glob("*.yaml")):
        case = load_case(path)
        settings = case.expect.settings if case.expect else {}
        outputs.append((path.stem, triage(case, settings=settings).to_json()))
    for case in random_cases(args.generated, seed=2026):
        outputs.append((case.case_ref, triage(case).to_json()))
    for name, text in outputs:
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
        count += 1
        if args.write is not None:
            args.write.mkdir(parents=True, exist_ok=True)
            (args.write / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"{count} decisions; sha256:{digest.hexdigest()}")


if __name__ == "__main__":
    main()
