"""The decision record as plain blocks, before it is written as Markdown, HTML or PDF.

The content is built once (``_record_board``, ``_record_audit``) from these few kinds of
block, and each format writes the same blocks, so the versions never say different things.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scr_rules.vocabulary import Outcome


class RecordFormat(StrEnum):
    """How ``scr report`` writes the decision record."""

    md = "md"
    html = "html"
    pdf = "pdf"


class Audience(StrEnum):
    """Who reads the record: the board (1-2 pages) or an auditor (every rule and provision)."""

    board = "board"
    audit = "audit"


@dataclass(frozen=True)
class LoggedRecord:
    """Where a decision sits in an audit log, as plain data (render cannot read the log).

    ``log`` is the log as the reader named it: it goes into the commands that reproduce the
    decision. ``interview`` is the answers of ``scr interview --record``, ``[{fact, answer}]``.
    """

    log: str
    id: int
    hash: str
    recorded_at: str
    by: str | None = None
    origin: str = "triage"
    human_decision: str | None = None
    human_reason: str | None = None
    agreement: str | None = None  # the board's decision against the criteria (audit's words)
    interview: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """Running text; ``note`` is small print."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section (one met rule, one group of facts)."""

    text: str


@dataclass(frozen=True)
class Items:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Commands:
    """Shell commands, one a line, shown as code to copy."""

    lines: tuple[str, ...]


Block = Paragraph | Subheading | Items | Table | Commands


@dataclass(frozen=True)
class Section:
    """A titled part of the record; ``key`` names it in HTML (id and class)."""

    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class RecordDocument:
    """The whole record: its header, the outcome banner and the sections, in order.

    ``created`` is the UTC date-time the record refers to (when it was logged, or the
    decision date), never the clock: it dates the PDF, so reruns give the same bytes.
    """

    title: str
    audience: Audience
    outcome: Outcome
    banner: str
    header: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    footer: str
    created: str | None = None
    generator: str = field(default="scr-rules")
