"""How the interview speaks: the outcome so far, a question, a definition, the end."""

from __future__ import annotations

from rich.console import Console

from scr_rules.cli._answers import COMMAND_HELP, expected
from scr_rules.decide import Decision, InterviewQuestion, NextStep
from scr_rules.errors import printable
from scr_rules.render import headline
from scr_rules.vocabulary import value_text


def outcome_words(decision: Decision) -> str:
    """Say the outcome, and what is still possible while it is undetermined."""
    words = decision.outcome.replace("_", " ").upper()
    if decision.outcome == "undetermined":
        possible = ", ".join(o.replace("_", " ") for o in decision.possible_outcomes)
        words += f" (still possible: {possible})"
    return words


def _say(console: Console, line: str, style: str | None = None) -> None:
    console.print(line, style=style, markup=False)


def print_step(console: Console, step: NextStep) -> None:
    """Print one step for ``scr next``: the outcome so far, then the question or why done."""
    _say(console, f"outcome so far: {outcome_words(step.decision)}")
    question = step.question
    if question is None:
        _say(console, f"done: {(step.done_reason or '').replace('_', ' ')}")
        if step.decision.missing_facts:
            _say(console, f"still needed: {', '.join(step.decision.missing_facts)}")
        return
    _say(console, f"next question: {question.text}", "bold")
    lines = [f"  fact: {question.fact}", f"  hint: {question.hint}", "  answers:"]
    if question.kind in ("int", "date"):
        lines.append(f"    {expected(question, 'unknown')}")
    for option in question.options:
        if question.kind == "int" and option.value != "unknown":
            continue  # the range is said once, above
        spelt = "[]" if option.value == () else value_text(option.value)
        line = f"    {spelt}: {option.label}"
        lines.append(line + (f" (not possible: {option.disabled})" if option.disabled else ""))
    lines.append("  why it is asked:")
    lines += [
        f"    {why.rule_id} could lead to {why.could_lead_to.replace('_', ' ')} ({why.citation})"
        for why in question.why
    ]
    for line in lines:
        _say(console, line)


def show_question(console: Console, step: NextStep, number: int) -> None:
    """Print a question: its wording, hint, numbered options and why it is asked."""
    question = step.question
    assert question is not None  # noqa: S101 - only an unfinished step has a question
    _say(console, f"\n{number}. {question.text}", "bold")
    _say(console, f"   {question.hint}", "dim")
    if question.kind in ("int", "date"):
        _say(console, f"   {expected(question)}")
        for reason in dict.fromkeys(o.disabled for o in question.options if o.disabled):
            _say(console, f"   some values are not possible: {reason}")
    else:
        for index, option in enumerate(question.options, start=1):
            line = f"   {index:>2}  {option.label}"
            if option.disabled is not None:
                line += f"  (not possible: {option.disabled})"
            _say(console, line, "dim" if option.disabled else None)
    if question.why:
        first, more = question.why[0], len(question.why) - 1
        _say(
            console,
            f"   asked because it could decide {first.rule_id} "
            f"({first.could_lead_to.replace('_', ' ')})" + (f" and {more} more" if more else ""),
            "dim",
        )
    _say(console, f"   {COMMAND_HELP}", "dim")


def show_definition(console: Console, question: InterviewQuestion) -> None:
    """Print the legal definition the question turns on, with its citation and evidence."""
    definition = question.definition
    _say(console, f"   {definition.term}: {definition.text}")
    _say(
        console,
        f"   source: {definition.citation()} [{definition.evidence}; {definition.catalogue}]",
        "dim",
    )


def show_end(console: Console, decision: Decision) -> None:
    """Print the decision, the rules behind it, the next steps and what is still needed."""
    _say(console, f"\ndecision: {headline(decision)}", "bold")
    _say(console, f"  {decision.regime_reason}", "dim")
    for reason in decision.reasons:
        if reason.status == "met":
            _say(console, f"  because {reason.rule_id}: {reason.title}")
            _say(console, f"    {reason.citation}", "dim")
    if decision.outcome == "undetermined" and decision.missing_facts:
        _say(console, f"  still needed: {', '.join(decision.missing_facts)}")
    if decision.duties:
        _say(console, "next steps:", "bold")
    for duty in decision.duties:
        due = f"; due {duty.due.isoformat()}" if duty.due else ""
        rule = f" ({duty.due_rule})" if duty.due_rule else ""
        status = duty.status.replace("_", " ")
        _say(console, f"  - {duty.action} ({duty.who}{due}{rule}; {status})")
    for line in (*decision.warnings, *decision.advice):
        _say(console, f"  {printable(line)}")
