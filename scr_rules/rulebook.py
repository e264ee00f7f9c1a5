"""The rulebook: rule files, regimes and settings loaded from ``rules/``, validated and hashed."""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scr_rules._yaml_fast import parse_rule_document
from scr_rules.conditions import Condition, evaluate, facts_read, parse_condition
from scr_rules.errors import InputError, Problem, RuleFileError
from scr_rules.facts import ALL_FACTS, UNKNOWN, FactValue, derive
from scr_rules.yaml_io import read_text

RuleOutcome = Literal["mandatory", "discretionary"]
Evidence = Literal["primary", "secondary", "unverified"]
Force = Literal["statute", "regulation", "statutory_guidance"]
REGIMES_FILE = "regimes.yaml"
SETTINGS_FILE = "settings.yaml"
RULEBOOK_SCHEMA = "scr-rulebook/1"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Strict):
    """Where a rule comes from and how well that was verified (regimes.md 0.1)."""

    instrument: str
    reference: str
    evidence: Evidence
    text: str
    catalogue: str = Field(description="The criterion id in regimes.md, e.g. ENG06-M1.")

    def short(self) -> str:
        """Return 'instrument, reference'."""
        return f"{self.instrument}, {self.reference}"


class InForce(_Strict):
    """The inclusive dates between which a rule or regime applies, and their source."""

    from_: date = Field(alias="from")
    to: date | None = None
    source: str

    def covers(self, day: date) -> bool:
        """Say whether ``day`` falls inside these inclusive dates."""
        return self.from_ <= day and (self.to is None or day <= self.to)

    def covers_after(self, day: date) -> bool:
        """Say whether these dates reach ``day`` or later."""
        return self.to is None or self.to >= day

    def span(self) -> str:
        """Return 'from .. to' in ISO dates."""
        return f"{self.from_.isoformat()} .. {self.to.isoformat() if self.to else 'open'}"


class Example(_Strict):
    """A worked example inside a rule file: facts and whether the rule fires."""

    name: str
    facts: dict[str, Any]
    fires: bool | Literal["unknown"]
    settings: dict[str, Any] = Field(default_factory=dict)


class EnabledWhen(_Strict):
    """A rule is evaluated only while a setting has this value (a switch, regimes.md 15)."""

    setting: str
    equals: bool | str


class Due(_Strict):
    """When a duty falls due: so many working days, calendar days or months after a date."""

    within: int = Field(ge=0)
    unit: Literal["working_days", "calendar_days", "months"]
    from_: Literal["incident_date", "notification_date", "decision_date"] = Field(alias="from")


class DutySpec(_Strict):
    """A step that must follow (a notification, a decision, a review), and its deadline."""

    name: str
    action: str
    who: str
    due: Due | None = None
    when_outcome: tuple[Literal["mandatory", "discretionary", "undetermined"], ...] | None = Field(
        default=None, description="Only when the decision's outcome is one of these."
    )
    done_by: Literal["decision_date"] | None = Field(
        default=None, description="The duty is done once the case gives this date."
    )


class RuleSpec(_Strict):
    """The metadata of one rule file; ``when`` is parsed into a Condition separately.

    A ``criterion`` decides the outcome; a ``duty`` adds a step with its deadline; a
    ``factor`` is a matter the decision-maker must weigh (it never changes the outcome).
    """

    id: str
    regime: str
    kind: Literal["criterion", "duty", "factor"] = "criterion"
    title: str
    outcome: RuleOutcome | None = None
    review_type: Literal["concise", "extended"] | None = None
    duty: DutySpec | None = None
    outcome_setting: str | None = Field(
        default=None, description="A setting whose value replaces the outcome (a switch)."
    )
    enabled_when: EnabledWhen | None = Field(
        default=None, description="The rule is off unless this setting has this value."
    )
    force: Force
    citation: Citation
    in_force: InForce
    when: Any
    reason: str
    notes: str | None = None
    examples: tuple[Example, ...]


class AreaSwitch(_Strict):
    """A regime that began area by area: before an area's own start date the old one applies."""

    fact: Literal["area_new_arrangements_start_date"]
    replaces: str
    latest: date = Field(description="By this date every area had switched.")


class Regime(_Strict):
    """A period of law: which instruments applied, from when until when."""

    id: str
    jurisdiction: Literal["england", "wales"]
    title: str
    in_force: InForce
    not_required_advice: str
    decider: str = Field(default="the LSCB chair", description="Who takes the decision.")
    area_switch: AreaSwitch | None = None


UNRESOLVED = "unresolved"  # a setting value: the law here is unverified or disputed (0.5)


