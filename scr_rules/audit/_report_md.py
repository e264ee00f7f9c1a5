"""The board's report as Markdown: the same tables as the HTML page, with bars for shading."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from scr_rules.audit._agreement import Assessment
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

BAR_WIDTH = 10  # blocks in a full bar


def _cell(text: str) -> str:
    """Keep a value from breaking the table: no pipe, no line break."""
    return " ".join(text.replace("|", "\\|").split())


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], left: int = 1) -> list[str]:
    align = ["---"] * left + ["--:"] * (len(header) - left)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _bar(rate: float | None) -> str:
    if rate is None:
        return "-"
    full = round(rate * BAR_WIDTH)
    return f"{percent(rate)} {'█' * full}{'░' * (BAR_WIDTH - full)}"


def _agreement_rows(groups: dict[str, Counter[str]]) -> list[list[str]]:
    rows = []
    for name in sorted(groups):
        counts = groups[name]
        rows.append([name, *(str(counts[k]) for k in AGREEMENT_KEYS), _bar(agreement_rate(counts))])
    return rows


def _assessments(header: Sequence[str], items: Sequence[Assessment], why: bool) -> list[str]:
    if not items:
        return ["None.", ""]
    return _table(header, _assessment_rows(items, why), left=len(header))


def _assessment_rows(items: Sequence[Assessment], why: bool) -> list[list[str]]:
    return [
        [
            str(item.record_id),
            item.case_ref,
            item.regime or "-",
            item.decision_date or "undated",
            item.engine or "none",
            ", ".join(item.rules) or "none",
            item.board + (f" ({item.board_reason})" if item.board_reason else ""),
            *([item.why or ""] if why else []),
        ]
        for item in items
    ]


def render_markdown(report: BoardReport) -> str:
    """Return the report as Markdown (the chart is in the HTML page only)."""
    result = report.verify
    columns = ("record", "case_ref", "regime", "decision date", "engine", "rules met", "board")
    lines = [
        f"# Audit report: {_cell(report.log)}",
        "",
        f"The chain: **{_cell(chain_status(report))}**  ",
        f"head `{result.head or 'none (empty log)'}`",
        "",
        *(f"- {_cell(str(problem))}" for problem in result.problems),
        f"{many(report.records, 'record')}, {report.with_board:,} with the board's decision; "
        "the engine's outcome is the one recorded with each decision. The bar chart is in the "
        "HTML report (`--format html`).",
        "",
        "## Engine and board, by regime",
        "",
        *_table(("regime", *AGREEMENT_COLUMNS, "agreement"), _agreement_rows(report.by_regime)),
        "## Engine and board, by year of decision",
        "",
        *_table(("year", *AGREEMENT_COLUMNS, "agreement"), _agreement_rows(report.by_year)),
        "## Outcomes by regime and year",
        "",
        *_table(
            ("regime", "year", *OUTCOMES, "total"),
            (
                [regime, year, *(str(counts[o]) for o in OUTCOMES), str(sum(counts.values()))]
                for (regime, year), counts in sorted(report.outcomes.items())
            ),
            left=2,
        ),
        f"## Disagreements ({len(report.disagreements)})",
        "",
        *_assessments(columns, report.disagreements, False),
        f"## Not assessable ({len(report.not_assessable)})",
        "",
        *_assessments((*columns, "why not assessable"), report.not_assessable, True),
    ]
    if report.unreadable:
        lines += [f"## Unreadable records ({len(report.unreadable)})", ""]
        lines += _table(("record", "why"), ([str(r), w] for r, w in report.unreadable), left=2)
    return "\n".join(lines).rstrip("\n") + "\n"
