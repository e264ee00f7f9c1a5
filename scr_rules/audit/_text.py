"""Plain-text reports of the audit log: verify results, records and replays (no wrapping)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from pydantic import ValidationError

from scr_rules.audit._record import HUMAN_DECISIONS, Record
from scr_rules.audit._replay import RecordReplay, ReplaySummary
from scr_rules.audit._verify import VerifyResult
from scr_rules.decide import Decision
from scr_rules.render import render_text
from scr_rules.vocabulary import OUTCOMES, count, value_text

AGREEMENT_WORDS = {
    "agrees": "agree",
    "disagrees": "disagree",
    "discretion": "within discretion (discretionary outcome)",
    "not_assessable": "not assessable (undetermined or not replayed)",
}


def verify_lines(result: VerifyResult, log: str) -> list[str]:
    """Return the verdict of a verify, then one line per problem."""
    books = count(result.rulebooks, "rulebook")
    if result.ok:
        anchor = f"; anchor {result.anchor} found" if result.anchor else ""
        return [
            f"ok: {log}: {count(result.records, 'record')}, {books}; the chain is intact{anchor}",
            f"head {result.head or 'none (empty log)'}",
        ]
    if result.problem_count == 0:  # only the anchor is missing
        return [
            f"FAILED: {log}: anchor {result.anchor} is not in the chain "
            f"({count(result.records, 'record')}): the records it sealed were rewritten, "
            "or this is another log"
        ]
    first = f"first bad record {result.first_bad}" if result.first_bad else "the log is damaged"
    found = f"{count(result.problem_count, 'problem')}; {count(result.records, 'record')}"
    lines = [f"FAILED: {log}: {first} ({found})"]
    lines += [f"  {problem}" for problem in result.problems]
    if result.problem_count > len(result.problems):
        lines.append(f"  ... and {result.problem_count - len(result.problems)} more")
    if result.anchor_found is False:
        lines.append(f"  anchor {result.anchor} is not in the chain")
    return lines


def record_line(record: Record) -> str:
    """Return one record as a line of the listing."""
    human = record.human_decision or "-"
    return (
        f"{record.id:>6}  {record.recorded_at[:19]}Z  {record.case_ref:<24}  "
        f"{record.decision.get('outcome', '?'):<13}  {human:<18}  {record.rulebook[:19]}  "
        f"{record.by or '-'}"
    )


LISTING_HEADER = (
    f"{'id':>6}  {'recorded_at (UTC)':<20}  {'case_ref':<24}  {'outcome':<13}  "
    f"{'human decision':<18}  {'rulebook':<19}  by"
)


def record_text(record: Record) -> str:
    """Return one record in full: its audit fields, its facts and its decision."""
    settings = ", ".join(f"{k}={value_text(v)}" for k, v in sorted(record.settings.items()))
    human: str = record.human_decision or "none recorded"
    if record.human_reason:
        human += f" ({record.human_reason})"
    facts = record.case.get("facts", {})
    lines = [
        f"record {record.id}",
        f"  recorded_at     {record.recorded_at}",
        f"  by              {record.by or '-'}",
        f"  origin          {record.origin}",
        f"  case_ref        {record.case_ref}",
        f"  rulebook        {record.rulebook}",
        f"  engine          {record.engine_version}",
        f"  settings        {settings}",
        f"  human decision  {human}",
        f"  prev_hash       {record.prev_hash}",
        f"  hash            {record.hash}",
        "  facts           "
        + (", ".join(f"{k} = {value_text(v)}" for k, v in facts.items()) or "none known"),
        "",
    ]
    try:
        decision = render_text(Decision.model_validate(record.decision))
    except ValidationError:
        decision = "(the decision's shape is older than this version; see --format json)\n"
    return "\n".join(lines) + "\n" + decision


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
    lines = [
        f"summary: {count(summary.total, 'record')} replayed under {_rules_words(rules)}: "
        f"{summary.identical} "
        f"identical, {summary.divergent} divergent ({summary.errors} could not be replayed); "
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
        lines.append(
            "agreement: "
            + "; ".join(
                f"{summary.human_agreement[key]} {words}" for key, words in AGREEMENT_WORDS.items()
            )
        )
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
    out: TextIO, results: Iterable[RecordReplay], label: str, json_mode: bool, show_all: bool
) -> ReplaySummary:
    """Write each result as it comes (memory stays bounded), then the summary."""
    summary, first = ReplaySummary(), True
    if json_mode:
        out.write(f'{{"rules": {json.dumps(label)}, "records": [')
    for result in results:
        summary.add(result)
        if json_mode and (show_all or not result.identical):
            out.write(("\n  " if first else ",\n  ") + json.dumps(result.to_dict()))
            first = False
        elif not json_mode:
            for line in replay_lines(result, show_all):
                out.write(line + "\n")
    if json_mode:
        out.write(f'\n], "summary": {json.dumps(summary.to_dict())}}}\n')
    else:
        out.write("\n".join(["", *summary_lines(summary, label)]) + "\n")
    return summary