class Setting(_Strict):
    """A switch where the sources disagree (regimes.md section 15), with its default.

    A switch over unverified law or a disputed reading also takes ``unresolved``: a case
    the provision could catch is then undetermined, with each reading's outcome shown.
    """

    name: str
    values: tuple[bool | str, ...]
    default: bool | str
    description: str
    source: str
    evidence: Evidence | None = Field(
        default=None, description="How well the provision the switch governs was verified."
    )

    def readings(self) -> tuple[bool | str, ...]:
        """Return the values that settle the point (every value but ``unresolved``)."""
        return tuple(value for value in self.values if value != UNRESOLVED)


@dataclass(frozen=True)
class Rule:
    """One provision: its metadata, its parsed condition and the file it came from."""

    spec: RuleSpec
    condition: Condition
    path: str

    @property
    def id(self) -> str:
        return self.spec.id

    def facts(self) -> list[str]:
        """Return the facts the condition reads."""
        return facts_read(self.condition)


@dataclass
class RuleBook:
    """Every rule, regime and setting of one ``rules/`` tree, with its content hash."""

    rules: tuple[Rule, ...]
    regimes: tuple[Regime, ...]
    settings: tuple[Setting, ...]
    canonical: dict[str, Any]
    digest: str
    source: str
    _engine: Any = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
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

    def engine(self) -> Any:
        """Return this rulebook's compiled durable-rules engine, compiling it once."""
        with self._lock:
            if self._engine is None:
                from scr_rules.engine import DurableEngine  # the only durable import site

                self._engine = DurableEngine(self.rules, self.digest)
            return self._engine


def _change_days(rules: tuple[Rule, ...], regime_id: str) -> list[date]:
    """Return, sorted, the days on which a rule of the regime comes into or goes out of force."""
    days = set()
    for rule in rules:
        if rule.spec.regime == regime_id:
            days.add(rule.spec.in_force.from_)
            if rule.spec.in_force.to is not None:
                days.add(rule.spec.in_force.to + timedelta(days=1))
    return sorted(days)


def bundled_rules_dir() -> Path:
    """Return the rules directory shipped with the package (or the source tree's)."""
    packaged = Path(__file__).parent / "_rules"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "rules"


@functools.lru_cache(maxsize=8)
def _load_cached(directory: str) -> RuleBook:
    return _load(Path(directory))


def load_rulebook(directory: str | Path | None = None) -> RuleBook:
    """Load, validate and hash a rules directory (default: the bundled rules).

    A directory is loaded once per process; later calls return the same RuleBook, so
    its engine is compiled once.
    """
    path = Path(directory) if directory is not None else bundled_rules_dir()
    return _load_cached(str(path.resolve()))


def _load(directory: Path) -> RuleBook:
    if not directory.is_dir():
        raise RuleFileError(str(directory), "not a directory of rule files")
    problems: list[Problem] = []
    documents: dict[str, Any] = {}
    for file in sorted(directory.rglob("*.yaml")):
        relative = file.relative_to(directory).as_posix()
        try:
            source, text = read_text(file)
            documents[relative] = parse_rule_document(text, source)
        except InputError as exc:
            problems += [Problem(relative, str(p)) for p in exc.problems]
    return _build(documents, str(directory), problems)


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
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _build(
    documents: dict[str, Any], source: str, problems: list[Problem] | None = None
) -> RuleBook:
    """Validate parsed rule files; raise one RuleFileError with every problem found."""
    problems = list(problems or [])
    regimes = _load_list(documents, REGIMES_FILE, "regimes", Regime, problems)
    settings = _load_list(documents, SETTINGS_FILE, "settings", Setting, problems)
    rules = [
        rule
        for relative, document in sorted(documents.items())
        if relative not in (REGIMES_FILE, SETTINGS_FILE)
        for rule in [_load_rule(relative, document, problems)]
        if rule is not None
    ]
    if not problems:
        problems += _cross_check(rules, regimes, settings)
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
    )


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


def _cross_check(
    rules: list[Rule], regimes: list[Regime], settings: list[Setting]
) -> list[Problem]:
    """Check ids, regimes, settings and dates across files, then run every example."""
    problems: list[Problem] = []
    regime_by_id = {regime.id: regime for regime in regimes}
    setting_by_name = {setting.name: setting for setting in settings}
    ids = [rule.id for rule in rules]
    problems += _regime_problems(regimes)
    problems += _setting_problems(settings)
    for rule in rules:
        spec, where = rule.spec, f"{rule.path} ({rule.id})"
        problems += [Problem(where, message) for message in _kind_problems(spec)]
        if ids.count(rule.id) > 1:
            problems.append(Problem(where, "duplicate rule id"))
        regime = regime_by_id.get(spec.regime)
        if regime is None:
            problems.append(Problem(where, f"regime: unknown regime {spec.regime!r}"))
        elif not _within(spec.in_force, regime.in_force):
            problems.append(
                Problem(
                    where,
                    f"in_force: {spec.in_force.span()} lies outside "
                    f"regime {regime.id} ({regime.in_force.span()})",
                )
            )
        if spec.enabled_when is not None:
            setting = setting_by_name.get(spec.enabled_when.setting)
            if setting is None:
                problems.append(
                    Problem(where, f"enabled_when: unknown setting {spec.enabled_when.setting!r}")
                )
            elif spec.enabled_when.equals not in setting.readings():
                problems.append(
                    Problem(
                        where,
                        f"enabled_when: {spec.enabled_when.equals!r} is "
                        f"not a value of {setting.name!r}",
                    )
                )
        if spec.outcome_setting is not None:
            setting = setting_by_name.get(spec.outcome_setting)
            if setting is None:
                problems.append(Problem(where, f"unknown setting {spec.outcome_setting!r}"))
            elif not set(setting.values) <= {"mandatory", "discretionary"}:
                problems.append(
                    Problem(
                        where,
                        f"outcome_setting: {setting.name!r} must take "
                        "the values mandatory / discretionary",
                    )
                )
    if not problems:
        problems += [p for rule in rules for p in example_problems(rule, setting_by_name)]
    return problems


