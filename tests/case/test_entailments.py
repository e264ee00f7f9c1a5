"""Facts that settle facts (regimes.md 0.6, 12.1): derived, checked, and rejected when denied."""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scr_rules.case import ALL_FACTS, BASE_FACTS, case_from_document, derive, source_facts
from scr_rules.case._entailments import (
    ENTAILMENTS,
    Entailment,
    Table,
    _passes,
    _truth,
    contradictions,
    entailed,
    load_entailments,
)
from scr_rules.decide import triage
from scr_rules.errors import CaseFileError, RuleFileError
from scr_rules.law import RuleBook
from tests._shared import ROOT

AN = "abuse_or_neglect_known_or_suspected"
HEADER = {"schema": "scr-case/1", "case_ref": "EX-0001", "decision_date": "2008-05-20"}
WINDOW = (date(2018, 6, 29), date(2019, 9, 29))


def candidates(name: str) -> list[Any]:
    """Every value a fact can take (lists: none, each kind alone, and two together)."""
    domain = ALL_FACTS[name]
    if domain.kind == "int":
        assert domain.minimum is not None
        assert domain.maximum is not None
        return list(range(domain.minimum, domain.maximum + 1))
    if domain.kind == "set":
        return [(), *((kind,) for kind in domain.values), ("neglect", "sexual")]
    if domain.kind == "date":
        low, high = WINDOW
        return [date(2018, 6, 28), low, date(2019, 1, 1), high, date(2019, 9, 30)]
    return list(domain.values)


def witness(entry: Entailment) -> dict[str, Any]:
    """Return the first fact set, over the facts the given reads, that makes it true."""
    for values in itertools.product(*(candidates(name) for name in entry.reads)):
        facts = dict(zip(entry.reads, values, strict=True))
        if _truth(entry.given, facts) is True:
            return facts
    raise AssertionError(f"{entry.id}: no facts make its given true")


def denials(entry: Entailment) -> list[Any]:
    """Return the values of the entailed fact that its ``entails`` rejects."""
    return [value for value in candidates(entry.fact) if not _passes(*entry.test, value)]


def rejected(facts: dict[str, Any]) -> list[str]:
    """Load a case with these facts; return its problems as 'loc: message' lines."""
    with pytest.raises(CaseFileError) as caught:
        case_from_document({**HEADER, "facts": facts})
    return [str(problem) for problem in caught.value.problems]


# --- the data file ------------------------------------------------------------------------


def test_every_entry_has_an_id_a_reason_and_a_source() -> None:
    ids = [entry.id for entry in ENTAILMENTS]
    assert len(ids) == len(set(ids)) >= 20
    for entry in ENTAILMENTS:
        assert entry.why, entry.id
        assert entry.source, entry.id
        assert entry.reads, entry.id


@pytest.mark.parametrize("entry", [e for e in ENTAILMENTS if e.derives], ids=lambda e: e.id)
def test_every_derivation_is_derived(entry: Entailment) -> None:
    facts = witness(entry)
    if entry.fact in facts:
        pytest.skip("the given already settles the fact")
    assert entailed(facts)[entry.fact] == entry.value
    assert derive(facts)[entry.fact] == entry.value


@pytest.mark.parametrize("entry", ENTAILMENTS, ids=lambda e: e.id)
def test_every_entailment_denied_is_a_contradiction_naming_both_fields(
    entry: Entailment,
) -> None:
    facts = witness(entry)
    for value in denials(entry):
        case = {**facts, entry.fact: value}
        if _truth(entry.given, case) is not True:
            continue  # the entry reads its own fact (the date window): only the value counts
        found = contradictions(case)
        named = [{c.field, c.other} for c in found]
        assert {*facts, entry.fact} in named, (entry.id, value, found)


def test_the_derived_fact_lists_every_fact_it_is_derived_from() -> None:
    """``source_facts`` names what a user can give to settle AN, as the data derives it."""
    behind, frontier = set(), {AN}
    while frontier:
        name = frontier.pop()
        for entry in ENTAILMENTS:
            if entry.derives and entry.fact == name:
                new = set(entry.reads) - behind
                behind |= new
                frontier |= {n for n in new if n != AN}
    assert set(source_facts(AN)) == behind
    assert source_facts(AN)[0] == "abuse_or_neglect"
    assert all(name in BASE_FACTS for name in source_facts(AN))


