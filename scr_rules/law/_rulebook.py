"""The rulebook: rule files, regimes and settings loaded from ``rules/``, validated and hashed.

A RuleBook is frozen data: it knows nothing of the evaluators that run it
(``scr_rules.engine.evaluator_for`` builds one per rulebook digest).
"""

from __future__ import annotations

import bisect
import functools
import stat
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scr_rules.case import parse_rule_document, read_text
from scr_rules.errors import InputError, Problem, RuleFileError
from scr_rules.law._conditions import parse_condition
from scr_rules.law._schema import LEGACY_VALUES, LawValues, Regime, Rule, RuleSpec, Setting
from scr_rules.law._validation import REGIMES_FILE, SETTINGS_FILE, cross_check, unsafe_text_problems
from scr_rules.vocabulary import canonical_json, sha256

VALUES_FILE = "values.yaml"
DATA_FILES = (REGIMES_FILE, SETTINGS_FILE, VALUES_FILE)
# The interview's questions sit beside the rules but decide nothing, so they are not part of
# the rulebook or its digest (scr_rules.law._questions reads them).
QUESTIONS_FILE = "questions.yaml"
RULEBOOK_SCHEMA = "scr-rulebook/1"


@dataclass(frozen=True, eq=False)
class RuleBook:
    """Every rule, regime and setting of one ``rules/`` tree, with its content hash.

    Frozen: what it holds never changes; the two private dicts only remember lookups.
    """

    rules: tuple[Rule, ...]
    regimes: tuple[Regime, ...]
    settings: tuple[Setting, ...]
    canonical: dict[str, Any]
    digest: str
    source: str
    values: LawValues = LEGACY_VALUES
    _in_force: dict[tuple[str, int], tuple[Rule, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _changes: dict[str, list[date]] = field(default_factory=dict, repr=False, compare=False)

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with this id, or raise KeyError."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def regime(self, regime_id: str) -> Regime:
        """Return the regime with this id, or raise KeyError."""
        for regime in self.regimes:
            if regime.id == regime_id:
                return regime
        raise KeyError(regime_id)

    def rules_for(self, regime_id: str, day: date | None = None) -> tuple[Rule, ...]:
        """Return the regime's rules (those in force on ``day`` when given), sorted by id."""
        # The answer only changes on a day some rule starts or stops, so it is remembered
        # per stretch between two such days (a handful per regime), not per day.
        changes = self._changes.get(regime_id)
        if changes is None:
            changes = self._changes[regime_id] = _change_days(self.rules, regime_id)
        key = (regime_id, -1 if day is None else bisect.bisect_right(changes, day))
        found = self._in_force.get(key)
        if found is None:
            found = self._in_force[key] = tuple(
                rule
                for rule in self.rules
                if rule.spec.regime == regime_id and (day is None or rule.spec.in_force.covers(day))
            )
        return found


def _change_days(rules: tuple[Rule, ...], regime_id: str) -> list[date]:
    """Return, sorted, the days on which a rule of the regime comes into or goes out of force."""
    days = set()
    for rule in rules:
        if rule.spec.regime == regime_id:
            days.add(rule.spec.in_force.from_)
            if rule.spec.in_force.to is not None:
                days.add(rule.spec.in_force.to + timedelta(days=1))
    return sorted(days)


@functools.cache  # where the package lies does not change while it runs
def bundled_rules_dir() -> Path:
    """Return the rules directory shipped with the package (or the source tree's)."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_rules"
    return packaged if packaged.is_dir() else package.parent / "rules"


@functools.lru_cache(maxsize=8)
def _load_cached(directory: str) -> RuleBook:
    return _load(Path(directory))


def load_rulebook(directory: str | Path | None = None) -> RuleBook:
    """Load, validate and hash a rules directory (default: the bundled rules).

    A directory is loaded once per process; later calls return the same RuleBook, so
    its engine is compiled once.
    """
    if directory is None:
        return _load_bundled()
    return _load_cached(str(Path(directory).resolve()))


@functools.cache
def _load_bundled() -> RuleBook:
    """The bundled rules, found and loaded once (triage() without a rulebook comes here)."""
    return _load_cached(str(bundled_rules_dir().resolve()))


def _load(directory: Path) -> RuleBook:
    if not directory.is_dir():
        raise RuleFileError(str(directory), "not a directory of rule files")
    problems: list[Problem] = []
    documents: dict[str, Any] = {}
    for file in _rule_files(directory, problems):
        relative = file.relative_to(directory).as_posix()
        if relative == QUESTIONS_FILE:
            continue
        try:
            source, text = read_text(file)
            documents[relative] = parse_rule_document(text, source)
        except InputError as exc:
            problems += [Problem(relative, str(p)) for p in exc.problems]
    return _build(documents, str(directory), problems)


def _rule_files(directory: Path, problems: list[Problem]) -> list[Path]:
    """Return the rule files under ``directory``; report what cannot be one, never skip it.

    Only regular files ending ``.yaml`` are rules. A symbolic link, a FIFO or a device, or
    a file named ``.yml`` or ``.YAML``, is a problem (a rule silently left out could turn a
    mandatory review into "not required"); symbolic links are never followed, so a loop or
    a link to a system file cannot be read or echoed.
    """
    found: list[Path] = []
    pending = [directory]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            problems.append(Problem(folder.relative_to(directory).as_posix() or ".", _why(exc)))
            continue
        for entry in entries:
            relative = entry.relative_to(directory).as_posix()
            try:
                mode = entry.lstat().st_mode
            except OSError as exc:
                problems.append(Problem(relative, _why(exc)))
                continue
            if stat.S_ISLNK(mode):
                problems.append(
                    Problem(relative, "is a symbolic link; copy the file or folder in instead")
                )
            elif stat.S_ISDIR(mode):
                pending.append(entry)
            elif not stat.S_ISREG(mode):
                problems.append(Problem(relative, "is not a regular file (a FIFO or device?)"))
            elif entry.suffix == ".yaml":
                found.append(entry)
            elif entry.suffix.lower() in (".yaml", ".yml"):
                problems.append(
                    Problem(relative, "rule files end in '.yaml'; rename it or it is not read")
                )
    return sorted(found)


def _why(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or type(exc).__name__})"


def rulebook_from_canonical(canonical: dict[str, Any], source: str = "<recorded>") -> RuleBook:
    """Rebuild a rulebook from its canonical form (as stored in an audit log).

    The digest is recomputed from the content, so a tampered copy cannot pass as the
    original: compare ``digest`` with the one recorded.
    """
    if canonical.get("schema") != RULEBOOK_SCHEMA or not isinstance(canonical.get("files"), dict):
        raise RuleFileError(source, f"not a canonical rulebook (schema {RULEBOOK_SCHEMA!r})")
    return _build(dict(canonical["files"]), source)


def rulebook_digest(canonical: dict[str, Any]) -> str:
    """Return the sha256 of a canonical rulebook's JSON (sorted keys, no blanks)."""
    return sha256(canonical_json(canonical))


def _build(
    documents: dict[str, Any], source: str, problems: list[Problem] | None = None
) -> RuleBook:
    """Validate parsed rule files; raise one RuleFileError with every problem found."""
    problems = list(problems or []) + unsafe_text_problems(documents)
    regimes = _load_list(documents, REGIMES_FILE, "regimes", Regime, problems)
    settings = _load_list(documents, SETTINGS_FILE, "settings", Setting, problems)
    rules = [
        rule
        for relative, document in sorted(documents.items())
        if relative not in DATA_FILES
        for rule in [_load_rule(relative, document, problems)]
        if rule is not None
    ]
    values = _load_values(documents, problems)
    if not problems:
        problems += cross_check(rules, regimes, settings, values.child_age_limit.value)
    if problems:
        raise RuleFileError(source, problems)
    canonical = {"schema": RULEBOOK_SCHEMA, "files": documents}
    return RuleBook(
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        regimes=tuple(sorted(regimes, key=lambda r: r.in_force.from_)),
        settings=tuple(settings),
        canonical=canonical,
        digest=rulebook_digest(canonical),
        source=source,
        values=values,
    )


def _load_values(documents: dict[str, Any], problems: list[Problem]) -> LawValues:
    """Read ``values.yaml``; a rulebook without one keeps the values once built in."""
    document = documents.get(VALUES_FILE)
    if document is None:
        return LEGACY_VALUES
    if not isinstance(document, dict) or not isinstance(document.get("values"), dict):
        problems.append(Problem(VALUES_FILE, "expected a mapping with a mapping under 'values'"))
        return LEGACY_VALUES
    try:
        return LawValues.model_validate(document["values"])
    except ValidationError as exc:
        problems.extend(
            Problem(f"{VALUES_FILE}: values." + ".".join(map(str, e["loc"])), e["msg"])
            for e in exc.errors()
        )
        return LEGACY_VALUES


def _load_list(
    documents: dict[str, Any], name: str, key: str, model: type[Any], problems: list[Problem]
) -> list[Any]:
    document = documents.get(name)
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        problems.append(Problem(name, f"expected a mapping with a list under {key!r}"))
        return []
    items = []
    for index, item in enumerate(document[key]):
        try:
            items.append(model.model_validate(item))
        except ValidationError as exc:
            problems += [
                Problem(f"{name}: {key}[{index}]." + ".".join(map(str, e["loc"])), e["msg"])
                for e in exc.errors()
            ]
    return items


def _load_rule(relative: str, document: Any, problems: list[Problem]) -> Rule | None:
    try:
        spec = RuleSpec.model_validate(document)
    except ValidationError as exc:
        problems += [
            Problem(relative, ".".join(map(str, e["loc"])) + f": {e['msg']}") for e in exc.errors()
        ]
        return None
    where = f"{relative} ({spec.id})"
    expected_path = spec.id.replace(".", "/", 2) + ".yaml"
    if relative != expected_path:
        problems.append(Problem(where, f"id does not match the path; expected {expected_path}"))
    found: list[Problem] = []
    condition = parse_condition(spec.when, "when", found)
    problems += [Problem(where, str(p)) for p in found]
    return None if condition is None else Rule(spec, condition, relative)
