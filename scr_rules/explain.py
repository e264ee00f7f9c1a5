"""Render a Decision as text a board officer can read (100 columns, colour on a terminal)."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from scr_rules.decision import Decision, NotMet, Reason
from scr_rules.facts import FactValue

WIDTH = 100
_TRAILING_BLANKS = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")
HEADLINE_STYLE = {
    "mandatory": "bold white on red",
    "discretionary": "bold black on yellow",
    "not_required": "bold white on green",
    "undetermined": "bold black on cyan",
}
HEADLINE_WORDS = {
    "mandatory": "MANDATORY - a serious case review must be held",
    "discretionary": "DISCRETIONARY - the LSCB may decide to hold a serious case review",
    "not_required": "NOT REQUIRED - no serious case review criterion applies",
    "undetermined": "UNDETERMINED - facts are missing that could require a review",
}


def value_text(value: FactValue) -> str:
    """Show a fact value as the case file spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(decision: Decision) -> Group:
    """Build the rich renderable for a decision."""
    parts: list[Text | Padding] = [
        Text(f" {HEADLINE_WORDS[decision.outcome]} ", style=HEADLINE_STYLE[decision.outcome]),
        Text(
            f"case {decision.case_ref} | regime {decision.regime} | date "
            f"{decision.decision_date or 'not given'} ({decision.date_source})",
            style="bold",
        ),
        Text(f"{decision.regime_title}\nwhy this regime: {decision.regime_reason}", style="dim"),
    ]
    if decision.outcome == "undetermined":
        parts.append(Text("still possible: " + ", ".join(decision.possible_outcomes)))
    if decision.force:
        parts.append(Text(f"legal force: {decision.force.replace('_', ' ')}"))
    met = [r for r in decision.reasons if r.status == "met"]
    unknown = [r for r in decision.reasons if r.status == "unknown"]
    _section(parts, "Rules met", [_reason(r) for r in met])
    _section(
        parts,
        "Missing facts (establishing these could change the outcome)",
        [
            Text(f"{q.fact}: could lead to {q.could_lead_to} via {', '.join(q.rules)}")
            for q in decision.questions
        ],
    )
    unknown_title = (
        "Rules still possible (unknown)"
        if decision.outcome == "undetermined"
        else "Rules not decided (unknown, but they cannot change this outcome)"
    )
    _section(parts, unknown_title, [_unknown(r) for r in unknown])
    _section(
        parts,
        "Why not (rules that cannot apply, and the conditions that failed)",
        [_not_met(n) for n in decision.not_met],
    )
    _section(
        parts,
        "Switched off (not evaluated)",
        [Text(f"{d.rule_id}: {d.why}") for d in decision.disabled],
    )
    _section(parts, "Advice", [Text(a) for a in decision.advice])
    _section(parts, "Warnings", [Text(w, style="yellow") for w in decision.warnings])
    parts.append(
        Text(
            f"\nrulebook {decision.rulebook[:19]} | {decision.engine_version} | "
            f"evaluator {decision.evaluator}",
            style="dim",
        )
    )
    return Group(*parts)


def render_text(decision: Decision, console: Console | None = None) -> str:
    """Return the decision as text without trailing blanks (colour only on a terminal)."""
    console = console or Console(width=WIDTH, highlight=False, no_color=True)
    with console.capture() as captured:
        console.print(render(decision))
    return (
        "\n".join(_TRAILING_BLANKS.sub(r"\1", line) for line in captured.get().splitlines()) + "\n"
    )


def _section(parts: list[Text | Padding], title: str, items: list[Text | Group]) -> None:
    if items:
        parts.append(Text(f"\n{title}", style="bold underline"))
        parts.extend(Padding(item, (0, 0, 0, 2), expand=False) for item in items)


def _indented(*lines: Text) -> Padding:
    return Padding(Group(*lines), (0, 0, 0, 2), expand=False)


def _reason(reason: Reason) -> Group:
    head = Text(f"MET {reason.rule_id}", style="bold")
    head.append(
        f"  [{reason.outcome}; {reason.force.replace('_', ' ')}; "
        f"{reason.evidence} evidence; {reason.catalogue}]",
        style="dim",
    )
    facts = ", ".join(f"{k} = {value_text(v)}" for k, v in reason.facts.items())
    return Group(
        head,
        _indented(
            Text(reason.reason),
            Text(f"source: {reason.citation}", style="dim"),
            Text(f"facts: {facts}"),
        ),
    )


def _unknown(reason: Reason) -> Group:
    head = Text(f"UNKNOWN {reason.rule_id}", style="bold")
    head.append(
        f"  [{reason.outcome}; {reason.evidence} evidence; {reason.catalogue}]", style="dim"
    )
    return Group(
        head,
        _indented(
            Text(reason.title),
            Text("waiting on: " + ", ".join(reason.waiting_on), style="cyan"),
        ),
    )


def _not_met(item: NotMet) -> Group:
    head = Text(f"NOT MET {item.rule_id}", style="bold")
    head.append(f"  [{item.outcome}; {item.evidence} evidence]", style="dim")
    return Group(
        head,
        _indented(
            *(Text(f"{f.fact} is {value_text(f.value)}; needs {f.expected}") for f in item.failed)
        ),
    )
