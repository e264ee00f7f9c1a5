"""The explanation caches change nothing: decisions built with warm caches equal cold ones."""

from __future__ import annotations

from scr_rules.decide import triage
from scr_rules.decide._memo import clear_caches
from scr_rules.testing import random_cases

CASES = 10_000


def test_cached_explanations_equal_those_built_without_the_cache() -> None:
    cases = list(random_cases(CASES, seed=31))
    clear_caches()
    warm = [triage(case).to_json() for case in cases]  # later cases reuse earlier entries
    for index, case in enumerate(cases):
        clear_caches()
        assert triage(case).to_json() == warm[index], case.case_ref
    clear_caches()
    again = [triage(case).to_json() for case in reversed(cases)]
    assert again[::-1] == warm  # the order the caches fill in changes nothing either
