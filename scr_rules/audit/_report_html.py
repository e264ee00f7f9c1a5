"""The board's report as one self-contained HTML page, or as Markdown.

Every style is inline (one ``<style>`` element) and the chart is inline SVG: the page
needs no other file, font or script. Cells are shaded by their share of the row, so the
pattern shows at a glance; Markdown, which has no colour, gets a bar of blocks instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape as _escape

from scr_rules.audit._agreement import Assessment
from scr_rules.audit._chart import CHARTS_HINT, agreement_chart, inline_svg
from scr_rules.audit._report import (
    AGREEMENT_COLUMNS,
    AGREEMENT_KEYS,
    BoardReport,
    agreement_rate,
    chain_status,
    many,
    percent,
)
from scr_rules.vocabulary import OUTCOMES

STYLE = (
    "body{font-family:system-ui,sans-serif;color:#1a1a1a;margin:2em auto;max-width:72em;"
    "padding:0 1em}table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #c8c8c8;padding:.25em .6em;text-align:right}"
    "th{background:#f3f3f3}th:first-child,td:first-child,td.text{text-align:left}"
    "code{word-break:break-all}.ok{color:#1b5e20}.failed{color:#b71c1c;font-weight:bold}"
    ".note{color:#555}figure{margin:0 0 1.5em}svg{max-width:100%;height:auto}"
)
SHADES = {  # the colour a cell takes at a share of 1 (white at 0)
    "agree": (46, 125, 50),
    "disagree": (198, 40, 40),
    "within discretion": (21, 101, 192),
    "not assessable": (117, 117, 117),
    "agreement": (46, 125, 50),
}
OUTCOME_SHADE = (21, 101, 192)
DISAGREEMENT_COLUMNS = ("record", "case_ref", "regime", "decision date", "engine", "rules met")


def escape(text: str) -> str:
    """Escape text for an HTML text node (quotes stay as they are: no attribute holds input)."""
    return _escape(text, quote=False)


def _shade(colour: tuple[int, int, int], share: float) -> str:
    """Return an inline background mixing white with ``colour`` by ``share`` (0 to 1)."""
    weight = 0.65 * max(0.0, min(1.0, share))  # never so dark that the number is hard to read
    if not weight:
        return ""
    mixed = (round(255 + (c - 255) * weight) for c in colour)
    return ' style="background:#{:02x}{:02x}{:02x}"'.format(*mixed)


def _table(header: Sequence[str], rows: Iterable[str]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f"<table>\n<tr>{head}</tr>\n" + "".join(rows) + "</table>\n"


def _agreement_table(title: str, groups: dict[str, Counter[str]]) -> str:
    rows = []
    for name in sorted(groups):
        counts = groups[name]
        total = sum(counts.values())
        cells = [f"<td>{escape(name)}</td>"]
        for column, key in zip(AGREEMENT_COLUMNS, AGREEMENT_KEYS, strict=True):
            share = counts[key] / total if total else 0.0
            cells.append(f"<td{_shade(SHADES[column], share)}>{counts[key]}</td>")
        rate = agreement_rate(counts)
        shade = _shade(SHADES["agreement"], rate) if rate is not None else ""
        cells.append(f"<td{shade}>{percent(rate)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>\n")
    return _table((title, *AGREEMENT_COLUMNS, "agreement"), rows)


def _outcome_table(report: BoardReport) -> str:
    rows = []
    for (regime, year), counts in sorted(report.outcomes.items()):
        total = sum(counts.values())
        cells = [f"<td>{escape(regime)}</td><td class='text'>{escape(year)}</td>"]
        for outcome in OUTCOMES:
            shade = _shade(OUTCOME_SHADE, counts[outcome] / total)
            cells.append(f"<td{shade}>{counts[outcome]}</td>")
        rows.append("<tr>" + "".join(cells) + f"<td>{total}</td></tr>\n")
    return _table(("regime", "year", *OUTCOMES, "total"), rows)


def _assessment_table(items: Sequence[Assessment], last: str) -> str:
    if not items:
        return "<p>None.</p>\n"
    rows = []
    for item in items:
        board = item.board + (f" ({item.board_reason})" if item.board_reason else "")
        cells = (
            str(item.record_id),
            item.case_ref,
            item.regime or "-",
            item.decision_date or "undated",
            item.engine or "none",
            ", ".join(item.rules) or "none",
            board,
            *([item.why or ""] if last == "why" else []),
        )
        tds = "".join(f"<td class='text'>{escape(c)}</td>" for c in cells)
        rows.append(f"<tr>{tds}</tr>\n")
    extra = ("why not assessable",) if last == "why" else ()
    return _table((*DISAGREEMENT_COLUMNS, "board decision", *extra), rows)


def _problems(report: BoardReport) -> str:
    problems = report.verify.problems
    if not problems:
        return ""
    items = "".join(f"<li>{escape(str(problem))}</li>\n" for problem in problems)
    more = report.verify.problem_count - len(problems)
    return f"<ul>\n{items}</ul>\n" + (f"<p>... and {more} more</p>\n" if more else "")


def _chart(report: BoardReport) -> str:
    if not report.by_year:
        return ""
    try:
        svg = agreement_chart(report.by_year, report.last_recorded_at or "")
    except ImportError:
        return f"<p class='note'>{escape(CHARTS_HINT)}</p>\n"
    return f"<figure>{inline_svg(svg)}</figure>\n"


def render_html(report: BoardReport) -> str:
    """Return the report as one self-contained HTML page."""
    result, status = report.verify, chain_status(report)
    css = "ok" if result.ok else "failed"
    parts = [
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n",
        f"<title>Audit report: {escape(report.log)}</title>\n<style>{STYLE}</style>\n",
        f"</head>\n<body>\n<h1>Audit report: {escape(report.log)}</h1>\n",
        f"<p>The chain: <span class='{css}'>{escape(status)}</span><br>\n",
        f"head <code>{escape(result.head or 'none (empty log)')}</code></p>\n",
        _problems(report),
        f"<p>{many(report.records, 'record')}, {report.with_board:,} with the board's decision. "
        "The engine's outcome is the one recorded with each decision (what was before the "
        "board); <code>scr replay</code> decides them again.</p>\n",
        "<h2>Engine and board, by regime</h2>\n",
        _agreement_table("regime", report.by_regime),
        "<h2>Engine and board, by year of decision</h2>\n",
        _agreement_table("year", report.by_year),
        _chart(report),
        "<p class='note'>Agreement is the share of decisions the criteria can judge (a "
        "mandatory review initiated; a review not required declined or replaced by another "
        "kind) that followed them. A discretionary outcome leaves the choice to the board; "
        "an undetermined one cannot be judged.</p>\n",
        "<h2>Outcomes by regime and year</h2>\n",
        _outcome_table(report),
        f"<h2>Disagreements ({len(report.disagreements)})</h2>\n",
        _assessment_table(report.disagreements, "board"),
        f"<h2>Not assessable ({len(report.not_assessable)})</h2>\n",
        _assessment_table(report.not_assessable, "why"),
    ]
    if report.unreadable:
        parts.append(f"<h2>Unreadable records ({len(report.unreadable)})</h2>\n")
        rows = (
            f"<tr><td>{rid}</td><td class='text'>{escape(why)}</td></tr>\n"
            for rid, why in report.unreadable
        )
        parts.append(_table(("record", "why"), rows))
    parts.append("</body>\n</html>\n")
    return "".join(parts)
