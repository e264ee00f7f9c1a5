"""What a person types at an interview question: a command, or an answer checked against it.

Options are numbered; an answer may also be a value as a case file spells it (``true``,
``suspected``), a whole number for an age, a date ``YYYY-MM-DD``, or for a list of kinds
several numbers or kinds separated by commas. Single letters are the commands: ``?`` the
definition, ``u`` not known, ``b`` back, ``c`` check answers, ``s`` save and quit.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from scr_rules.case import UNKNOWN, FactValue
from scr_rules.decide import AnswerOption, InterviewQuestion
from scr_rules.vocabulary import parse_iso_date, value_text

Command = Literal["?", "u", "b", "c", "s"]
COMMANDS: dict[str, Command] = {"?": "?", "u": "u", "b": "b", "c": "c", "s": "s"}
COMMAND_HELP = "? definition · u not known · b back · c check answers · s save and quit"
Answer = FactValue | date
_SYNONYMS = {"yes": "true", "y": "true", "no": "false", "n": "false", "not known": UNKNOWN}


class NotAnAnswer(ValueError):
    """What was typed is not an answer to the question; the message says what would be."""


def read_answer(question: InterviewQuestion, typed: str) -> Command | Answer:
    """Return the command typed, or the answer; raise NotAnAnswer saying what is expected."""
    text = typed.strip()
    if text.lower() in COMMANDS:
        return COMMANDS[text.lower()]
    if not text:
        raise NotAnAnswer(f"no answer given; expected {expected(question)}")
    if question.kind == "date":
        try:
            return parse_iso_date(text)
        except ValueError:
            raise NotAnAnswer(f"{text!r} is not a date; expected YYYY-MM-DD") from None
    if question.kind == "set":
        return _kinds(question, text)
    option = _option(question, text)
    if option.disabled is not None:
        raise NotAnAnswer(f"{option.label!r} is not possible: {option.disabled}")
    return option.value


def _option(question: InterviewQuestion, text: str) -> AnswerOption:
    """Return the option a number (not for an age) or a value's spelling picks."""
    options = list(question.options)
    if question.kind != "int" and text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    spelt = _SYNONYMS.get(text.lower(), text.lower())
    for option in options:
        shown = "none" if option.value == () else value_text(option.value).lower()
        if spelt == shown:
            return option
    raise NotAnAnswer(f"{text!r} is not an answer here; expected {expected(question)}")


def _kinds(question: InterviewQuestion, text: str) -> Answer:
    """Return the list of kinds typed (numbers or names), the empty list, or unknown."""
    picked: list[str] = []
    for part in (piece.strip() for piece in text.split(",")):
        option = _option(question, part)
        if option.value == UNKNOWN or option.value == ():
            if len(text.split(",")) > 1:
                raise NotAnAnswer(f"{option.label!r} cannot be picked with other kinds")
            return option.value
        if option.disabled is not None:
            raise NotAnAnswer(f"{option.label!r} is not possible: {option.disabled}")
        if isinstance(option.value, str) and option.value not in picked:
            picked.append(option.value)
    return tuple(picked)


def expected(question: InterviewQuestion, not_known: str = "u") -> str:
    """Describe the answers the question takes, for a prompt or an error."""
    if question.kind == "int":
        numbers = [o.value for o in question.options if isinstance(o.value, int)]
        return f"a whole number from {min(numbers)} to {max(numbers)}, or {not_known}"
    if question.kind == "date":
        return f"a date YYYY-MM-DD, or {not_known}"
    many = ", several separated by commas" if question.kind == "set" else ""
    return f"a number from 1 to {len(question.options)}{many}, or a command"