def test_the_switch_window_is_the_one_in_the_regime_file(rulebook: RuleBook) -> None:
    england_2018 = rulebook.regime("england-2018")
    assert england_2018.area_switch is not None
    assert (england_2018.in_force.from_, england_2018.area_switch.latest) == WINDOW
    (entry,) = [e for e in ENTAILMENTS if e.fact == "area_new_arrangements_start_date"]
    assert entry.test[1] == WINDOW


# --- what is derived, and what stays unknown -------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "derived"),
    [
        ({"sexual_abuse": True}, {AN: True}),
        ({"abuse_or_neglect_factor_in_death": "suspected"}, {AN: True, "child_died": True}),
        (
            {"killed_by_relative_with_risk_factor": True},
            {AN: True, "child_died": True},
        ),
        ({"abuse_or_neglect_types": ("neglect",)}, {AN: True}),
        ({"abuse_or_neglect_types": ("sexual",)}, {AN: True, "sexual_abuse": True}),
        ({"abuse_or_neglect": "suspected"}, {AN: True}),
        (
            {"abuse_or_neglect": "not_suspected"},
            {
                AN: False,
                "abuse_or_neglect_factor_in_death": "not_a_factor",
                "killed_by_relative_with_risk_factor": False,
            },
        ),
        ({"died_in": "remand"}, {"child_died": True}),
        ({"death_suspected_suicide": True}, {"child_died": True}),
        ({"in_regulated_setting_or_service": True}, {"child_died": True}),
        (
            {"child_seriously_harmed": False},
            {
                "potentially_life_threatening_injury": False,
                "serious_or_long_term_impairment": False,
                "serious_permanent_impairment": False,
            },
        ),
        (
            {"serious_permanent_impairment": True},
            {
                "child_seriously_harmed": True,
                "serious_or_long_term_impairment": True,
                "child_harmed": True,
            },
        ),
        (
            {"potentially_life_threatening_injury": True},
            {"child_seriously_harmed": True, "child_harmed": True},
        ),
        (
            {"child_harmed": False},
            {
                "child_seriously_harmed": False,
                "potentially_life_threatening_injury": False,
                "serious_or_long_term_impairment": False,
                "serious_permanent_impairment": False,
            },
        ),
        (
            {"child_age_at_incident": 14},
            {"dols_order_16_17": False, "care_leaver_under_25": False},
        ),
        ({"child_age_at_incident": 17}, {}),
        ({"child_age_at_incident": 20}, {"dols_order_16_17": False}),
    ],
)
def test_what_the_facts_entail(facts: dict[str, Any], derived: dict[str, Any]) -> None:
    assert entailed(facts) == derived


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"sexual_abuse": False},  # not subjected to sexual abuse says nothing of other abuse
        {"child_died": True},  # a death is not abuse
        {"child_seriously_harmed": True},  # which kind of serious harm is still unknown
        {"serious_or_long_term_impairment": True, "child_seriously_harmed": True},
        {"abuse_or_neglect_factor_in_death": "not_a_factor"},  # abuse may still be suspected
        {"died_in": "none"},
        {"death_suspected_suicide": False},
        {"dols_order_16_17": True},  # the age is checked, never derived
        {"care_leaver_under_25": True},
        {"abuse_or_neglect_types": ()},  # checked against abuse, never taken to deny it
    ],
)
def test_a_derived_fact_stays_unknown_while_its_source_is_unknown(facts: dict[str, Any]) -> None:
    # only what the facts themselves settle: no AN, no death, no kind of harm, no age
    # (serious harm is harm of some kind: child_harmed)
    assert set(entailed(facts)) <= {"killed_by_relative_with_risk_factor", "child_harmed"}


def test_the_derived_fact_goes_to_the_rules_when_only_sexual_abuse_is_given() -> None:
    document = {
        **HEADER,
        "decision_date": "2011-09-19",
        "facts": {"child_age_at_incident": 5, "child_died": True, "sexual_abuse": True},
    }
    decision = triage(case_from_document(document))
    assert decision.outcome == "mandatory"
    assert "england.lscb-regs-2010.reg-5-2-b-i-child-death" in decision.met_rules()


