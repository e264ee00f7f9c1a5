"""The questions of the guided interview and the fact glossary (``rules/questions.yaml``).

One entry per fact a case file can give: the question, a hint, the legal definition it turns
on with its citation and evidence tag (as a rule's), a label for every value and for
"unknown", and a topic. Topics come in the file's order, and the questions of a topic in
theirs: that is the order an interview asks in, so related questions come together.

The file sits beside the rules but is not part of the rulebook digest: no decision depends
on it, so rewording a question cannot change how a recorded decision replays.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from scr_rules.case import (
    BASE_FACTS,
    UNKNOWN,
    FactDomain,
    FactValue,
    parse_rule_document,
    read_text,
)
from scr_rules.errors import InputError, Problem, RuleFileError
from scr_rules.law._rulebook import QUESTIONS_FILE, bundled_rules_dir
from scr_rules.law._schema import Evidence
from scr_rules.law._validation import unsafe_text_problems
from scr_rules.vocabulary import did_you_mean, literal_text

NOT_KNOWN_LABEL = "Not known yet"  # what "unknown" is called to the person answering
OptionValue = StrictBool | StrictInt | StrictStr | tuple[StrictStr, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Definition(_Strict):
    """The legal test a question turns on, cited as a rule's citation is (regimes.md 0.1)."""

    term: str
    text: str
    instrument: str
    reference: str
    evidence: Evidence
    catalogue: str = Field(description="Where regimes.md gives it, e.g. ENG06-M1 or 6.2.")

    def citation(self) -> str:
        """Return 'instrument, reference'."""
        return f"{self.instrument}, {self.reference}"


class Choice(_Strict):
    """One value of a fact and its label."""

    value: OptionValue
    label: Annotated[str, Field(min_length=1)]


class Topic(_Strict):
    """A group of related questions."""

    id: str
    title: str


class QuestionEntry(_Strict):
    """The question for one fact, its hint, its definition and a label for every value."""

    fact: str
    topic: str
    text: str
    hint: str
    definition: Definition
    options: tuple[Choice, ...]
    value_label: str | None = Field(
        default=None, description="For a number: the label of each value, with {value}."
    )

    @property
    def domain(self) -> FactDomain:
        return BASE_FACTS[self.fact]

    def label(self, value: object) -> str:
        """Return the label of a value of this fact (a list: its kinds' labels joined)."""
        if isinstance(value, list | tuple) and value:
            return ", ".join(self.label(kind) for kind in value)
        for choice in self.options:
            if _same(choice.value, value):
                return choice.label
        if self.value_label is not None and isinstance(value, int):
            return self.value_label.format(value=value)
        return literal_text(value)


