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
record before it, so an edit, deletion, insertion or reordering breaks the chain. With the
board's key (``SCR_AUDIT_KEY``, read when the log is first written or verified) each record
and the log's end also carry an HMAC, so a rebuilt chain is evident without an anchor.
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
from scr_rules.audit._export import write_csv
from scr_rules.audit._import import MAX_BY, RowProblem, check_text, read_rows
from scr_rules.audit._keyed import audit_key_from_env
from scr_rules.audit._parallel import ReplayPool, clamp_jobs
from scr_rules.audit._record import (
    Appended,
    Entry,
    HumanDecision,
    Record,
    repeat_key,
    stored_case,
)
from scr_rules.audit._replay import (
    RecordReplay,
    ReplayReport,
    ReplaySummary,
    Rulebooks,
    iter_replay,
)
from scr_rules.audit._report import BoardReport, build_report
from scr_rules.audit._store import Store
from scr_rules.audit._verify import VerifyResult, verify_store
from scr_rules.case import Case
from scr_rules.decide import Decision
from scr_rules.errors import AuditError
from scr_rules.law import RuleBook, SettingValue, load_rulebook, resolve_settings
from scr_rules.vocabulary import ImportFormat, canonical_json

RulesChoice = Literal["recorded", "current"] | str | Path
KeyChoice = bytes | Literal["env"] | None  # the board's key, "env" (SCR_AUDIT_KEY) or none


@dataclass(frozen=True)
class ImportResult:
    """What an import added, every bad row it left out, and the rows already in the log.

    ``repeated`` counts valid rows whose case (case_ref, dates, facts) and board decision
    are already in the log, or earlier in the file; ``skipped`` says they were left out.
    """

    source: str
    rows: int
    appended: Appended
    problems: tuple[RowProblem, ...]
    dry_run: bool = False
    repeated: int = 0
    skipped: bool = False


class AuditLog:
    """An append-only, hash-chained SQLite log of decisions; created on the first write.

    ``key`` is the board's key for the keyed chain: "env" (the default) reads SCR_AUDIT_KEY
    when first needed, and an unset variable means an unkeyed log, as before.
    """

    def __init__(self, path: str | Path, key: KeyChoice = "env") -> None:
        self.path = Path(path)
        self._store: Store | None = None
        self._writable = False
        self._key_choice = key

    @property
    def key(self) -> bytes | None:
        """Return the board's key (read from SCR_AUDIT_KEY once, by default), or None."""
        if self._key_choice == "env":
            self._key_choice = audit_key_from_env()
        return self._key_choice

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
        key = self.key  # a weak key is refused before the log is touched
        return self._open(create=True).append(entries, canonical, key)

    def get(self, record_id: int) -> Record:
        """Return one record by id; raise AuditError if there is none."""
        for record in self._open().records(record_id):
            return record
        raise AuditError(f"{self.path}: no record {record_id}")

    def records(self) -> Iterator[Record]:
        """Yield every record in chain order, streamed from the database."""
        yield from self._open().records()

    def listing(self) -> Iterator[tuple[object, ...]]:
        """Yield the listing's columns of each record (see ``Store.listing``)."""
        yield from self._open().listing()

    def verify(self, anchor: str | None = None) -> VerifyResult:
        """Check every stored rulebook, the whole chain and its HMACs (with the board's key).

        ``anchor`` (a head noted earlier, or a prefix of 12 or more hex digits) must be in it.
        """
        key = self.key
        return verify_store(self._open(), anchor, key)

    def iter_replay(
        self, rules: RulesChoice = "recorded", record_id: int | None = None, jobs: int = 1
    ) -> Iterator[RecordReplay]:
        """Yield each record's replay in chain order; memory stays bounded.

        ``jobs`` above 1 replays on that many worker processes (0: one per core), with
        the same results in the same order.
        """
        books = Rulebooks(self._open(), rules)  # bad rules fail here, before any worker starts
        jobs = clamp_jobs(jobs)
        if jobs == 1:
            yield from iter_replay(self._open(), books, record_id)
            return
        self.close()  # the workers fork before the log is opened again
        with ReplayPool(self.path, str(rules), jobs) as pool:
            store = self._open()
            found = False
            for result in pool.replay(store.rows(record_id)):
                found = True
                yield result
            if record_id is not None and not found:
                raise AuditError(f"{self.path}: no record {record_id}")

    def replay(
        self,
        rules: RulesChoice = "recorded",
        record_id: int | None = None,
        *,
        keep_all: bool = False,
        jobs: int = 1,
    ) -> ReplayReport:
        """Replay every record (or one) and summarise; keep only divergent results unless asked."""
        summary, kept = ReplaySummary(), []
        for result in self.iter_replay(rules, record_id, jobs):
            summary.add(result)
            if keep_all or not result.identical:
                kept.append(result)
        return ReplayReport(str(rules), summary, tuple(kept))

    def export_jsonl(self, out: TextIO) -> int:
        """Write every record as one canonical JSON line (content and hash); return the count."""
        count = 0
        for record in self.records():
            out.write(canonical_json(record.to_dict()) + "\n")
            count += 1
        return count

    def report(self) -> BoardReport:
        """Gather the board's report: agreement by regime and year, disagreements, the chain."""
        key = self.key
        return build_report(self._open(), str(self.path), key)

    def export_csv(self, out: TextIO) -> int:
        """Write one CSV row per record, for a spreadsheet (see ``_export``); return the count."""
        return write_csv(self.records(), out)

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
        skip_existing: bool = False,
    ) -> ImportResult:
        """Decide and record every valid row of a CSV or JSONL file in one transaction.

        ``kind`` is csv or jsonl (``ImportFormat``, or its name); None or auto goes by the
        file's extension. CSV is read as ``scr batch`` reads it (``scr_rules.case.Table``).
        A row whose case and board decision are already in the log is counted in
        ``repeated``, and left out with ``skip_existing``.
        """
        book = load_rulebook(rules)
        resolve_settings(book, settings)  # a bad setting fails the whole import up front
        if by is not None and check_text(by, MAX_BY):
            raise AuditError(f"by: {check_text(by, MAX_BY)[0]}")
        problems: list[RowProblem] = []
        counter = [0, 0]  # rows read, rows already in the log

        rows = read_rows(Path(path), kind)
        first = list(itertools.islice(rows, 1))  # a bad header fails before the log is opened

        def entries() -> Iterator[Entry]:
            # read inside the append's transaction: a concurrent import cannot slip between
            seen = self._repeat_keys()
            for item in itertools.chain(first, rows):
                counter[0] += 1
                entry = import_entry(item, book, settings, by, pseudonymise_key)
                if isinstance(entry, RowProblem):
                    problems.append(entry)
                    continue
                identity = repeat_key(canonical_json(stored_case(entry)), entry.human_decision)
                if identity in seen:
                    counter[1] += 1
                    if skip_existing:
                        continue
                seen.add(identity)
                yield entry

        if dry_run:
            appended = Appended(sum(1 for _ in entries()), None, None)
        else:
            appended = self.record_many(entries(), [book])
        return ImportResult(
            str(path),
            counter[0],
            appended,
            tuple(problems),
            dry_run,
            repeated=counter[1],
            skipped=skip_existing,
        )

    def _repeat_keys(self) -> set[str]:
        """Return the identity of every record in the log (none when there is no log yet)."""
        if not self.path.exists() and self._store is None:
            return set()
        return self._open(create=self._writable).repeat_keys()


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
