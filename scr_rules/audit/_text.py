"""Plain-text reports of the audit log: verify results, the listing, one record, an import.

The replay's text is in ``_replay_text``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from scr_rules.audit._keyed import AUDIT_KEY_ENV
from scr_rules.audit._log import ImportResult
from scr_rules.audit._record import Record
from scr_rules.audit._verify import VerifyResult
from scr_rules.decide import Decision
from scr_rules.errors import printable
from scr_rules.render import render_text
from scr_rules.vocabulary import count, value_text


def verify_lines(result: VerifyResult, log: str) -> list[str]:
    """Return the verdict of a verify, then one line per problem."""
    books = count(result.rulebooks, "rulebook")
    if result.ok:
        lines = [
            f"ok: {log}: {count(result.records, 'record')}, {books}; {_what_it_proves(result)}",
            f"head {result.head or 'none (empty log)'}",
        ]
        if result.keyed_from is not None and not result.key_checked:
            lines.append(
                f"note: the records carry HMACs under the board's key; set {AUDIT_KEY_ENV} "
                "to check them too"
            )
        return lines
    if result.problem_count == 0:  # only the anchor is missing
        return [
            f"FAILED: {log}: anchor {result.anchor} is not in the chain "
            f"({count(result.records, 'record')}): the records it sealed were rewritten, "
            "or this is another log"
        ]
    found = f"{count(result.problem_count, 'problem')}; {count(result.records, 'record')}"
    first = f"first bad record {result.first_bad} ({found})" if result.first_bad else found
    lines = [f"FAILED: {log}: {first}"]
    lines += [f"  {problem}" for problem in result.problems]
    if result.problem_count > len(result.problems):
        lines.append(f"  ... and {result.problem_count - len(result.problems)} more")
    if result.anchor_found is False:
        lines.append(f"  anchor {result.anchor} is not in the chain")
    return lines


def _what_it_proves(result: VerifyResult) -> str:
    """Say what an ok verify proves: as far as the file shows, up to an anchor, or keyed."""
    if result.anchor_records:
        at = result.anchor_records[0]
        found = f"anchor found at record {at}: every record up to it is unchanged"
    else:
        found = "compare the head with your last anchor"
    if not result.key_checked:
        return f"intact as far as this file shows; {found}"
    sealed = f"sealed with the board's key from record {result.keyed_from}"
    if result.keyed_from and result.keyed_from > 1:
        before = result.keyed_from - 1
        earlier = "record 1" if before == 1 else f"records 1..{before}"
        sealed += f" ({earlier}, written before the key was used, through it)"
    return f"intact and {sealed}, so a rebuilt chain would show; {found}"


LISTING_COLUMNS = (
    "id",
    "recorded_at (UTC)",
    "case_ref",
    "regime",
    "decision date",
    "outcome",
    "human decision",
    "rulebook",
    "by",
)


def _listing_cells(row: tuple[Any, ...]) -> list[str]:
    rid, at, ref, regime, day, outcome, human, book, by = row
    cells = [rid, f"{str(at)[:19]}Z", ref, regime, day, outcome, human, str(book)[:19], by]
    return [printable("-" if cell is None else str(cell)) for cell in cells]


def listing_lines(rows: Callable[[], Iterable[tuple[Any, ...]]]) -> Iterator[str]:
    """Return the listing, each column as wide as its widest value (``rows`` is read twice)."""
    widths = [len(name) for name in LISTING_COLUMNS]
    for row in rows():
        widths = [max(w, len(c)) for w, c in zip(widths, _listing_cells(row), strict=True)]
    yield _listing_line(list(LISTING_COLUMNS), widths)
    for row in rows():
        yield _listing_line(_listing_cells(row), widths)


def _listing_line(cells: list[str], widths: list[int]) -> str:
    first = f"{cells[0]:>{widths[0]}}"
    middle = [f"{cell:<{width}}" for cell, width in zip(cells[1:-1], widths[1:-1], strict=True)]
    return "  ".join([first, *middle, cells[-1]])


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


def import_summary(result: ImportResult, source: str, log: str) -> str:
    """Return what an import did: rows imported (or that would be), left out and skipped."""
    done = result.appended
    verb = "would import" if result.dry_run else "imported"
    ids = f" (records {done.first_id}..{done.last_id})" if done.first_id else ""
    skipped = f"; {result.repeated} already in the log skipped" if result.skipped else ""
    return (
        f"{verb} {done.count} of {result.rows} rows from {source} into {log}{ids}; "
        f"{count(len(result.problems), 'bad row')} left out{skipped}"
    )


def import_warning(result: ImportResult, log: str) -> str | None:
    """Return the warning for rows that repeat records already in the log, if any."""
    if not result.repeated or result.skipped:
        return None
    return (
        f"warning: {count(result.repeated, 'row')} repeat a case (case_ref, dates and facts) "
        f"and board decision already in {log}, and "
        f"{'would be' if result.dry_run else 'were'} recorded again; "
        "rerun with --skip-existing to leave such rows out"
    )
