"""Decisions for people: text today (rich, colour on a terminal); Markdown and HTML later.

The text opens with a summary an officer reads first, then lists the rules that can change
the outcome; ``relevant`` says which those are, and ``detail=True`` lists every rule.
"""

from scr_rules.render._record import (
    Audience,
    LoggedRecord,
    RecordFormat,
    decision_record,
    record_document,
)
from scr_rules.render._relevance import Relevant, relevant
from scr_rules.render._text import (
    UNWRAPPED,
    WIDTH,
    headline,
    readings_line,
    render,
    render_text,
    text_console,
    without_trailing_blanks,
)

__all__ = [
    "UNWRAPPED",
    "WIDTH",
    "Audience",
    "LoggedRecord",
    "RecordFormat",
    "Relevant",
    "decision_record",
    "headline",
    "readings_line",
    "record_document",
    "relevant",
    "render",
    "render_text",
    "text_console",
    "without_trailing_blanks",
]