def test_a_factor_in_the_death_alone_counts_as_abuse_and_as_a_death() -> None:
    document = {
        **HEADER,
        "decision_date": "2014-01-10",
        "facts": {"child_age_at_incident": 3, "abuse_or_neglect_factor_in_death": "suspected"},
    }
    decision = triage(case_from_document(document), evaluator="reference")
    assert decision.outcome == "mandatory"
    assert "england.wt-2013.ch4-child-death" in decision.met_rules()


def test_no_england_rule_reads_abuse_or_neglect_but_through_the_derived_fact(
    rulebook: RuleBook,
) -> None:
    readers = [
        rule.id
        for rule in rulebook.rules
        if rule.id.startswith("england.") and "abuse_or_neglect" in rule.facts()
    ]
    assert all("parent-murdered" in rule_id for rule_id in readers), readers


# --- contradictions in a case file ------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "first", "second"),
    [
        # kept from the checks written by hand before the data file
        (
            {"child_died": False, "abuse_or_neglect_factor_in_death": "known"},
            "abuse_or_neglect_factor_in_death",
            "child_died",
        ),
        (
            {"child_died": False, "death_suspected_suicide": True},
            "death_suspected_suicide",
            "child_died",
        ),
        ({"child_died": False, "died_in": "police_custody"}, "died_in", "child_died"),
        (
            {"child_died": False, "killed_by_relative_with_risk_factor": True},
            "killed_by_relative_with_risk_factor",
            "child_died",
        ),
        (
            {"abuse_or_neglect": "not_suspected", "abuse_or_neglect_factor_in_death": "suspected"},
            "abuse_or_neglect_factor_in_death",
            "abuse_or_neglect",
        ),
        (
            {"abuse_or_neglect": "not_suspected", "sexual_abuse": True},
            "sexual_abuse",
            "abuse_or_neglect",
        ),
        # found by testing
        (
            {"abuse_or_neglect_types": [], "abuse_or_neglect": "known"},
            "abuse_or_neglect_types",
            "abuse_or_neglect",
        ),
        (
            {"abuse_or_neglect_types": [], "abuse_or_neglect": "suspected"},
            "abuse_or_neglect_types",
            "abuse_or_neglect",
        ),
        (
            {"abuse_or_neglect_types": ["physical"], "abuse_or_neglect": "not_suspected"},
            "abuse_or_neglect_types",
            "abuse_or_neglect",
        ),
        (
            {"abuse_or_neglect_types": ["sexual"], "sexual_abuse": False},
            "abuse_or_neglect_types",
            "sexual_abuse",
        ),
        (
            {"killed_by_relative_with_risk_factor": True, "abuse_or_neglect": "not_suspected"},
            "killed_by_relative_with_risk_factor",
            "abuse_or_neglect",
        ),
        (
            {
                "killed_by_relative_with_risk_factor": True,
                "abuse_or_neglect_factor_in_death": "not_a_factor",
            },
            "killed_by_relative_with_risk_factor",
            "abuse_or_neglect_factor_in_death",
        ),
        (
            {"in_regulated_setting_or_service": True, "child_died": False},
            "in_regulated_setting_or_service",
            "child_died",
        ),
        (
            {"child_seriously_harmed": False, "potentially_life_threatening_injury": True},
            "child_seriously_harmed",
            "potentially_life_threatening_injury",
        ),
        (
            {"child_seriously_harmed": False, "serious_or_long_term_impairment": True},
            "child_seriously_harmed",
            "serious_or_long_term_impairment",
        ),
        (
            {"child_seriously_harmed": False, "serious_permanent_impairment": True},
            "child_seriously_harmed",
            "serious_permanent_impairment",
        ),
        (
            {"dols_order_16_17": True, "child_age_at_incident": 15},
            "dols_order_16_17",
            "child_age_at_incident",
        ),
        (
            {"dols_order_16_17": True, "child_age_at_incident": 18},
            "dols_order_16_17",
            "child_age_at_incident",
        ),
        (
            {"care_leaver_under_25": True, "child_age_at_incident": 15},
            "care_leaver_under_25",
            "child_age_at_incident",
        ),
    ],
)
def test_a_case_denying_an_entailment_is_rejected_naming_both_fields(
    facts: dict[str, Any], first: str, second: str
) -> None:
    problems = rejected(facts)
    assert any(
        line.startswith(f"facts.{first}: contradicts facts.{second}: ")
        and "; expected " in line
        and line.endswith(f", or correct {second}")
        for line in problems
    ), problems


