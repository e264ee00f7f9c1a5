"""Decide one case: choose the regime by date, evaluate its rules, combine the outcomes.

Combination: the strongest met outcome wins (mandatory > discretionary > not required);
firing order never matters. If a rule with a stronger outcome is still unknown, the
decision is ``undetermined``: a wrong "not required" is the costly error. When the dates
leave several regimes possible, each is evaluated and the decision is undetermined unless
they all agree.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from importlib import metadata
from typing import Any

from scr_rules.case import Case, FactValue, known_facts
from scr_rules.decide import _readings as readings
from scr_rules.decide import _reasons as reasons
from scr_rules.decide._assemble import decision_from, json_from
from scr_rules.decide._decision import STRENGTH, Alternative, Decision
from scr_rules.decide._memo import recall, remember
from scr_rules.decide._notes import _duties, _duty_notes, _review_type, _warnings
from scr_rules.decide._plan import plan_for
from scr_rules.decide._regimes import Candidate, Selection, select_regimes
from scr_rules.engine import DEFAULT_EVALUATOR, EvaluatorName, evaluator_for
from scr_rules.law import (
    RuleBook,
    Setting,
    SettingValue,
    Truth,
    load_rulebook,
    resolve_settings,
)


@functools.cache
def engine_version() -> str:
    """Return the versions of scr-rules and durable-rules that make decisions."""

    return f"scr-rules {_version('scr-rules')}; durable-rules {_version('durable-rules')}"


def _version(name: str) -> str:
    """Return ``metadata.version(name)``, reading only the metadata's header lines.

    ``metadata.version`` parses the whole file as an e-mail (~2 ms for this package's,
    which holds the README); the version is a header line, before the first blank one.
    """
    try:
        text = metadata.distribution(name).read_text("METADATA") or ""
    except metadata.PackageNotFoundError:
        return "unknown"
    for line in text.splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "version":
            return value.strip()
    return metadata.version(name)  # not where it is usually written: the full parse


def triage(
    case: Case,
    regime: str | None = None,
    *,
    rulebook: RuleBook | None = None,
    settings: Mapping[str, SettingValue] | None = None,
    decision_date: date | None = None,
    evaluator: EvaluatorName = DEFAULT_EVALUATOR,
    today: date | None = None,
) -> Decision:
    """Decide whether a Serious Case Review (or the review that replaced it) is required.

    Args:
        case: the validated case.
        regime: force a regime id (e.g. ``england-2010``) instead of choosing by date.
        rulebook: the rules to use (default: the bundled rules, compiled once per process).
        settings: overrides for the switches in ``rules/settings.yaml``.
        decision_date: the date the decision is taken, overriding the case file's.
        evaluator: ``durable-rules`` (default) or the pure-Python ``reference`` evaluator.
        today: the date to check duties' deadlines against (none: no overdue flags).

    The result depends only on these arguments: the clock is never read, and no fact of
    one call is visible to another (also across threads).
    """
    context, selection = _context(case, regime, rulebook, settings, decision_date, evaluator, today)
    drafts = [_draft(context, selection, candidate) for candidate in selection.candidates]
    if len(drafts) == 1:
        return decision_from(drafts[0])
    return _requested(_merge([decision_from(d) for d in drafts], selection), regime, decision_date)


def triage_json(
    case: Case,
    regime: str | None = None,
    *,
    rulebook: RuleBook | None = None,
    settings: Mapping[str, SettingValue] | None = None,
    decision_date: date | None = None,
    evaluator: EvaluatorName = DEFAULT_EVALUATOR,
    today: date | None = None,
) -> tuple[str, bytes]:
    """Return the outcome and the compact JSON of ``triage(...)``, byte for byte.

    For many cases (``scr batch``): no Decision model is built, and the JSON is put
    together from the explanations' JSON, each serialised once and shared.
    """
    context, selection = _context(case, regime, rulebook, settings, decision_date, evaluator, today)
    drafts = [_draft(context, selection, candidate) for candidate in selection.candidates]
    if len(drafts) == 1:
        return drafts[0]["outcome"], json_from(drafts[0])
    merged = _merge([decision_from(d) for d in drafts], selection)
    merged = _requested(merged, regime, decision_date)
    return merged.outcome, merged.model_dump_json().encode()


def _context(
    case: Case,
    regime: str | None,
    rulebook: RuleBook | None,
    settings: Mapping[str, SettingValue] | None,
    decision_date: date | None,
    evaluator: EvaluatorName,
    today: date | None,
) -> tuple[_Context, Selection]:
    book = rulebook or load_rulebook()
    values = _settings(book, settings)
    selection = _selection(case, book, regime, decision_date, today)
    known = known_facts(case.facts, book.values.child_age_limit.value)
    regimes = {candidate.regime.id for candidate in selection.candidates}
    truths = evaluator_for(book, evaluator).evaluate(known, regimes)
    context = _Context(
        case, book, values, known, truths, evaluator, today, decision_date or case.decision_date
    )
    context.requested = (regime, decision_date)
    return context, selection


def _settings(
    book: RuleBook, settings: Mapping[str, SettingValue] | None
) -> Mapping[str, SettingValue]:
    """Return ``resolve_settings(book, settings)`` (remembered: it is read, never changed)."""
    given = tuple(settings.items()) if settings else ()
    key = (_settings, book, given)
    try:
        found: Mapping[str, SettingValue] | None = recall(key)
    except TypeError:  # an unhashable value: refused below, as resolve_settings says
        return resolve_settings(book, settings)
    if found is None:
        found = remember(key, resolve_settings(book, settings))
    return found


def _selection(
    case: Case, book: RuleBook, regime: str | None, day: date | None, today: date | None
) -> Selection:
    """Return ``select_regimes(...)``, remembered by everything it reads."""
    key = (
        _selection,
        book,
        regime,
        day,
        today,
        case.jurisdiction,
        case.incident_date,
        case.notification_date,
        case.decision_date,
        case.facts.area_new_arrangements_start_date,
    )
    found: Selection | None = recall(key)
    if found is None:
        found = remember(key, select_regimes(case, book, regime, day, today))
    return found


def _requested(decided: Decision, regime: str | None, decision_date: date | None) -> Decision:
    if regime is None and decision_date is None:
        return decided
    # what the caller asked for, so a replay can ask the same (audit)
    return decided.model_copy(
        update={"requested_regime": regime, "requested_decision_date": decision_date}
    )


class _Context:
    """What every candidate regime's evaluation shares."""

    def __init__(
        self,
        case: Case,
        book: RuleBook,
        values: Mapping[str, SettingValue],
        known: Mapping[str, FactValue],
        truths: Mapping[str, Truth],
        evaluator: EvaluatorName,
        today: date | None,
        decision_day: date | None,
    ) -> None:
        self.case, self.book, self.values, self.known = case, book, values, known
        self.truths, self.evaluator, self.today = truths, evaluator, today
        self.decision_day = decision_day
        self.requested: tuple[str | None, date | None] = (None, None)
        self.declared, self.overridden = _declared(book, tuple(values.items()))