def _kind_problems(spec: RuleSpec) -> list[str]:
    """Check that a rule carries what its kind needs, and nothing another kind needs."""
    has_outcome = spec.outcome is not None or spec.outcome_setting is not None
    if spec.kind == "criterion":
        wanted = [] if has_outcome else ["a criterion needs an outcome (or outcome_setting)"]
        return wanted + (["a criterion has no duty block"] if spec.duty else [])
    problems = [f"a {spec.kind} has no outcome"] if has_outcome or spec.review_type else []
    if spec.kind == "duty" and spec.duty is None:
        problems.append("a duty needs a duty block (name, action, who, due)")
    if spec.kind == "factor" and spec.duty is not None:
        problems.append("a factor has no duty block")
    return problems


def _regime_problems(regimes: list[Regime]) -> list[Problem]:
    ids = {regime.id for regime in regimes}
    return [
        Problem(
            REGIMES_FILE, f"{regime.id}: area_switch replaces unknown regime {switch.replaces!r}"
        )
        for regime in regimes
        if (switch := regime.area_switch) is not None and switch.replaces not in ids
    ]


def _setting_problems(settings: list[Setting]) -> list[Problem]:
    problems: list[Problem] = []
    names = [setting.name for setting in settings]
    for setting in settings:
        where = f"{SETTINGS_FILE}: {setting.name}"
        if names.count(setting.name) > 1:
            problems.append(Problem(where, "duplicate setting name"))
        if not any(
            type(v) is type(setting.default) and v == setting.default for v in setting.values
        ):
            problems.append(Problem(where, f"default {setting.default!r} is not one of its values"))
        if len(setting.readings()) < 2:
            problems.append(Problem(where, "a setting needs at least two values that settle it"))
        if UNRESOLVED in setting.values and setting.evidence is None:
            problems.append(Problem(where, "an unresolved setting needs its evidence tag"))
    return problems


def _within(inner: InForce, outer: InForce) -> bool:
    if inner.from_ < outer.from_:
        return False
    if outer.to is None:
        return True
    return inner.to is not None and inner.to <= outer.to


def example_facts(raw: dict[str, Any]) -> dict[str, FactValue]:
    """Return an example's known facts, with derived facts added where the example omits them."""
    known = {name: value for name, value in raw.items() if value != UNKNOWN}
    for name, value in derive(known).items():
        known.setdefault(name, value)
    return known


def example_problems(rule: Rule, settings: dict[str, Setting]) -> list[Problem]:
    """Validate a rule's examples and run each through the reference evaluator."""
    where = f"{rule.path} ({rule.id})"
    problems: list[Problem] = []
    spec = rule.spec
    kinds = {example.fires for example in spec.examples}
    if not {True, False, UNKNOWN} <= kinds:
        problems.append(
            Problem(
                where,
                "examples: need at least one that fires (true), one "
                "that does not (false) and one unknown",
            )
        )
    for index, example in enumerate(spec.examples):
        loc = f"{where}: examples[{index}]"
        bad = [name for name in example.facts if name not in ALL_FACTS]
        bad += [
            name
            for name, value in example.facts.items()
            if name in ALL_FACTS and value != UNKNOWN and not ALL_FACTS[name].accepts(value)
        ]
        if bad:
            problems.append(Problem(loc, f"fact {bad[0]!r} is unknown or has an invalid value"))
            continue
        unread = [name for name in example.facts if name not in rule.facts()]
        if unread:
            problems.append(Problem(loc, f"facts {unread} are not read by this rule"))
        result = evaluate(rule.condition, example_facts(example.facts))
        got = UNKNOWN if result is None else result
        if got != example.fires:
            problems.append(
                Problem(loc, f"{example.name!r}: expected fires={example.fires}, got {got}")
            )
    return problems
