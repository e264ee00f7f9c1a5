"""Render a Decision as text a board officer can read (100 columns, colour on a terminal)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from scr_rules.case import FactValue
from scr_rules.decide import Decision, Duty, NotMet, Reason, unresolved_text
from scr_rules.vocabulary import value_text

WIDTH = 100  # columns: every text the commands print is wrapped to this
# the blanks rich pads a line with, before any colour codes that end it
_TRAILING_BLANKS = re.compile(r" +((?:\x1b\[[0-9;]*m)*)(?=\n)")
HEADLINE_STYLE = {
    "mandatory": "bold white on red",
    "discretionary": "bold black on yellow",
    "not_required": "bold white on green",
    "undetermined": "bold black on cyan",
}
HEADLINE_WORDS = {
    "mandatory": "MANDATORY - a review must be held",
    "discretionary": "DISCRETIONARY - the decision-maker may decide to hold a review",
    "not_required": "NOT REQUIRED - no review criterion applies",
    "undetermined": "UNDETERMINED - facts are missing that could require a review",
}


def without_trailing_blanks(text: str) -> str:
    """Return the text with the blanks at the end of each line (before its newline) removed.

    Colour codes after the blanks stay; a last line without a newline is left as it is.
    """
    return _TRAILING_BLANKS.sub(r"\1", text)


def headline(decision: Decision) -> str:
    """Return the banner's words; they say when unverified law, not facts, leaves it open."""
    if decision.outcome == "undetermined" and decision.unresolved_law:
        if decision.missing_facts:
            return "UNDETERMINED - facts are missing and the law here is unverified"
        return "UNDETERMINED - the law here is unverified or disputed; see below"
    return HEADLINE_WORDS[decision.outcome]


def readings_line(decision: Decision) -> str | None:
    """Say, beside the headline, which other reading of the law would change the outcome."""
    if not decision.other_readings:
        return None
    used = "the readings set" if decision.settings_overridden else "the default reading"
    others = "; ".join(
        f"{_upper(o.outcome)} with {o.setting}={value_text(o.value)}"
        for o in decision.other_readings
    )
    return f"{_upper(decision.outcome)} under {used}; {others}"


def _upper(outcome: str) -> str:
    return outcome.replace("_", " ").upper()


def render(decision: Decision) -> Group:
    """Build the rich renderable for a decision."""
    parts: list[Text | Padding] = [
        Text(f" {headline(decision)} ", style=HEADLINE_STYLE[decision.outcome])
    ]
    other = readings_line(decision)  # beside the headline: a default must never decide unseen
    if other:
        parts.append(Text(other, style="bold yellow"))
    parts += [
        Text(unresolved_text(entry), style="bold yellow") for entry in decision.unresolved_law
    ]
    parts += [
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
    if decision.review_type:
        parts.append(Text(f"review type: {decision.review_type} child practice review"))
    elif decision.review_type_waiting_on:
        parts.append(
            Text(
                "review type: concise or extended, decided by "
                + ", ".join(decision.review_type_waiting_on)
            )
        )
    met = [r for r in decision.reasons if r.status == "met"]
    unknown = [r for r in decision.reasons if r.status == "unknown"]
    _section(parts, "Rules met", [_reason(r) for r in met])
    _section(
        parts,
        "Regimes the dates allow (each decided on its own)",
        [
            Text(
                f"{a.regime} (from {a.decision_date}): {a.outcome}"
                + (f"; met {', '.join(a.met_rules)}" if a.met_rules else "")
            )
            for a in decision.alternatives
        ],
    )
    several = len({d.regime for d in decision.duties}) > 1
    _section(
        parts,
        "Next steps",
        [_duty(d, several) for d in decision.duties]
        + [Text(note, style="dim") for note in decision.duty_notes],
    )
    _section(
        parts,
        "Factors to weigh",
        [
            Text(f"[{f.status.replace('_', ' ')}] {f.title}")
            for f in sorted(
                decision.factors,
                key=lambda f: (
                    ("met", "unknown").index(f.status) if f.status in ("met", "unknown") else 2
                ),
            )
        ],
    )
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
    text = captured.get()
    return without_trailing_blanks(text if text.endswith("\n") else text + "\n")


def _section(parts: list[Text | Padding], title: str, items: Sequence[Text | Group]) -> None:
    if items:
        parts.append(Text(f"\n{title}", style="bold underline"))
        parts.extend(Padding(item, (0, 0, 0, 2), expand=False) for item in items)


DUTY_FLAGS = {
    "overdue": " OVERDUE",
    "possible": " (if it applies)",
    "possible_overdue": " OVERDUE if it applies",
    "date_unknown": " (give the start date)",
}


def _duty(duty: Duty, with_regime: bool = False) -> Text:
    when = duty.due.isoformat() if duty.due else "date unknown"
    if duty.status in ("done", "done_late"):
        late = " LATE" if duty.status == "done_late" else ""
        done = duty.done_on.isoformat() if duty.done_on else "date not given"
        line = Text(f"done {done}{late}  ", style="bold green" if not late else "bold yellow")
    else:
        flag = DUTY_FLAGS.get(duty.status, "")
        overdue = duty.status in ("overdue", "possible_overdue")
        line = Text(f"{when}{flag}  ", style="bold red" if overdue else "bold")
    if with_regime and duty.regime:
        line.append(f"[{duty.regime}] ", style="bold")
    line.append(f"{duty.action} - {duty.who}")
    detail = "; ".join(part for part in (duty.due_rule, duty.rule_id) if part)
    line.append(f" ({detail})", style="dim")
    if duty.waiting_on:
        line.append(f"; waiting on {', '.join(duty.waiting_on)}", style="cyan")
    return line


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
    lines = [
        Text(reason.reason),
        Text(f"source: {reason.citation}", style="dim"),
        Text(f"facts: {facts}"),
    ]
    if reason.presumed:
        lines.append(
            Text(
                f"presumed: {', '.join(reason.presumed)} unknown, so the presumption stands "
                "until evidence rebuts it",
                style="yellow",
            )
        )
    return Group(head, _indented(*lines))


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
            *(
                Text(f"{f.fact} is {value_text(f.value)}{_because(f.because)}; needs {f.expected}")
                for f in item.failed
            )
        ),
    )


def _because(sources: dict[str, FactValue]) -> str:
    if not sources:
        return ""
    return " (from " + ", ".join(f"{k} = {value_text(v)}" for k, v in sources.items()) + ")"
