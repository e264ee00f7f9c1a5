"""One question page: the question for a fact, its options as form values, and the answer read.

The form contract (for tests and assistive technology): the answer's inputs are named after
the fact, one per value, each ``value`` spelt as a case file spells it (``true``, ``2``,
``suspected``; ``none`` for none of the kinds) and ``unknown`` for "Not known yet". A date
is typed into one input named after the fact, with a "Not known yet" button of that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from scr_rules.case import BASE_FACTS, UNKNOWN, FactValue
from scr_rules.decide import AnswerOption, InterviewQuestion
from scr_rules.law import QuestionBook
from scr_rules.vocabulary import parse_iso_date, value_text

NONE_OF_THEM = "none"  # the form value of the empty list of kinds


@dataclass(frozen=True)
class OptionView:
    """One input of a question's group, as the template shows it."""

    id: str
    value: str
    label: str
    disabled: str | None
    checked: bool
    exclusive: bool  # "None of these" and "Not known yet" cannot be picked with a kind


def form_value(value: Any) -> str:
    """Spell a value as the form does: as a case file does, ``none`` for the empty list."""
    if isinstance(value, list | tuple):
        return NONE_OF_THEM if not value else ",".join(str(kind) for kind in value)
    if isinstance(value, date):
        return value.isoformat()
    return value_text(value)


def question_for(fact: str, questions: QuestionBook) -> InterviewQuestion:
    """Return the question for any fact (a change link), offering every value it can take."""
    entry = questions.question(fact)
    domain = BASE_FACTS[fact]
    values: list[FactValue]
    if domain.kind == "int" and domain.minimum is not None and domain.maximum is not None:
        values = list(range(domain.minimum, domain.maximum + 1))
    elif domain.kind == "set":
        values = [*(str(kind) for kind in domain.values), ()]  # as the interview offers them
    elif domain.kind == "date":
        values = []
    else:
        values = list(domain.values)
    options = [AnswerOption(value=value, label=entry.label(value)) for value in values]
    options.append(AnswerOption(value=UNKNOWN, label=entry.label(UNKNOWN)))
    return InterviewQuestion(
        fact=fact,
        text=entry.text,
        hint=entry.hint,
        options=tuple(options),
        why=(),
        kind=domain.kind,
        topic=entry.topic,
        definition=entry.definition,
    )


def option_views(question: InterviewQuestion, chosen: Any) -> list[OptionView]:
    """Return the inputs of a question, with the answer ``chosen`` before (if any) checked."""
    picked = _picked(chosen)
    views = []
    for number, option in enumerate(question.options):
        value = form_value(option.value)
        views.append(
            OptionView(
                id=question.fact if number == 0 else f"{question.fact}-{number + 1}",
                value=value,
                label=option.label,
                disabled=option.disabled,
                checked=value in picked,
                exclusive=value in (UNKNOWN, NONE_OF_THEM),
            )
        )
    return views


def _picked(chosen: Any) -> set[str]:
    if chosen is None:
        return set()
    if isinstance(chosen, list | tuple) and chosen:
        return {str(kind) for kind in chosen}
    return {form_value(chosen)}


def read_answer(question: InterviewQuestion, given: list[str]) -> tuple[Any, str | None]:
    """Return the answer as a case file spells it, or None and what the officer must fix."""
    values = [text.strip() for text in given if text.strip()]
    if UNKNOWN in values:
        return UNKNOWN, None
    if question.kind == "date":
        return _date_answer(values)
    options = {form_value(option.value): option for option in question.options}
    if not values:
        many = "every kind that applies, " if question.kind == "set" else "an answer, or "
        return None, f"Select {many}'{_label(question, UNKNOWN)}'"
    unknown = [text for text in values if text not in options]
    if unknown:
        return None, "Select one of the answers shown"
    refused = [options[text] for text in values if options[text].disabled]
    if refused:
        return None, f"'{refused[0].label}' is not possible: {refused[0].disabled}"
    if question.kind == "set":
        return _kinds_answer(question, values)
    if len(values) > 1:
        return None, "Select one answer only"
    value = options[values[0]].value
    return (list(value) if isinstance(value, tuple) else value), None


def _kinds_answer(question: InterviewQuestion, values: list[str]) -> tuple[Any, str | None]:
    if NONE_OF_THEM in values:
        if len(values) > 1:
            label = _label(question, ())
            return None, f"Select '{label}' on its own, or the kinds that apply"
        return [], None
    return list(dict.fromkeys(values)), None


def _date_answer(values: list[str]) -> tuple[Any, str | None]:
    if not values:
        return None, "Enter the date, for example 2019-03-04, or choose 'Not known yet'"
    try:
        return parse_iso_date(values[0]).isoformat(), None
    except ValueError:
        return None, "Enter a real date as YYYY-MM-DD, for example 2019-03-04"


def _label(question: InterviewQuestion, value: FactValue) -> str:
    for option in question.options:
        if option.value == value:
            return option.label
    return form_value(value)
