"""One run of ``scr interview``: ask, take answers, go back, save, and end with the decision.

The case so far is a validated case; "not known" answers are kept apart (``skipped``) and
written to the case file as ``unknown``, so a saved interview resumes without asking them
again. The case file is written whole or not at all (a temporary file renamed over it), and
only after it validates as a case file.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import yaml
from rich.console import Console
from rich.prompt import Prompt
from rich.text import Text

from scr_rules.case import (
    CASE_REF_PATTERN,
    UNKNOWN,
    Case,
    case_from_document,
    contradictions,
    parse_document,
    read_text,
)
from scr_rules.cli._answers import Answer, NotAnAnswer, read_answer
from scr_rules.cli._common import read_stdin
from scr_rules.cli._interview_text import outcome_words, show_definition, show_question
from scr_rules.decide import InterviewQuestion, NextStep, next_question
from scr_rules.errors import CaseFileError, InputError, UsageError, printable
from scr_rules.law import QuestionBook, RuleBook
from scr_rules.render import WIDTH
from scr_rules.vocabulary import value_text

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"  # checked as a date when the case is built
MAX_TRIES = 1000  # answers read for one question before giving up (a stream of bad lines)


class SaveAndQuit(Exception):
    """The person asked to stop (``s``), or the answers ran out: save what there is."""


@dataclass
class Session:
    """The case so far, the facts answered "not known", and this interview's answers."""

    case: Case
    book: RuleBook
    questions: QuestionBook
    skipped: set[str] = field(default_factory=set)
    history: list[tuple[str, Answer]] = field(default_factory=list)

    def step(self) -> NextStep:
        return next_question(
            self.case, skipped=self.skipped, rulebook=self.book, questions=self.questions
        )

    def answer(self, fact: str, value: Answer) -> str | None:
        """Set a fact (or mark it not known); return why it cannot be, or None."""
        if value == UNKNOWN:
            self.skipped.add(fact)
        else:
            facts = self.case.facts.model_copy(update={fact: value})
            changed = self.case.model_copy(update={"facts": facts})
            problems = contradictions(changed)
            if problems:
                return str(problems[0])
            self.case = changed
        self.history.append((fact, value))
        return None

    def back(self) -> str | None:
        """Undo the last answer; return the fact it was for (None: nothing to undo)."""
        if not self.history:
            return None
        fact, value = self.history.pop()
        if value == UNKNOWN:
            self.skipped.discard(fact)
        else:
            facts = self.case.facts.model_copy(update={fact: UNKNOWN})
            self.case = self.case.model_copy(update={"facts": facts})
        return fact

    def transcript(self) -> list[dict[str, Any]]:
        """Return this interview's answers, in order: ``[{fact, answer}]`` (facts only)."""
        return [{"fact": fact, "answer": _json_value(value)} for fact, value in self.history]

    def document(self) -> dict[str, Any]:
        """Return the case file: the facts given, and those answered not known as unknown."""
        data = self.case.dump()
        facts = data.setdefault("facts", {})
        for name in self.questions.questions:
            if name.fact in self.skipped and name.fact not in facts:
                facts[name.fact] = UNKNOWN
        return data


def run(session: Session, console: Console, stream: TextIO | None) -> NextStep | None:
    """Ask until the interview is done (return the last step) or is saved (return None)."""
    number = 0
    while True:
        step = session.step()
        console.print(f"\noutcome so far: {outcome_words(step.decision)}", markup=False)
        if step.done or step.question is None:
            return step
        number += 1
        show_question(console, step, number)
        try:
            _ask(session, step.question, console, stream)
        except SaveAndQuit:
            return None


def _ask(
    session: Session, question: InterviewQuestion, console: Console, stream: TextIO | None
) -> None:
    """Read lines until one is an answer or a command that moves the interview on."""
    for _ in range(MAX_TRIES):
        typed = _read_line(console, stream)
        try:
            got = read_answer(question, typed)
        except NotAnAnswer as exc:
            console.print(f"   {printable(str(exc))}", markup=False)
            continue
        if got == "?":
            show_definition(console, question)
        elif got == "c":
            _show_answers(session, console)
        elif got == "s":
            raise SaveAndQuit
        elif got == "b":
            undone = session.back()
            console.print(
                f"   back: {undone} is open again" if undone else "   nothing to go back to"
            )
            if undone:
                return
        else:
            value = UNKNOWN if got == "u" else got
            why = session.answer(question.fact, value)
            if why is None:
                return
            console.print(f"   not possible: {printable(why)}", markup=False)
    raise SaveAndQuit


