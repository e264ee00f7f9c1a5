"""The case an officer builds in the pages: how it started, then each answer in order.

A draft is all the pages know about a case, and it lives in the browser (sealed, see
``_pages_seal``). Keeping the answers in the order given makes the back link exact: the
previous page is the same draft less its last answer, so the link and the browser's back
button show the same question.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from scr_rules.case import UNKNOWN, Case, case_from_dict
from scr_rules.service._pages_seal import Unsealable

SOURCE = "the answers given"
STATE_MAX_AGE = 12 * 3600.0  # seconds: a working day, then the officer starts again


@dataclass(frozen=True)
class Draft:
    """A case so far: its start document, the answers given and what the pages remember.

    ``start`` is a case document (schema, case_ref, jurisdiction, dates, and the facts of an
    uploaded file); ``answers`` are ``(fact, value)`` as a case file spells the value, with
    ``unknown`` for "Not known yet"; ``prefill`` is the answer the back link took back, shown
    chosen when its question is asked again; ``record`` is the audit record (id, hash) these
    pages wrote for this case.
    """

    start: dict[str, Any]
    answers: tuple[tuple[str, Any], ...] = ()
    prefill: tuple[str, Any] | None = None
    record: tuple[int, str] | None = None

    def document(self) -> dict[str, Any]:
        """Return the case file of the draft (facts not known yet spelt ``unknown``)."""
        facts = dict(self.start.get("facts") or {})
        facts.update(self.answers)
        return {**self.start, "facts": facts}

    def case(self) -> Case:
        """Return the case, checked as a case file is (raise CaseFileError if it is not one)."""
        return case_from_dict(self.document(), source=SOURCE)

    def skipped(self) -> tuple[str, ...]:
        """Return the facts answered "Not known yet": the interview does not ask them again."""
        return tuple(name for name, value in self.document()["facts"].items() if value == UNKNOWN)

    def given(self) -> list[tuple[str, Any]]:
        """Return every fact given, the uploaded file's first, then the answers in order."""
        answered = dict(self.answers)
        first = [(k, v) for k, v in (self.start.get("facts") or {}).items() if k not in answered]
        return first + list(self.answers)

    def value_of(self, fact: str) -> Any:
        """Return the value given for a fact (None when it was not asked)."""
        return dict(self.given()).get(fact)

    def with_answer(self, fact: str, value: Any) -> Draft:
        """Return the draft with a fact answered: a changed answer keeps its place."""
        answers = list(self.answers)
        places = [n for n, (name, _) in enumerate(answers) if name == fact]
        if places:
            answers[places[0]] = (fact, value)
        else:
            answers.append((fact, value))
        return replace(self, answers=tuple(answers), prefill=None, record=None)

    def with_start(self, start: dict[str, Any]) -> Draft:
        """Return the draft with new start details (reference, jurisdiction, dates)."""
        return replace(self, start=start, prefill=None, record=None)

    def back(self) -> Draft | None:
        """Return the draft before its last answer (remembered as ``prefill``), or None."""
        if not self.answers:
            return None
        return replace(self, answers=self.answers[:-1], prefill=self.answers[-1], record=None)

    def recorded(self, record_id: int, record_hash: str) -> Draft:
        """Return the draft marked as recorded under this audit record."""
        return replace(self, prefill=None, record=(record_id, record_hash))

    def to_data(self) -> dict[str, Any]:
        """Return the draft as compact JSON data, to seal."""
        return {
            "s": self.start,
            "a": [list(pair) for pair in self.answers],
            "p": list(self.prefill) if self.prefill else None,
            "r": list(self.record) if self.record else None,
        }

    @classmethod
    def from_data(cls, data: Any) -> Draft:
        """Rebuild a draft from opened data; raise Unsealable if it is not one."""
        if not isinstance(data, dict) or set(data) != {"s", "a", "p", "r"}:
            raise Unsealable("not a draft")
        start, answers, prefill, record = data["s"], data["a"], data["p"], data["r"]
        pairs = [tuple(pair) for pair in answers if isinstance(pair, list) and len(pair) == 2]
        if (
            not isinstance(start, dict)
            or not isinstance(answers, list)
            or len(pairs) != len(answers)
        ):
            raise Unsealable("not a draft")
        return cls(
            start=start,
            answers=tuple((str(name), value) for name, value in pairs),
            prefill=(str(prefill[0]), prefill[1]) if isinstance(prefill, list) else None,
            record=(int(record[0]), str(record[1])) if isinstance(record, list) else None,
        )
