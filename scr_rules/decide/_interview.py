"""The guided interview: the next question whose answer can change the outcome, and why.

A fact is asked only if some answer to it changes the outcome or narrows the possible
outcomes (a one-step look-ahead over its values, ``_lookahead``); an answer that would
contradict the case is offered disabled, with the reason. When no single fact can do that,
the interview works on the open rule nearest to settling (``_settling``). An outcome that
rests on a presumption (the inter-agency concern of WT 2013/2015, the born-alive default) is
not final until the facts that could rebut it were asked; "not known" keeps the presumption.
Questions are ranked by the strongest outcome an answer can reach, then by how many answers
settle the case, then by the interview order of ``rules/questions.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from scr_rules.case import BASE_FACTS, UNKNOWN, Case, FactValue
from scr_rules.decide import _settling as settling
from scr_rules.decide._decision import STRENGTH, Decision
from scr_rules.decide._lookahead import Lookahead, Tried
from scr_rules.decide._triage import triage
from scr_rules.errors import UsageError
from scr_rules.law import (
    Definition,
    QuestionBook,
    QuestionEntry,
    RuleBook,
    SettingValue,
    load_questions,
    load_rulebook,
)
from scr_rules.vocabulary import Outcome, did_you_mean

DoneReason = Literal["decided", "not_known", "nothing_to_ask"]
INTERVIEW_SCHEMA = "scr-interview-step/1"  # the name of ``NextStep.as_document()``'s shape


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnswerOption(_Frozen):
    """A value the person may answer, its label, and why it is disabled (or None)."""

    value: FactValue
    label: str
    disabled: str | None = None


class WhyAsked(_Frozen):
    """A rule the answer could decide, its citation and the outcome it could lead to."""

    rule_id: str
    citation: str
    could_lead_to: Outcome


class InterviewQuestion(_Frozen):
    """The question to ask next: its wording, the answers offered and why it is asked."""

    fact: str
    text: str
    hint: str
    options: tuple[AnswerOption, ...]
    why: tuple[WhyAsked, ...]
    kind: Literal["bool", "enum", "int", "set", "date"]
    topic: str
    definition: Definition


class NextStep(_Frozen):
    """One step of an interview: the next question, or why the interview is done."""

    done: bool
    done_reason: DoneReason | None
    question: InterviewQuestion | None
    decision: Decision

    def as_document(self) -> dict[str, Any]:
        """Return the step as the public JSON document (``scr next --format json``)."""
        question = None
        if self.question is not None:
            question = self.question.model_dump(
                mode="json", include={"fact", "text", "hint", "options", "why"}
            )
        return {
            "done": self.done,
            "done_reason": self.done_reason,
            "question": question,
            "decision": self.decision.model_dump(
                mode="json", include={"outcome", "possible_outcomes", "missing_facts"}
            ),
        }


def next_question(
    case: Case,
    *,
    skipped: Iterable[str] = (),
    regime: str | None = None,
    decision_date: date | None = None,
    settings: Mapping[str, SettingValue] | None = None,
    rulebook: RuleBook | None = None,
    questions: QuestionBook | None = None,
) -> NextStep:
    """Return the next question whose answer can change the case's outcome, or say it is done.

    Args:
        case: the case so far (facts not yet answered left unknown).
        skipped: facts answered "not known": never asked again, and they stay unknown.
        regime, decision_date, settings, rulebook: as for ``triage``.
        questions: the wording (default: the bundled ``rules/questions.yaml``).

    Pure and deterministic: the same arguments always give the same step.
    """
    book = rulebook or load_rulebook()
    asked = questions or load_questions()
    skip = _checked(skipped)
    decision = triage(case, regime, rulebook=book, settings=settings, decision_date=decision_date)
    look = Lookahead(
        case, decision, book, regime=regime, decision_date=decision_date, settings=settings
    )
    rank = {entry.fact: asked.rank(entry.fact) for entry in asked.questions}
    chosen = _best_single(look, _open_facts(look, skip), rank)
    if chosen is not None:
        fact, why = chosen
    else:
        near = settling.nearest(look, skip, rank)
        if near is None:
            return NextStep(
                done=True,
                done_reason=_done_reason(decision, skip),
                question=None,
                decision=decision,
            )
        fact = near.facts[0]
        why = (_why(near.rule, near.outcome),)
    question = _question(asked.question(fact), look, why)
    return NextStep(done=False, done_reason=None, question=question, decision=decision)


def _checked(skipped: Iterable[str]) -> frozenset[str]:
    names = frozenset(skipped)
    for name in sorted(names):
        if name not in BASE_FACTS:
            raise UsageError(f"skipped: unknown fact {name!r}{did_you_mean(name, BASE_FACTS)}")
    return names


def _open_facts(look: Lookahead, skipped: frozenset[str]) -> list[str]:
    """Return the facts still to ask: unknown, not answered "not known", askable as a value."""
    return [
        name
        for name, domain in BASE_FACTS.items()
        if name not in look.known
        and name not in skipped
        and (domain.kind != "date" or name in look.decision.missing_facts)
    ]


def _best_single(
    look: Lookahead, facts: list[str], rank: dict[str, int]
) -> tuple[str, tuple[WhyAsked, ...]] | None:
    """Return the best fact one answer to which changes the outcome, with why; or None."""
    scored = []
    for fact in facts:
        mattering = [answer for answer in look.tried(fact) if look.matters(answer)]
        if not mattering:
            continue
        decided = [a for a in mattering if a.outcome != "undetermined"]
        reach = max((STRENGTH[a.outcome] for a in decided), default=-1)
        scored.append(((-reach, -len(decided), rank[fact]), fact, mattering))
    if not scored:
        return None
    _, fact, mattering = min(scored)
    return fact, _why_single(look, mattering)


def _why_single(look: Lookahead, answers: list[Tried]) -> tuple[WhyAsked, ...]:
    """Return each rule some answer decides that bears on the outcome, and where it leads."""
    open_ids = {r.id for r in settling.open_rules(look)}
    found: dict[str, WhyAsked] = {}
    for answer in answers:
        for rule_id in answer.changed:
            rule = look.criteria[rule_id]
            if rule_id in open_ids:
                found.setdefault(rule_id, _why(rule, settling.outcome_of(look, rule)))
            elif look.truths[rule_id] is True:  # a met rule an answer rebuts or undoes
                found.setdefault(rule_id, _why(rule, answer.outcome))
    if not found and answers:  # the answer picks the regime (a date): each one's rules
        found = _regimes_rules(look, open_ids)
    return tuple(
        sorted(found.values(), key=lambda w: (-STRENGTH.get(w.could_lead_to, -1), w.rule_id))
    )


def _regimes_rules(look: Lookahead, open_ids: set[str]) -> dict[str, WhyAsked]:
    """Return the rules met or open under each regime the dates allow, and where they lead."""
    found = {
        rule_id: _why(look.criteria[rule_id], alternative.outcome)
        for alternative in look.decision.alternatives
        for rule_id in alternative.met_rules
        if rule_id in look.criteria
    }
    for rule_id in sorted(open_ids - set(found)):
        rule = look.criteria[rule_id]
        found[rule_id] = _why(rule, settling.outcome_of(look, rule))
    return found


def _why(rule: Any, outcome: str) -> WhyAsked:
    return WhyAsked(
        rule_id=rule.id,
        citation=rule.spec.citation.short(),
        could_lead_to=outcome,  # type: ignore[arg-type]
    )


def _question(
    entry: QuestionEntry, look: Lookahead, why: tuple[WhyAsked, ...]
) -> InterviewQuestion:
    options = [
        AnswerOption(value=value, label=entry.label(value), disabled=disabled)
        for value, disabled in look.options(entry.fact)
    ]
    options.append(AnswerOption(value=UNKNOWN, label=entry.label(UNKNOWN)))
    return InterviewQuestion(
        fact=entry.fact,
        text=entry.text,
        hint=entry.hint,
        options=tuple(options),
        why=why,
        kind=BASE_FACTS[entry.fact].kind,
        topic=entry.topic,
        definition=entry.definition,
    )


def _done_reason(decision: Decision, skipped: frozenset[str]) -> DoneReason:
    if decision.outcome != "undetermined":
        return "decided"
    if skipped & set(decision.missing_facts):
        return "not_known"
    return "nothing_to_ask"