def test_the_message_says_what_the_first_field_may_be() -> None:
    (line,) = rejected({"child_died": False, "abuse_or_neglect_factor_in_death": "known"})
    assert line == (
        "facts.abuse_or_neglect_factor_in_death: contradicts facts.child_died: a factor in the "
        "death needs a death (child_died is false); expected 'not_a_factor' or unknown, or "
        "correct child_died"
    )
    (line,) = rejected(
        {"abuse_or_neglect_types": ["physical"], "abuse_or_neglect": "not_suspected"}
    )
    assert "expected [] or unknown, or correct abuse_or_neglect" in line
    (line,) = rejected({"abuse_or_neglect_types": [], "abuse_or_neglect": "known"})
    assert "expected a non-empty list or unknown" in line


@pytest.mark.parametrize("day", ["2018-06-28", "2019-09-30", "2010-01-01"])
def test_an_area_switch_date_outside_the_transition_is_rejected(day: str) -> None:
    (line,) = rejected({"area_new_arrangements_start_date": day})
    assert line.startswith(f"facts.area_new_arrangements_start_date: {day} is not possible: ")
    assert line.endswith("expected a date from 2018-06-29 to 2019-09-29")


@pytest.mark.parametrize("day", ["2018-06-29", "2019-09-29"])
def test_an_area_switch_date_inside_the_transition_is_accepted(day: str) -> None:
    case_from_document({**HEADER, "facts": {"area_new_arrangements_start_date": day}})


def test_one_clash_found_twice_is_reported_once() -> None:
    """An entailment and its contrapositive both find it; the case gets one problem."""
    assert len(rejected({"abuse_or_neglect": "not_suspected", "sexual_abuse": True})) == 1
    assert (
        len(rejected({"child_seriously_harmed": False, "serious_permanent_impairment": True})) == 1
    )


def test_a_clash_through_a_derived_fact_names_the_given_fields() -> None:
    """Sexual abuse listed among the kinds entails sexual_abuse, hence abuse: the fields
    named are the ones the case gives."""
    found = contradictions(
        {"abuse_or_neglect_types": ("sexual",), "abuse_or_neglect": "not_suspected"}
    )
    assert [(c.field, c.other) for c in found] == [("abuse_or_neglect_types", "abuse_or_neglect")]


# --- a malformed data file names the entry ----------------------------------------------------

GOOD_ENTRY = {
    "id": "x",
    "given": {"fact": "sexual_abuse", "equals": True},
    "entails": {"fact": AN, "equals": True},
    "why": "w",
    "source": "s",
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"given": {"fact": "sexual_abus", "equals": True}}, "unknown fact 'sexual_abus'"),
        ({"entails": {"fact": "child_died", "equals": "yes"}}, "'yes' is not a value"),
        ({"entails": {"fact": "child_died", "at_least": 1}}, "cannot test 'child_died'"),
        ({"entails": {"fact": "is_child", "equals": True}}, "derived in code"),
        ({"why": ""}, "why: expected plain words"),
        ({"source": None}, "source: expected plain words"),
        ({"id": "Not An Id"}, "is not a lower-case-with-hyphens name"),
        ({"given": {"all": []}}, "expected a non-empty list"),
        ({"given": {"fact": "area_new_arrangements_start_date", "at_least": "soon"}}, "not a date"),
        ({"extra": 1}, "unknown keys ['extra']"),
    ],
)
def test_a_malformed_entry_is_named(change: dict[str, Any], words: str) -> None:
    entries = [GOOD_ENTRY, {**GOOD_ENTRY, "id": "bad-one", **change}]
    with pytest.raises(RuleFileError) as caught:
        load_entailments(json.dumps({"entailments": entries}))
    message = str(caught.value)
    assert "entailments[1]" in message
    assert words in message
    assert "entailments[0]" not in message


