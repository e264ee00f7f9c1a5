"""Render a Decision as text a board officer reads first: the summary, then what can change it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from scr_rules.case import UNKNOWN
from scr_rules.decide import Decision, Duty, Factor, NotMet, Reason
from scr_rules.render._relevance import Relevant, relevant
from scr_rules.render._summary import count, failed_text, law_points, summary_lines
from scr_rules.vocabulary import value_text

WIDTH = 100  # columns: text built without a console (the audit log's show) is wrapped to this
UNWRAPPED = 1_000_000  # columns when the output is not a terminal: no logical line is split
# the blanks rich pads a line with, among the colour codes that end it (styled padding
# interleaves them: "text \x1b[0m\x1b[2m \x1b[0m")
_TRAILING_BLANKS = re.compile(r"(?: |\x1b\[[0-9;]*m)+(?=\n)")
_COLOUR_CODE = re.compile(r"\x1b\[[0-9;]*m")
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
    return _TRAILING_BLANKS.sub(lambda run: "".join(_COLOUR_CODE.findall(run.group())), text)


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


def render(decision: Decision, *, detail: bool = False) -> Group:
    """Build the rich renderable: the summary first, then the rules that can change the outcome.

    With ``detail`` every rule is listed; without it, the rules ``relevant`` leaves out are
    counted in one line (see ``scr_rules.render._relevance`` for what cannot change an outcome).
    """
    shown = relevant(decision, detail=detail)
    readings = readings_line(decision)  # in the summary: a default must never decide unseen
    parts: list[Text | Padding] = [_banner(decision)]
    parts += [Text(line, style=style) for line, style in summary_lines(decision, readings)]
    parts.append(Text(f"\n{decision.regime_title}\nwhy this regime: {decision.regime_reason}"))
    if decision.outcome == "undetermined":
        parts.append(Text("still possible: " + ", ".join(decision.possible_outcomes)))
    if decision.force:
        parts.append(Text(f"legal force: {decision.force.replace('_', ' ')}"))
    law = law_points(decision, readings)
    if len(law) > 1:  # one point is in full in the summary; several are listed here
        _section(parts, "Readings of the law", [Text(p, style="bold yellow") for p in law])
    _sections(parts, decision, shown, detail)
    left_out = _left_out(shown)
    if left_out:
        parts.append(Text(f"\n{left_out}", style="dim"))
    parts.append(
        Text(
            f"\nrulebook {decision.rulebook[:19]} | {decision.engine_version} | "
            f"evaluator {decision.evaluator}",
            style="dim",
        )
    )
    return Group(*parts)


def _sections(
    parts: list[Text | Padding], decision: Decision, shown: Relevant, detail: bool
) -> None:
    _section(parts, "Rules met", [_reason(r, detail) for r in shown.met])
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
    _section(parts, "Factors to weigh", [_factor(f) for f in _by_status(shown.factors)])
    _section(
        parts,
        "Missing facts (establishing these could change the outcome)",
        [
            Text(f"{q.fact}: could lead to {q.could_lead_to} via {', '.join(q.rules)}")
            for q in decision.questions
        ],
    )
    _section(parts, _unknown_title(decision), [_unknown(r) for r in shown.unknown])
    _section(parts, _not_met_title(detail), [_not_met(n) for n in shown.not_met])
    switched_off = [Text(f"{d.rule_id}: {d.why}") for d in shown.disabled]
    _section(parts, "Switched off (not evaluated)", switched_off)
    _section(parts, "Advice", [Text(a) for a in decision.advice])
    _section(parts, "Warnings", [Text(w, style="yellow") for w in decision.warnings])


def render_text(decision: Decision, console: Console | None = None, *, detail: bool = False) -> str:
    """Return the decision as text without trailing blanks (colour only on a terminal).

    Without a console the text is wrapped to ``WIDTH`` columns; ``text_console`` gives one that
    follows the terminal, or does not wrap at all when the output is not a terminal.
    """
    console = console or Console(width=WIDTH, highlight=False, no_color=True)
    with console.capture() as captured:
        console.print(render(decision, detail=detail))
    text = captured.get()
    return without_trailing_blanks(text if text.endswith("\n") else text + "\n")


def text_console(file: TextIO | None = None) -> Console:
    """Return a console that wraps to the terminal's width (``COLUMNS`` first), or not at all.

    On a terminal rich reads ``COLUMNS``, then the terminal's size; anywhere else (a pipe, a
    file) each logical line is written whole, so ``grep`` and ``diff`` see one line per line.
    """
    console = Console(file=file, highlight=False)
    if console.is_terminal:
        return console
    return Console(file=file, highlight=False, width=UNWRAPPED)


def _banner(decision: Decision) -> Text:
    banner = Text(f" {headline(decision)} ", style=HEADLINE_STYLE[decision.outcome])
    if decision.review_type:
        banner.append(f"  review type: {decision.review_type} child practice review", style="bold")
    return banner


def _unknown_title(decision: Decision) -> str:
    if decision.outcome == "undetermined":
        return "Rules still possible (unknown)"
    if decision.review_type_waiting_on:
        return "Rules not decided (they cannot change this outcome, but decide the review type)"
    return "Rules not decided (unknown, but they cannot change this outcome)"


def _not_met_title(detail: bool) -> str:
    if detail:
        return "Why not (rules that cannot apply, and the conditions that failed)"
    return "Why not (near misses: each ruled out by one known fact alone)"


def _left_out(shown: Relevant) -> str | None:
    counts = [
        (shown.hidden_met, "met but weaker than the outcome"),
        (shown.hidden_unknown, "not decided but unable to raise the outcome"),
        (shown.hidden_not_met, "not met (on two or more known facts, or no stronger)"),
        (shown.hidden_disabled, "switched off by a setting whose other values change nothing"),
    ]
    said = [f"{n} {what}" for n, what in counts if n]
    if shown.hidden_factors:
        said.append(f"{count(shown.hidden_factors, 'factor')} to weigh, with no discretion left")
    if not said:
        return None
    return (
        f"Not shown: {count(shown.hidden, 'rule')} that cannot change this outcome "
        f"({'; '.join(said)}); --detail lists them."
    )


def _by_status(factors: Sequence[Factor]) -> list[Factor]:
    order = ("met", "unknown")
    return sorted(factors, key=lambda f: order.index(f.status) if f.status in order else 2)


def _factor(factor: Factor) -> Text:
    return Text(f"[{factor.status.replace('_', ' ')}] {factor.title}")


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


def _reason(reason: Reason, detail: bool) -> Group:
    head = Text(f"MET {reason.rule_id}", style="bold")
    head.append(
        f"  [{reason.outcome}; {reason.force.replace('_', ' ')}; "
        f"{reason.evidence} evidence; {reason.catalogue}]",
        style="dim",
    )
    # a met rule is true whatever its unknown facts turn out to be: they did not decide it
    shown = {k: v for k, v in reason.facts.items() if detail or v != UNKNOWN}
    facts = Text("facts: " + ", ".join(f"{k} = {value_text(v)}" for k, v in shown.items()))
    if len(shown) < len(reason.facts):
        facts.append(f"; {len(reason.facts) - len(shown)} more unknown, not needed", style="dim")
    lines = [Text(reason.reason), Text(f"source: {reason.citation}", style="dim"), facts]
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
    return Group(head, _indented(*(Text(failed_text(f)) for f in item.failed)))