def _declared(
    book: RuleBook, values: tuple[tuple[str, SettingValue], ...]
) -> tuple[dict[str, Setting], tuple[str, ...]]:
    """Return the rulebook's settings by name, and those these values override (remembered)."""
    key = (_declared, book, values)
    found: tuple[dict[str, Setting], tuple[str, ...]] | None = recall(key)
    if found is None:
        declared = {setting.name: setting for setting in book.settings}
        overridden = tuple(
            name for name, value in values if not readings.same_value(value, declared[name].default)
        )
        found = remember(key, (declared, overridden))
    return found


def _draft(ctx: _Context, selection: Selection, candidate: Candidate) -> dict[str, Any]:
    """Return what the candidate's Decision is made of (the arguments of ``Decision(...)``)."""
    regime, known = candidate.regime, ctx.known
    rules = ctx.book.rules_for(regime.id, candidate.day)
    plan = plan_for(ctx.book, regime, rules, ctx.values, ctx.declared)
    verdict = plan.verdict(ctx.truths)
    outcome, outcome_of = verdict.outcome, plan.outcome_of
    missing, questions = reasons.missing(verdict.open_rules, known, outcome_of)
    sources = reasons.Sources(known)
    review_type, type_waits = _review_type(verdict.strongest, verdict.unknown, known, outcome)
    draft = {
        "case_ref": ctx.case.case_ref,
        "outcome": outcome,
        "possible_outcomes": verdict.possible_outcomes,
        "force": verdict.force,
        "regime": regime.id,
        "regime_title": regime.title,
        "regime_reason": selection.reason,
        "decision_date": candidate.day,
        "date_source": selection.source,
        "reasons": tuple(
            [reasons.reason(r, status, known, outcome_of[r.id]) for r, status in verdict.explained]  # type: ignore[arg-type]
        ),
        "not_met": tuple(
            [reasons.not_met(r, known, outcome_of[r.id], sources) for r in verdict.not_met]
        ),
        "disabled": plan.disabled,
        "missing_facts": missing,
        "questions": questions,
        "advice": verdict.advice,
        "warnings": _warnings(ctx.case, candidate.day, ctx.book.values.statutory_dhr_start.value),
        "settings": dict(ctx.values),
        "settings_overridden": ctx.overridden,
        "evaluator": ctx.evaluator,
        "rulebook": ctx.book.digest,
        "engine_version": engine_version(),
        "jurisdiction": ctx.case.jurisdiction,
        "review_type": review_type,
        "review_type_waiting_on": type_waits,
        "duties": _duties(ctx, plan, outcome),
        "duty_notes": _duty_notes(ctx.case, outcome),
        "factors": tuple(
            [reasons.factor(r, ctx.truths[r.id]) for r in plan.factors]
            if outcome != "not_required"
            else ()
        ),
        "today": ctx.today,
        "unresolved_law": verdict.unresolved_law,
        "other_readings": verdict.other_readings,
    }
    regime_asked, date_asked = ctx.requested
    if len(selection.candidates) == 1 and (regime_asked is not None or date_asked is not None):
        draft["requested_regime"] = regime_asked  # what the caller asked for (audit)
        draft["requested_decision_date"] = date_asked
    return draft