def test_a_missing_key_and_a_duplicate_id_are_named() -> None:
    entry = {k: v for k, v in GOOD_ENTRY.items() if k != "why"}
    with pytest.raises(RuleFileError, match=r"entailments\[1\] \(x\): missing why"):
        load_entailments(json.dumps({"entailments": [GOOD_ENTRY, entry]}))
    with pytest.raises(RuleFileError, match=r"entailments\[1\] \(x\): duplicate id 'x'"):
        load_entailments(json.dumps({"entailments": [GOOD_ENTRY, GOOD_ENTRY]}))


def test_the_bundled_file_loads_as_the_module_does() -> None:
    text = (ROOT / "scr_rules" / "case" / "entailments.yaml").read_text()
    assert load_entailments(text) == ENTAILMENTS


# --- properties ---------------------------------------------------------------------------------

VOCABULARY = sorted(
    {name for entry in ENTAILMENTS for name in (*entry.reads, entry.fact)} & set(BASE_FACTS)
)


@st.composite
def fact_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Known facts over every fact an entailment reads or settles; each may be unknown."""
    facts = {}
    for name in VOCABULARY:
        if draw(st.booleans()):
            facts[name] = draw(st.sampled_from(candidates(name)))
    return facts


def consistent(facts: dict[str, Any]) -> dict[str, Any]:
    """Forget the fields named by contradictions until there are none (as synthetic cases do)."""
    facts = dict(facts)
    while found := contradictions(facts):
        for clash in found:
            facts.pop(clash.field, None)
    return facts


PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(facts=fact_sets())
def test_applying_the_entailments_is_idempotent(facts: dict[str, Any]) -> None:
    derived = entailed(facts)
    assert not set(derived) & set(facts)  # a fact given is never overwritten
    assert entailed({**facts, **derived}) == {}
    assert entailed(facts) == derived


@PROPERTY
@given(facts=fact_sets().map(consistent))
def test_a_consistent_case_stays_consistent_and_settles_every_derivation(
    facts: dict[str, Any],
) -> None:
    full = {**facts, **entailed(facts)}
    assert contradictions(full) == []
    for entry in ENTAILMENTS:
        if _truth(entry.given, full) is True:
            assert entry.fact in full or not entry.derives, entry.id
            if entry.fact in full:
                assert _passes(*entry.test, full[entry.fact]), entry.id


@PROPERTY
@given(facts=fact_sets().map(consistent), keep=st.lists(st.booleans(), min_size=len(VOCABULARY)))
def test_knowing_less_never_derives_something_else(facts: dict[str, Any], keep: list[bool]) -> None:
    """For a consistent case, what part of its facts entail agrees with what all of them do."""
    full = {**facts, **entailed(facts)}
    part = {name: value for (name, value), kept in zip(facts.items(), keep, strict=False) if kept}
    for name, value in entailed(part).items():
        assert full[name] == value, name


def test_a_chain_is_followed_whatever_the_order_of_its_links() -> None:
    """The fixpoint: a fact derived late in one round still settles an entry listed before."""
    links = [
        {
            "id": "long-term-is-serious",
            "given": {"fact": "serious_or_long_term_impairment", "equals": True},
            "entails": {"fact": "child_seriously_harmed", "equals": True},
            "why": "w",
            "source": "s",
        },
        {
            "id": "permanent-is-long-term",
            "given": {"fact": "serious_permanent_impairment", "equals": True},
            "entails": {"fact": "serious_or_long_term_impairment", "equals": True},
            "why": "w",
            "source": "s",
        },
    ]
    for order in (links, links[::-1]):
        table = Table(load_entailments(json.dumps({"entailments": order})))
        facts = {"serious_permanent_impairment": True}
        assert table.entailed(facts) == {
            "serious_or_long_term_impairment": True,
            "child_seriously_harmed": True,
        }
        clash = table.contradictions({**facts, "child_seriously_harmed": False})
        assert [(c.field, c.other) for c in clash] == [
            ("serious_permanent_impairment", "child_seriously_harmed")
        ]