def _read_line(console: Console, stream: TextIO | None, prompt: str = "   answer: ") -> str:
    """Read one line; the end of the input saves and quits."""
    try:
        line = Prompt.get_input(console, Text(prompt), password=False, stream=stream)
    except EOFError:
        raise SaveAndQuit from None
    if stream is not None and not line:  # a stream's readline gives '' only at its end
        raise SaveAndQuit
    return line


def prompt_line(
    console: Console, stream: TextIO | None, words: str, default: str, pattern: str
) -> str:
    """Ask for one line matching ``pattern`` (Enter gives ``default``); ask again if it does not."""
    shown = f" [{default}]" if default else " [none]"
    for _ in range(MAX_TRIES):
        answer = _read_line(console, stream, f"{words}{shown}: ").strip() or default
        if not answer or re.fullmatch(pattern, answer):
            return answer
        console.print(
            f"   {printable(repr(answer))} is not valid here; expected {words}", markup=False
        )
    raise SaveAndQuit


def _show_answers(session: Session, console: Console) -> None:
    if not session.history:
        console.print("   no answers yet in this interview", markup=False)
    for fact, value in session.history:
        label = session.questions.question(fact).label(value)
        console.print(f"   {fact}: {label}", markup=False)


def answers_stream(file: str | None) -> TextIO | None:
    """Return where answers come from: stdin, or the terminal when stdin holds the case."""
    if file != "-":
        return None
    try:
        return open("/dev/tty", encoding="utf-8")  # read for the whole interview
    except OSError:
        raise UsageError(
            "<stdin>: the case comes from stdin, so the answers cannot; give the case as a FILE "
            "(or run it on a terminal)"
        ) from None


def start(
    file: str | None,
    jurisdiction: str | None,
    decision_date: date | None,
    console: Console,
    stream: TextIO | None,
) -> tuple[Case, set[str]]:
    """Return the case to start from and the facts it already answers "not known"."""
    if file is None:
        case = new_case(jurisdiction, decision_date, console, stream)
        return case, set()
    try:
        source, text = read_text(file, read_stdin() if file == "-" else None)
        document = parse_document(text, source)
    except InputError as exc:
        raise CaseFileError(exc.source, list(exc.problems)) from None
    case = case_from_document(document, source)
    raw = document.get("facts") if isinstance(document, dict) else None
    skipped = {k for k, v in (raw or {}).items() if v == "unknown"}
    if jurisdiction is not None and jurisdiction != case.jurisdiction:
        raise CaseFileError(
            source,
            f"jurisdiction: the case says {case.jurisdiction!r}; --jurisdiction "
            f"{jurisdiction!r} only chooses it for a new case",
        )
    day = decision_date.isoformat() if decision_date else None
    if day is None and not (case.decision_date or case.notification_date or case.incident_date):
        day = prompt_line(console, stream, "date of the decision (YYYY-MM-DD)", "", DATE_PATTERN)
    if day:
        case = case_from_document({**case.dump(), "decision_date": day}, source)
    return case, skipped


def new_case(
    jurisdiction: str | None,
    decision_date: date | None,
    console: Console,
    stream: TextIO | None,
) -> Case:
    """Ask for the reference and the dates of a new case; the law is chosen by the dates."""
    document: dict[str, object] = {
        "schema": "scr-case/1",
        "jurisdiction": jurisdiction or "england",
    }
    console.print("A new case. Press Enter to leave a date out.", markup=False)
    document["case_ref"] = prompt_line(
        console, stream, "case reference (never a name)", "NEW-0001", CASE_REF_PATTERN
    )
    dates = [
        ("incident_date", "date of the death or harm"),
        ("notification_date", "date the board was told"),
        ("decision_date", "date of the decision"),
    ]
    for name, words in dates:
        if name == "decision_date" and decision_date is not None:
            document[name] = decision_date.isoformat()
            continue
        answer = prompt_line(console, stream, f"{words} (YYYY-MM-DD)", "", DATE_PATTERN)
        if answer:
            document[name] = answer
    return case_from_document(document, "<interview>")


def write_case(path: Path, document: dict[str, Any], header: str) -> None:
    """Write a case file atomically, after checking it is one; raise CaseFileError if not."""
    text = header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=WIDTH)
    case_from_document(yaml.safe_load(text), str(path))  # never write what cannot be read back
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise CaseFileError(str(path), f"cannot be written ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CaseFileError(str(path), f"cannot be written ({exc.strerror})") from None


def _json_value(value: Answer) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def answer_text(value: Answer) -> str:
    """Spell an answer as a case file does."""
    return value_text(_json_value(value))
