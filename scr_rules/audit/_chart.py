"""The report's bar chart: engine-vs-board agreement by year, drawn by matplotlib (optional).

matplotlib is the ``charts`` extra: it is imported here, only when a chart is drawn, and a
report without it still renders (its tables, and a line saying how to get the chart). The
figure is drawn on its own canvas (no pyplot, no global figure state), with the SVG ids
salted and the date fixed, so the same counts always give the same bytes.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping

CHARTS_HINT = "the chart needs matplotlib: pip install 'scr-rules[charts]'"
SERIES = (  # (agreement, label, colour)
    ("agrees", "agree", "#2e7d32"),
    ("disagrees", "disagree", "#c62828"),
    ("discretion", "within discretion", "#1565c0"),
    ("not_assessable", "not assessable", "#9e9e9e"),
)
SALT = "scr-rules audit report"  # SVG ids derive from it, not from a random number


def charts_available() -> bool:
    """Say whether matplotlib can be imported (the ``charts`` extra)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def agreement_chart(by_year: Mapping[str, Counter[str]], date: str, fmt: str = "svg") -> bytes:
    """Return a stacked bar chart of agreement counts per year, as SVG (or PNG) bytes.

    ``date`` goes into the file's metadata instead of the time of drawing (the report
    passes the time of the log's newest record). Raises ImportError without matplotlib.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    years = sorted(by_year)
    with matplotlib.rc_context({"svg.hashsalt": SALT, "svg.fonttype": "none", "font.size": 9}):
        figure = Figure(figsize=(8, 3.2), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.subplots()
        bottom = [0] * len(years)
        for key, label, colour in SERIES:
            heights = [by_year[year][key] for year in years]
            axes.bar(years, heights, bottom=bottom, label=label, color=colour, width=0.7)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        axes.set_title("Engine and board, by year of decision")
        axes.set_ylabel("records with a board decision")
        axes.tick_params(axis="x", labelrotation=45 if len(years) > 12 else 0)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper left", frameon=False, ncols=len(SERIES), fontsize=8)
        axes.set_ylim(0, max(bottom, default=0) * 1.2 or 1)
        figure.tight_layout()
        out = io.BytesIO()
        metadata = {"Date": date, "Creator": "scr-rules"} if fmt == "svg" else {"Software": None}
        figure.savefig(out, format=fmt, metadata=metadata)
    return out.getvalue()


def inline_svg(svg: bytes) -> str:
    """Return an SVG document as an element to put inside HTML (without its XML prologue)."""
    text = svg.decode("utf-8")
    return text[text.index("<svg") :].strip()