@dataclass(frozen=True, eq=False)
class QuestionBook:
    """Every question, in the order an interview asks them, with their topics."""

    topics: tuple[Topic, ...]
    questions: tuple[QuestionEntry, ...]
    source: str
    _by_fact: dict[str, QuestionEntry] = field(default_factory=dict, repr=False)
    _rank: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_fact.update({entry.fact: entry for entry in self.questions})
        self._rank.update({entry.fact: index for index, entry in enumerate(self.questions)})

    def question(self, fact: str) -> QuestionEntry:
        """Return the question for a fact; raise KeyError if there is none."""
        return self._by_fact[fact]

    def rank(self, fact: str) -> int:
        """Return a fact's place in the interview order (topic, then place in the file)."""
        return self._rank[fact]

    def topic(self, topic_id: str) -> Topic:
        """Return a topic by id; raise KeyError if there is none."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)


def load_questions(directory: str | Path | None = None) -> QuestionBook:
    """Load and check ``questions.yaml`` of a rules directory (default: the bundled rules).

    Raises RuleFileError listing every problem: a fact without a question, an entry for an
    unknown fact or value, a value without a label. Each directory is read once per process.
    """
    folder = bundled_rules_dir() if directory is None else Path(directory)
    return _load_cached(str(folder.resolve()))


@functools.lru_cache(maxsize=8)
def _load_cached(directory: str) -> QuestionBook:
    path = Path(directory) / QUESTIONS_FILE
    try:
        source, text = read_text(path)
        document = parse_rule_document(text, source)
    except InputError as exc:
        if not path.exists():
            raise RuleFileError(
                str(path), "missing; expected a question for every fact beside the rules"
            ) from None
        raise RuleFileError(str(path), list(exc.problems)) from None
    return questions_from_document(document, str(path))


def questions_from_document(document: Any, source: str = QUESTIONS_FILE) -> QuestionBook:
    """Validate a parsed questions document; raise RuleFileError with every problem."""
    problems = unsafe_text_problems({QUESTIONS_FILE: document})
    if not isinstance(document, dict) or set(document) != {"topics", "questions"}:
        raise RuleFileError(source, "expected a mapping with 'topics' and 'questions' lists")
    topics = _parse_list(document["topics"], "topics", Topic, problems)
    entries = _parse_list(document["questions"], "questions", QuestionEntry, problems)
    topic_ids = [topic.id for topic in topics]
    problems += _duplicates(topic_ids, "topics", "topic")
    problems += _duplicates([entry.fact for entry in entries], "questions", "question for fact")
    for entry in entries:
        problems += _entry_problems(entry, topic_ids)
    given = {entry.fact for entry in entries}
    problems += [
        Problem(f"facts.{name}", "has no question; add an entry for it to questions.yaml")
        for name in BASE_FACTS
        if name not in given
    ]
    if problems:
        raise RuleFileError(source, problems)
    known = [entry for entry in entries if entry.topic in topic_ids]
    ordered = sorted(known, key=lambda entry: topic_ids.index(entry.topic))  # stable: file order
    return QuestionBook(tuple(topics), tuple(ordered), source)


def _parse_list(items: Any, key: str, model: type[Any], problems: list[Problem]) -> list[Any]:
    if not isinstance(items, list) or not items:
        problems.append(Problem(key, "expected a non-empty list"))
        return []
    parsed = []
    for index, item in enumerate(items):
        name = item.get("fact") if isinstance(item, dict) else None
        where = f"{key}[{index}]" + (f" ({name})" if isinstance(name, str) else "")
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            problems += [
                Problem(where, ".".join(map(str, error["loc"])) + f": {error['msg']}")
                for error in exc.errors()
            ]
    return parsed


def _duplicates(names: list[str], key: str, what: str) -> list[Problem]:
    seen = sorted({name for name in names if names.count(name) > 1})
    return [Problem(key, f"duplicate {what} {name!r}") for name in seen]


def _entry_problems(entry: QuestionEntry, topic_ids: list[str]) -> list[Problem]:
    """Check one entry: its fact, its topic, and a label for every value and for unknown."""
    where = f"questions ({entry.fact})"
    if entry.fact not in BASE_FACTS:
        hint = did_you_mean(entry.fact, BASE_FACTS)
        return [Problem(where, f"fact: unknown fact {entry.fact!r}{hint}")]
    problems = []
    if entry.topic not in topic_ids:
        hint = did_you_mean(entry.topic, topic_ids)
        problems.append(Problem(where, f"topic: unknown topic {entry.topic!r}{hint}"))
    domain = BASE_FACTS[entry.fact]
    expected = _values_to_label(domain)
    for choice in entry.options:
        if not any(_same(choice.value, value) for value in expected):
            problems.append(
                Problem(
                    where,
                    f"options: {literal_text(choice.value)} is not a value of {entry.fact!r}; "
                    f"expected {domain.describe()}",
                )
            )
    labelled = [choice.value for choice in entry.options]
    for value in expected:
        if not any(_same(value, given) for given in labelled):
            problems.append(Problem(where, f"options: no label for {literal_text(value)}"))
    if (domain.kind == "int") != (entry.value_label is not None):
        problems.append(Problem(where, _value_label_problem(domain)))
    elif entry.value_label is not None and "{value}" not in entry.value_label:
        problems.append(Problem(where, "value_label: expected text with {value} in it"))
    return problems


def _value_label_problem(domain: FactDomain) -> str:
    if domain.kind == "int":
        return "value_label: missing; a number needs a label with {value}, e.g. '{value} years'"
    return f"value_label: only a number takes one; {domain.name!r} is a {domain.kind}"


def _values_to_label(domain: FactDomain) -> list[FactValue]:
    """Return the values an entry must label: every listed value, the empty list, unknown."""
    values: list[FactValue] = list(domain.values)
    if domain.kind == "set":
        values.append(())
    return [*values, UNKNOWN]


def _same(left: object, right: object) -> bool:
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return tuple(left) == tuple(right)
    return type(left) is type(right) and left == right
