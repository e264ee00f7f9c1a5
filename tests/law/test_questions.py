"""The interview's questions (``rules/questions.yaml``): one per fact, cited, all labelled."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from scr_rules.case import BASE_FACTS, UNKNOWN, parse_rule_document
from scr_rules.errors import RuleFileError
from scr_rules.law import (
    NOT_KNOWN_LABEL,
    QUESTIONS_FILE,
    bundled_rules_dir,
    load_questions,
    load_rulebook,
    questions_from_document,
)

TOPIC_ORDER = [
    "child",
    "incident",
    "harm",
    "abuse_or_neglect",
    "setting",
    "agencies",
    "area_and_dates",
    "partnership_judgements",
]


def _document() -> dict[str, Any]:
    text = (bundled_rules_dir() / QUESTIONS_FILE).read_text(encoding="utf-8")
    document = parse_rule_document(text, QUESTIONS_FILE)
    assert isinstance(document, dict)
    return document


def _problems(document: dict[str, Any]) -> str:
    with pytest.raises(RuleFileError) as caught:
        questions_from_document(document)
    return "\n".join(str(problem) for problem in caught.value.problems)


def _entry(document: dict[str, Any], fact: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(q for q in document["questions"] if q["fact"] == fact)
    return entry


def test_every_fact_has_exactly_one_question() -> None:
    book = load_questions()
    facts = [entry.fact for entry in book.questions]
    assert sorted(facts) == sorted(BASE_FACTS)
    assert len(facts) == len(set(facts))


def test_questions_come_by_topic_in_the_issue_order() -> None:
    book = load_questions()
    assert [topic.id for topic in book.topics] == TOPIC_ORDER
    ranks = [TOPIC_ORDER.index(entry.topic) for entry in book.questions]
    assert ranks == sorted(ranks)
    assert [book.rank(entry.fact) for entry in book.questions] == list(range(len(ranks)))


def test_every_value_is_labelled_and_unknown_is_not_known_yet() -> None:
    for entry in load_questions().questions:
        domain = BASE_FACTS[entry.fact]
        assert entry.label(UNKNOWN) == NOT_KNOWN_LABEL, entry.fact
        for value in domain.values:
            assert entry.label(value) != str(value) or domain.kind == "int", entry.fact
        if domain.kind == "int":
            assert entry.label(7) == "7 years old"


def test_every_definition_cites_its_source_with_an_evidence_tag() -> None:
    """Question wording is legal content: the same evidence discipline as a rule's."""
    for entry in load_questions().questions:
        definition = entry.definition
        assert definition.evidence in ("primary", "secondary", "unverified"), entry.fact
        assert definition.instrument, entry.fact
        assert definition.reference, entry.fact
        assert definition.catalogue, entry.fact
        assert definition.text.strip(), entry.fact


def test_seriously_harmed_turns_on_the_wt2015_definition() -> None:
    definition = load_questions().question("child_seriously_harmed").definition
    assert definition.term == "seriously harmed"
    assert "Working Together to Safeguard Children (2015)" in definition.instrument
    assert "potentially life-threatening injury" in definition.text


def test_the_questions_are_not_part_of_the_rulebook_digest(tmp_path: Path) -> None:
    """Rewording a question changes no decision, so recorded digests stay as they are."""
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), copy)
    (copy / QUESTIONS_FILE).unlink()
    assert load_rulebook(copy).digest == load_rulebook().digest
    assert QUESTIONS_FILE not in load_rulebook().canonical["files"]


def test_a_fact_without_a_question_is_named() -> None:
    document = _document()
    document["questions"] = [q for q in document["questions"] if q["fact"] != "child_died"]
    assert "facts.child_died: has no question" in _problems(document)


def test_an_unknown_fact_is_named_with_a_suggestion() -> None:
    document = _document()
    _entry(document, "child_died")["fact"] = "child_dead"
    problems = _problems(document)
    assert "unknown fact 'child_dead' (did you mean 'child_died'?)" in problems
    assert "facts.child_died: has no question" in problems


def test_an_unknown_value_and_a_missing_label_are_named() -> None:
    document = _document()
    options = _entry(document, "interagency_concern")["options"]
    options[:] = [o if o["value"] != "absent" else {**o, "value": "none"} for o in options]
    problems = _problems(document)
    assert "(interagency_concern): options: 'none' is not a value" in problems
    assert "(interagency_concern): options: no label for 'absent'" in problems


def test_not_known_must_have_a_label() -> None:
    document = _document()
    entry = _entry(document, "child_died")
    entry["options"] = [o for o in entry["options"] if o["value"] != UNKNOWN]
    assert "(child_died): options: no label for 'unknown'" in _problems(document)


def test_a_number_needs_its_value_label_and_nothing_else_takes_one() -> None:
    document = _document()
    del _entry(document, "child_age_at_incident")["value_label"]
    _entry(document, "child_died")["value_label"] = "{value}"
    problems = _problems(document)
    assert "(child_age_at_incident): value_label: missing" in problems
    assert "(child_died): value_label: only a number takes one" in problems


def test_an_unknown_topic_a_duplicate_and_a_missing_field_are_named() -> None:
    document = _document()
    _entry(document, "child_died")["topic"] = "incidents"
    document["questions"].append(dict(_entry(document, "sexual_abuse")))
    del _entry(document, "looked_after")["hint"]
    problems = _problems(document)
    assert "topic: unknown topic 'incidents' (did you mean 'incident'?)" in problems
    assert "duplicate question for fact 'sexual_abuse'" in problems
    assert "(looked_after): hint: Field required" in problems


def test_a_control_character_in_a_question_is_refused() -> None:
    document = _document()
    _entry(document, "child_died")["text"] = "Has the child died?\x1b[2J"
    assert "control character U+001B" in _problems(document)


def test_a_rules_directory_without_questions_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), copy)
    (copy / QUESTIONS_FILE).unlink()
    with pytest.raises(RuleFileError, match="missing; expected a question for every fact"):
        load_questions(copy)


def test_a_broken_questions_file_is_refused_naming_the_line(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), copy)
    path = copy / QUESTIONS_FILE
    path.write_text(path.read_text(encoding="utf-8") + "questions: [\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="line"):
        load_questions(copy)


def test_the_file_parses_as_plain_yaml_too() -> None:
    text = (bundled_rules_dir() / QUESTIONS_FILE).read_text(encoding="utf-8")
    assert yaml.safe_load(text) == _document()
