"""What the check-answers and result pages show, worked out from the draft and its decision.

An answer is *not needed now* when the decision is the same without it: the same outcome and
possible outcomes, the same rules met on the same presumptions, the same review type and
the same next steps. The officer sees it marked on the check-answers page, so an answer
that a later one made irrelevant is not mistaken for a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scr_rules.case import BASE_FACTS, UNKNOWN, case_from_dict
from scr_rules.decide import Decision, triage
from scr_rules.errors import CaseFileError
from scr_rules.law import QuestionBook, RuleBook
from scr_rules.service._pages_common import long_date
from scr_rules.service._pages_draft import Draft


@dataclass(frozen=True)
class AnswerRow:
    """One row of the check-answers list: the question, the answer, and whether it counts."""

    fact: str
    question: str
    answer: str
    not_known: bool
    needed: bool


def answer_label(fact: str, value: Any, questions: QuestionBook) -> str:
    """Return an answer as the officer chose it (its option's label, or the date)."""
    entry = questions.question(fact)
    if value == UNKNOWN:
        return entry.label(UNKNOWN)
    if BASE_FACTS[fact].kind == "date":
        return long_date(str(value))
    if isinstance(value, list):
        return entry.label(tuple(value)) if value else entry.label(())
    return entry.label(value)


def question_text(fact: str, questions: QuestionBook) -> str:
    """Return the question asked for a fact (its name if the questions have none)."""
    try:
        return questions.question(fact).text
    except KeyError:
        return fact


def answer_rows(
    draft: Draft, decision: Decision, questions: QuestionBook, book: RuleBook
) -> list[AnswerRow]:
    """Return every fact given, in order, each marked needed or not by the decision."""
    wanted = signature(decision)
    rows = []
    for fact, value in draft.given():
        rows.append(
            AnswerRow(
                fact=fact,
                question=question_text(fact, questions),
                answer=answer_label(fact, value, questions),
                not_known=value == UNKNOWN,
                needed=value != UNKNOWN and _needed(draft, fact, wanted, book),
            )
        )
    return rows


def signature(decision: Decision) -> tuple[Any, ...]:
    """Return what an answer must change to count: outcome, rules met, presumptions, steps."""
    met = sorted((r.rule_id, r.presumed) for r in decision.reasons if r.status == "met")
    duties = sorted((d.duty, str(d.due), d.status) for d in decision.duties)
    return (
        decision.outcome,
        decision.possible_outcomes,
        tuple(met),
        decision.review_type,
        tuple(duties),
    )


def _needed(draft: Draft, fact: str, wanted: tuple[Any, ...], book: RuleBook) -> bool:
    document = draft.document()
    document["facts"] = {k: v for k, v in document["facts"].items() if k != fact}
    try:
        without = triage(case_from_dict(document), rulebook=book)
    except CaseFileError:  # leaving a fact out never contradicts; if it did, it counts
        return True
    return signature(without) != wanted


def missing_rows(decision: Decision, questions: QuestionBook) -> list[dict[str, Any]]:
    """Return each missing fact with its question and where an answer could lead."""
    leads = {question.fact: question.could_lead_to for question in decision.questions}
    return [
        {
            "fact": fact,
            "question": question_text(fact, questions),
            "could_lead_to": leads.get(fact),
            "askable": fact in BASE_FACTS,
        }
        for fact in decision.missing_facts
    ]
