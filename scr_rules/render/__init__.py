"""Decisions for people: text today (rich, colour on a terminal); Markdown and HTML later."""

from scr_rules.render._text import WIDTH, headline, readings_line, render, render_text, value_text

__all__ = ["WIDTH", "headline", "readings_line", "render", "render_text", "value_text"]
