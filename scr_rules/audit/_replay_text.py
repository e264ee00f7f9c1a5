"""The replay as text (or JSON), written record by record: changes, matrices, disagreements."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from scr_rules.audit._agreement import Assessment
from scr_rules.audit._record import HUMAN_DECISIONS
from scr_rules.audit._replay import RecordReplay, ReplaySummary
from scr_rules.errors import printable
from scr_rules.vocabulary import OUTCOMES, count

AGREEMENT_WORDS = {
    "agrees": "agree",
    "disagrees": "disagree",
    "discretion": "within discretion (discretionary outcome)",
    "not_assessable": "not assessable (undetermined or not replayed)",
}


def replay_lines(result: RecordReplay, show_identical: bool) -> list[str]:
    """Return a replayed record: one line when identical, and the rule changes when not."""
    head = f"record {result.record_id}  {result.case_ref}"
    if result.error is not None:
        return [f"{head}  ERROR  {result.error}"]
    if result.identical:
        if not show_identical:
            return []
        note = "" if result.exact else f" (differs only in {', '.join(result.differences)})"
        return [f"{head}  identical  {result.recorded_outcome}{note}"]
    lines = [
        f"{head}  DIVERGENT  recorded {result.recorded_outcome} "
        f"[{', '.join(result.recorded_rules) or 'no rule met'}] -> replayed "
        f"{result.replayed_outcome} [{', '.join(result.replayed_rules) or 'no rule met'}]"
    ]
    for change in result.changes:
        lines += [
            f"  {change.rule_id}: {_state(change.recorded, change.recorded_outcome)} -> "
            f"{_state(change.replayed, change.replayed_outcome)}",
            f"    recorded: {change.recorded_why}",
            f"    replayed: {change.replayed_why}",
        ]
    return lines


def _state(status: str, outcome: str | None) -> str:
    return f"{status} ({outcome})" if outcome else status


def summary_lines(summary: ReplaySummary, rules: str) -> list[str]:
    """Return the agreement counts, the confusion matrix and engine-vs-human agreement."""
    unreadable = f", {summary.unreadable} unreadable" if summary.unreadable else ""
    lines = [
        f"summary: {count(summary.total, 'record')} replayed under {_rules_words(rules)}: "
        f"{summary.identical} identical, {summary.divergent} divergent "
        f"({summary.errors} could not be replayed{unreadable}); "
        f"{summary.exact} reproduced exactly",
        "",
        "outcomes, recorded (rows) by replayed (columns):",
    ]
    columns = [*OUTCOMES, *(["error"] if summary.errors else [])]
    lines += _matrix(summary.confusion, OUTCOMES, columns)
    with_human = sum(summary.human.values())
    if with_human:
        lines += [
            "",
            "engine (replayed, rows) by the board's decision (columns), "
            f"{count(with_human, 'record')}:",
        ]
        lines += _matrix(summary.human, [*OUTCOMES, "error"], HUMAN_DECISIONS)
        lines.append(agreement_line(summary))
    return lines


def agreement_line(summary: ReplaySummary) -> str:
    """Return the counts of agreement between the engine and the board."""
    counts = summary.human_agreement
    return "agreement: " + "; ".join(
        f"{counts[key]} {words}" for key, words in AGREEMENT_WORDS.items()
    )


def assessment_line(item: Assessment) -> str:
    """Return one disagreement, or one unassessable record with why, as a line."""
    shown = item.engine and (item.rules or item.engine != "undetermined")
    rules = f" [{', '.join(item.rules) or 'no rule met'}]" if shown else ""
    board = item.board + (f' ("{item.board_reason}")' if item.board_reason else "")
    line = (
        f"  record {item.record_id}  {item.case_ref}  {item.regime or '-'}  "
        f"{item.decision_date or 'undated'}  engine {item.engine or 'none'}{rules}  board {board}"
    )
    return printable(line + (f": {item.why}" if item.why else ""))


def disagreement_lines(summary: ReplaySummary) -> list[str]:
    """Return every disagreement, every unassessable record and every unreadable one, named."""
    found, lines = summary.disagreements, []
    if summary.human_agreement:  # some records carry the board's decision
        lines.append(
            "disagreements (the board's decision against the criteria): "
            + (count(len(found), "record") if found else "none")
        )
        lines += [assessment_line(item) for item in found]
    if summary.not_assessable:
        lines.append(f"not assessable: {count(len(summary.not_assessable), 'record')}")
        lines += [assessment_line(item) for item in summary.not_assessable]
    if summary.unreadable_records:
        lines.append(f"unreadable (counted, not replayed): {count(summary.unreadable, 'record')}")
        lines += [printable(f"  record {rid}: {why}") for rid, why in summary.unreadable_records]
    return lines


def _rules_words(rules: str) -> str:
    return f"{rules} rules" if rules in ("recorded", "current") else f"the rules in {rules}"


def _matrix(
    counts: Counter[tuple[str, str]], rows: Iterable[str], columns: Iterable[str]
) -> list[str]:
    columns = list(columns)
    width = max(13, *(len(c) for c in columns))
    lines = [" " * 15 + "".join(f"{c:>{width + 2}}" for c in columns)]
    for row in rows:
        cells = [counts.get((row, column), 0) for column in columns]
        if any(cells) or row in OUTCOMES:
            lines.append(f"{row:<15}" + "".join(f"{n:>{width + 2}}" for n in cells))
    return lines


def write_replay(
    out: TextIO,
    results: Iterable[RecordReplay],
    label: str,
    json_mode: bool,
    show_all: bool,
    only_disagreements: bool = False,
) -> ReplaySummary:
    """Write each result as it comes (memory stays bounded), then the summary.

    ``only_disagreements`` leaves out the records and the matrices: the disagreements, the
    unassessable and the unreadable records, and the agreement counts, are all it writes.
    """
    summary, first = ReplaySummary(), True
    if json_mode:
        out.write(f'{{"rules": {json.dumps(label)}, ')
        out.write("" if only_disagreements else '"records": [')
    for result in results:
        summary.add(result)
        if only_disagreements:
            continue
        if json_mode and (show_all or not result.identical):
            out.write(("\n  " if first else ",\n  ") + json.dumps(result.to_dict()))
            first = False
        elif not json_mode:
            for line in replay_lines(result, show_all):
                out.write(line + "\n")
    if json_mode:
        out.write("" if only_disagreements else "\n], ")
        out.write(_json_lists(summary) + f'"summary": {json.dumps(summary.to_dict())}}}\n')
    elif only_disagreements:
        replayed = f"{count(summary.total, 'record')} replayed under {_rules_words(label)}"
        lines = [f"{replayed}; {agreement_line(summary)}", *disagreement_lines(summary)]
        out.write("\n".join(lines) + "\n")
    else:
        lines = ["", *summary_lines(summary, label), *disagreement_lines(summary)]
        out.write("\n".join(lines) + "\n")
    return summary


def _json_lists(summary: ReplaySummary) -> str:
    """Return the disagreements, unassessable and unreadable records as JSON members."""
    unreadable = [{"record_id": rid, "error": why} for rid, why in summary.unreadable_records]
    members = {
        "disagreements": [item.to_dict() for item in summary.disagreements],
        "not_assessable": [item.to_dict() for item in summary.not_assessable],
        "unreadable": unreadable,
    }
    return "".join(f'"{name}": {json.dumps(value)}, ' for name, value in members.items())
