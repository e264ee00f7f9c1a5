"""The decision record as one self-contained HTML page, laid out for A4 print and for PDF.

Every style is in one ``<style>`` element: no other file, font, image or script is fetched,
so the page can be mailed, archived or opened offline. The ``@page`` rules set the margins,
the page numbers and the running footer when the page is printed (or made into a PDF).
"""

from __future__ import annotations

from html import escape

from scr_rules.render._record_model import (
    Block,
    Commands,
    Items,
    Paragraph,
    RecordDocument,
    Section,
    Subheading,
    Table,
)

BANNER_COLOURS = {  # the text output's colours: background, text
    "mandatory": ("#b71c1c", "#ffffff"),
    "discretionary": ("#f9d71c", "#1a1a1a"),
    "not_required": ("#1b5e20", "#ffffff"),
    "undetermined": ("#7fd8e6", "#1a1a1a"),
}
FONT = '"Liberation Sans",Arial,Helvetica,sans-serif'
STYLE = """
:root{color-scheme:light}
body{font-family:FONT;color:#1a1a1a;font-size:11pt;
line-height:1.35;margin:2em auto;max-width:52em;padding:0 1em}
h1{font-size:1.6em;margin:0 0 .4em}h2{font-size:1.2em;border-bottom:2px solid #1a1a1a;
margin:1.2em 0 .4em;padding-bottom:.1em}h3{font-size:1em;margin:.8em 0 .2em}
dl.header{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:0 0 1em}
dl.header dt{font-weight:bold}dl.header dd{margin:0}
.banner{font-size:1.3em;font-weight:bold;padding:.5em .7em;margin:.8em 0}
ul{margin:.2em 0 .5em;padding-left:1.4em}li{margin:.1em 0}p{margin:.3em 0}
table{border-collapse:collapse;width:100%;margin:.3em 0 .6em;font-size:.92em}
th,td{border:1px solid #b0b0b0;padding:.2em .4em;text-align:left;vertical-align:top}
th{background:#ececec}pre{background:#f3f3f3;border:1px solid #c8c8c8;padding:.4em .6em;
white-space:pre-wrap;word-break:break-all;font-size:.9em}
code,pre{font-family:"Liberation Mono","DejaVu Sans Mono",monospace}
.note{color:#4a4a4a;font-size:.9em}footer{margin-top:2em;color:#4a4a4a;font-size:.85em}
dd,td,li,p{overflow-wrap:break-word}
@media print{body{margin:0;max-width:none;padding:0;font-size:9pt;line-height:1.3}
footer{display:none}h2,h3{break-after:avoid}tr,li,pre{break-inside:avoid}
.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
""".replace("FONT", FONT)
# margins, page numbers and the running footer (its text filled in) of the printed page
PAGE = (
    "@page{{size:A4;margin:13mm 14mm 15mm 14mm;font-family:{font};"
    "@bottom-left{{content:{footer};font-size:8pt;color:#4a4a4a}}"
    '@bottom-right{{content:"page " counter(page) " of " counter(pages);'
    "font-size:8pt;color:#4a4a4a}}}}\n"
)


def render_record_html(document: RecordDocument) -> str:
    """Return the record as one HTML page needing no other file."""
    background, colour = BANNER_COLOURS[document.outcome]
    page = PAGE.format(footer=_css_string(document.footer), font=FONT)
    head = [
        "<!DOCTYPE html>\n<html lang='en-GB'>\n<head>\n<meta charset='utf-8'>\n",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n",
        f"<title>{escape(document.title)}</title>\n",
        f"<meta name='generator' content='{escape(document.generator)}'>\n",
        *_dates(document),
        f"<style>{STYLE}{page}</style>\n</head>\n",
    ]
    body = [
        f"<body class='record {document.audience.value}'>\n<header>\n",
        f"<h1>{escape(document.title)}</h1>\n<dl class='header'>\n",
        *(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>\n" for k, v in document.header),
        "</dl>\n</header>\n",
        f"<p class='banner' data-outcome='{document.outcome}' "
        f"style='background:{background};color:{colour}'>{escape(document.banner)}</p>\n",
        *(_section(section) for section in document.sections),
        f"<footer>{escape(document.footer)}</footer>\n</body>\n</html>\n",
    ]
    return "".join(head + body)


def _dates(document: RecordDocument) -> list[str]:
    """Date the page by what it records (never the clock): the PDF takes these as its dates."""
    if document.created is None:
        return []
    return [
        f"<meta name='dcterms.{name}' content='{escape(document.created)}'>\n"
        for name in ("created", "modified")
    ]


def _css_string(text: str) -> str:
    """Quote text as a CSS string; inside <style> no entity is decoded, so escape as CSS."""
    quoted = "".join(f"\\{ord(c):x} " if c in _CSS_SPECIAL or c < " " else c for c in text)
    return f'"{quoted}"'


_CSS_SPECIAL = set("\\\"<>&'")


def _section(section: Section) -> str:
    blocks = "".join(_block(block) for block in section.blocks)
    return (
        f"<section id='{section.key}' class='{section.key}'>\n"
        f"<h2>{escape(section.title)}</h2>\n{blocks}</section>\n"
    )


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        note = " class='note'" if block.note else ""
        return f"<p{note}>{escape(block.text)}</p>\n"
    if isinstance(block, Subheading):
        return f"<h3>{escape(block.text)}</h3>\n"
    if isinstance(block, Items):
        return "<ul>\n" + "".join(f"<li>{escape(item)}</li>\n" for item in block.items) + "</ul>\n"
    if isinstance(block, Commands):
        return "<pre><code>" + escape("\n".join(block.lines)) + "</code></pre>\n"
    return _table(block)


def _table(table: Table) -> str:
    head = "".join(f"<th scope='col'>{escape(cell)}</th>" for cell in table.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>\n"
        for row in table.rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
