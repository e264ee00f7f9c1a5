"""Random mutations of a valid rulebook: loaded and decided, or refused; never a crash."""

from __future__ import annotations

import contextlib
import copy
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scr_rules import RegimeError, RuleFileError, triage
from scr_rules.law import rulebook_from_canonical
from scr_rules.testing import random_cases
from tests._shared import BOOK

FILES = sorted(BOOK.canonical["files"])
CASES = list(random_cases(12, seed=77))
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.text(max_size=12),
    st.sampled_from(["unresolved", "\x1b[32mok", "child_died", "england-2006", "2099-01-01"]),
    st.lists(st.integers(0, 3), max_size=70),
    st.dictionaries(
        st.sampled_from(["all", "any", "not", "fact", "equals"]), st.none(), max_size=3
    ),
    st.builds(lambda n: {"any": [{"fact": "is_child", "equals": True}] * n}, st.integers(0, 80)),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _mutate(document: Any, path: tuple[Any, ...], new: Any, delete: bool) -> Any:
    if not path:
        return new
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = new
    return document


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    file=st.sampled_from(FILES),
    choice=st.integers(0, 10**6),
    new=HOSTILE,
    delete=st.booleans(),
)
def test_a_mutated_rulebook_loads_and_decides_or_is_refused(
    file: str, choice: int, new: Any, delete: bool
) -> None:
    files = copy.deepcopy(BOOK.canonical["files"])
    paths = _paths(files[file])
    files[file] = _mutate(files[file], paths[choice % len(paths)], new, delete)
    try:
        book = rulebook_from_canonical({"schema": BOOK.canonical["schema"], "files": files})
    except RuleFileError:
        return
    for case in CASES:
        for evaluator in ("durable-rules", "reference"):
            with contextlib.suppress(RegimeError):  # a date the mutated regimes do not cover
                triage(case, rulebook=book, evaluator=evaluator)  # type: ignore[arg-type]