def _merge(decisions: list[Decision], selection: Selection) -> Decision:
    """Combine the candidates' decisions: a shared outcome stands, otherwise undetermined."""
    outcomes = {d.outcome for d in decisions}
    alternatives = tuple(
        Alternative(
            regime=d.regime,
            decision_date=d.decision_date,
            outcome=d.outcome,
            possible_outcomes=d.possible_outcomes,
            met_rules=tuple(d.met_rules()),
        )
        for d in decisions
    )
    first = decisions[0]
    shared = {
        "alternatives": alternatives,
        "unresolved_law": tuple(
            {(u.setting, u.regime): u for d in decisions for u in d.unresolved_law}.values()
        ),
        "other_readings": tuple(dict.fromkeys(o for d in decisions for o in d.other_readings)),
        # while the regimes differ, each one's duties are shown, labelled with it (14)
        "duties": tuple(dict.fromkeys(duty for d in decisions for duty in d.duties)),
    }
    if len(outcomes) == 1 and first.outcome != "undetermined":
        return first.model_copy(update=shared)
    possible = {o for d in decisions for o in d.possible_outcomes}
    missing = [selection.undecided_by or "decision_date"]
    missing += [f for d in decisions for f in d.missing_facts if f not in missing]
    return first.model_copy(
        update={
            **shared,
            "outcome": "undetermined",
            "possible_outcomes": tuple(sorted(possible, key=STRENGTH.__getitem__, reverse=True)),
            "force": None,
            "missing_facts": tuple(dict.fromkeys(missing)),
            "advice": (
                "The regimes the dates allow decide differently: give "
                f"{missing[0]} to settle which law applies.",
                *first.advice,
            ),
        }
    )


def select_regime(
    case: Case, book: RuleBook, regime: str | None = None, override: date | None = None
) -> Selection:
    """Return the regime selection for a case (see ``scr_rules.regimes``)."""
    return select_regimes(case, book, regime, override)
