"""The decision record as PDF: the HTML page laid out by WeasyPrint (the optional extra ``pdf``).

WeasyPrint dates a PDF by the ``dcterms.created``/``dcterms.modified`` meta elements (the
HTML takes them from what it records, never the clock) and gives it the identifier passed
here (a digest of the page), so the same record always gives the same bytes.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from scr_rules.errors import Problem, UsageError
from scr_rules.vocabulary import sha256

PDF_HINT = "pip install 'scr-rules[pdf]'"
# WeasyPrint reports every CSS rule it ignores on its logger; the record's page is known
# good, so only errors are worth a line on stderr
_QUIET = logging.ERROR


def render_record_pdf(html: str) -> bytes:
    """Return the HTML page as a PDF; raise UsageError when WeasyPrint is not installed."""
    weasyprint = _weasyprint()
    identifier = sha256(html).removeprefix("sha256:")[:32]
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(_QUIET)
    try:
        pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf(
            pdf_identifier=identifier.encode("ascii")
        )
    finally:
        logger.setLevel(level)
    return pdf


def _weasyprint() -> Any:
    # imported by name: WeasyPrint is an optional extra, and it ships no type hints
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError):  # not installed, or its system libraries (Pango) missing
        message = f"the PDF record needs WeasyPrint; expected it installed ({PDF_HINT})"
        raise UsageError(Problem("--format", message, expected=PDF_HINT, found="pdf")) from None
