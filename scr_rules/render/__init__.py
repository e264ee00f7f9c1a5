"""Decisions for people: text today (rich, colour on a terminal); Markdown and HTML later."""

from scr_rules.render._text import (
    WIDTH,
    headline,
    readings_line,
    render,
    render_text,
    without_trailing_blanks,
)

__all__ = [
    "WIDTH",
    "headline",
    "readings_line",
    "render",
    "render_text",
    "without_trailing_blanks",
]
