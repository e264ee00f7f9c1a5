"""A tamper-evident log of decisions, and replay of them under past or present rules.

Typical use::

    from scr_rules import AuditLog, load_case, triage

    log = AuditLog("decisions.scrlog")
    case = load_case("case.yaml")
    log.record(case, triage(case), by="duty-officer-3")
    assert log.verify().ok
    assert log.replay(rules="recorded").all_agree

Every record carries the validated case, the full decision, the digest of the rulebook it
was decided under (the rulebook itself is stored once in the log) and the hash of the
record before it, so an edit, deletion, insertion or reordering breaks the chain.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from scr_rules.audit._entry import (
    import_entry,
    make_entry,
)
from scr_rules.audit._import import MAX_BY, RowProblem, check_text, read_rows
from scr_rules.audit._record import Appended, Entry, HumanDecision, Record
from scr_rules.audit._replay import (
    RecordReplay,
    ReplayReport,
    ReplaySummary,
    Rulebooks,
    iter_replay,
)
from scr_rules.audit._store import Store
from scr_rules.audit._verify import VerifyResult, verify_store
from scr_rules.case import Case
from scr_rules.decide import Decision
from scr_rules.errors import AuditError
from scr_rules.law import RuleBook, SettingValue, load_rulebook, resolve_settings
from scr_rules.vocabulary import ImportFormat, canonical_json

RulesChoice = Literal["recorded", "current"] | str | Path


@dataclass(frozen=True)
class ImportResult:
    """What an import added, and every bad row it left out."""

    source: str
    rows: int
    appended: Appended
    problems: tuple[RowProblem, ...]
    dry_run: bool = False


class AuditLog:
    """An append-only, hash-chained SQLite log of decisions; created on the first write."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._store: Store | None = None
        self._writable = False

    def _open(self, create: bool = False) -> Store:
        if self._store is None or (create and not self._writable):
            if self._store is not None:
                self._store.close()
            self._store = Store(self.path, create=create)
            self._writable = create
        return self._store

    def close(self) -> None:
        """Close the log's database connection (it reopens on the next use)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def record(
        self,
        case: Case,
        decision: Decision,
        *,
        rulebook: RuleBook | None = None,
        by: str | None = None,
        human_decision: HumanDecision | None = None,
        human_reason: str | None = None,
        pseudonymise_key: bytes | None = None,
    ) -> Record:
        """Append one decision (made under ``rulebook``, default the bundled rules)."""
        book = rulebook or load_rulebook()
        entry = make_entry(
            case,
            decision,
            book,
            by=by,
            human_decision=human_decision,
            human_reason=human_reason,
            pseudonymise_key=pseudonymise_key,
        )
        appended = self.record_many([entry], [book])
        return self.get(appended.last_id or 0)

    def record_many(self, entries: Iterable[Entry], rulebooks: Iterable[RuleBook]) -> Appended:
        """Append entries (from ``make_entry``) in one transaction: all of them or none."""
        canonical = {book.digest: book.canonical for book in rulebooks}
        return self._open(create=True).append(entries, canonical)

    def get(self, record_id: int) -> Record:
        """Return one record by id; raise AuditError if there is none."""
        for record in self._open().records(record_id):
            return record
        raise AuditError(f"{self.path}: no record {record_id}")

    def records(self) -> Iterator[Record]:
        """Yield every record in chain order, streamed from the database."""
        yield from self._open().records()

    def verify(self, anchor: str | None = None) -> VerifyResult:
        """Check every stored rulebook and the whole chain (and that ``anchor`` is in it)."""
        return verify_store(self._open(), anchor)

    def iter_replay(
        self, rules: RulesChoice = "recorded", record_id: int | None = None
    ) -> Iterator[RecordReplay]:
        """Yield each record's replay in chain order; memory stays bounded."""
        store = self._open()
        yield from iter_replay(store, Rulebooks(store, rules), record_id)

    def replay(
        self,
        rules: RulesChoice = "recorded",
        record_id: int | None = None,
        *,
        keep_all: bool = False,
    ) -> ReplayReport:
        """Replay every record (or one) and summarise; keep only divergent results unless asked."""
        store = self._open()
        books = Rulebooks(store, rules)
        summary, kept = ReplaySummary(), []
        for result in iter_replay(store, books, record_id):
            summary.add(result)
            if keep_all or not result.identical:
                kept.append(result)
        return ReplayReport(books.label, summary, tuple(kept))

    def export_jsonl(self, out: TextIO) -> int:
        """Write every record as one canonical JSON line (content and hash); return the count."""
        count = 0
        for record in self.records():
            out.write(canonical_json(record.to_dict()) + "\n")
            count += 1
        return count

    def import_file(
        self,
        path: str | Path,
        *,
        kind: ImportFormat | None = None,
        rules: str | Path | None = None,
        settings: Mapping[str, SettingValue] | None = None,
        by: str | None = None,
        pseudonymise_key: bytes | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Decide and record every valid row of a CSV or JSONL file in one transaction.

        ``kind`` is csv or jsonl (``ImportFormat``, or its name); None or auto goes by the
        file's extension. CSV is read as ``scr batch`` reads it (``scr_rules.case.Table``).
        """
        book = load_rulebook(rules)
        resolve_settings(book, settings)  # a bad setting fails the whole import up front
        if by is not None and check_text(by, MAX_BY):
            raise AuditError(f"by: {check_text(by, MAX_BY)[0]}")
        problems: list[RowProblem] = []
        counter = [0]

        rows = read_rows(Path(path), kind)
        first = list(itertools.islice(rows, 1))  # a bad header fails before the log is opened

        def entries() -> Iterator[Entry]:
            for item in itertools.chain(first, rows):
                counter[0] += 1
                entry = import_entry(item, book, settings, by, pseudonymise_key)
                if isinstance(entry, RowProblem):
                    problems.append(entry)
                else:
                    yield entry

        if dry_run:
            appended = Appended(sum(1 for _ in entries()), None, None)
        else:
            appended = self.record_many(entries(), [book])
        return ImportResult(str(path), counter[0], appended, tuple(problems), dry_run)


def replay(
    log: AuditLog | str | Path,
    rules: RulesChoice = "recorded",
    record_id: int | None = None,
    *,
    keep_all: bool = False,
) -> ReplayReport:
    """Replay a log's records under ``recorded``, ``current`` or a rules directory."""
    audit_log = log if isinstance(log, AuditLog) else AuditLog(log)
    return audit_log.replay(rules, record_id, keep_all=keep_all)
