"""The decision record's formats: self-contained HTML for print, PDF, the same bytes on rerun."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from html.parser import HTMLParser

import pypdf
import pytest

from scr_rules.case import load_case
from scr_rules.decide import triage
from scr_rules.errors import UsageError
from scr_rules.render import LoggedRecord, decision_record
from scr_rules.vocabulary import sha256
from tests._shared import BOOK, CASES_DIR, ROOT

DEATH = CASES_DIR / "death-neglect-factor-2008.yaml"
LOGGED = LoggedRecord(
    log="decisions.scrlog",
    id=2,
    hash="sha256:" + "5e" * 32,
    recorded_at="2011-05-05T09:30:00Z",
    by="duty-officer-3",
    human_decision="declined",
    human_reason="<b>single-agency</b> review & learning",
)
# the cases whose board record is longest: it must still fit two pages, with a log's record
LONGEST = ("e2018-every-factor-to-weigh", "transition-area-switched-before-decision")


def record(
    name: str = "death-neglect-factor-2008",
    *,
    fmt: str = "html",
    audience: str = "board",
    record: LoggedRecord | None = None,
) -> bytes:
    case = load_case(str(CASES_DIR / f"{name}.yaml"))
    decision = triage(case, rulebook=BOOK)
    return decision_record(decision, case, fmt=fmt, audience=audience, record=record)


class _Fetches(HTMLParser):
    """Collect every attribute that could make a browser fetch something, and every script."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.found.append(tag)
        self.found += [f"{tag} {name}" for name, _ in attrs if name in ("src", "href", "srcset")]


@pytest.mark.parametrize("audience", ["board", "audit"])
def test_the_html_page_fetches_nothing_and_has_print_rules(audience: str) -> None:
    html = record(audience=audience, fmt="html", record=LOGGED).decode("utf-8")
    parser = _Fetches()
    parser.feed(html)

    assert parser.found == []
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style
    assert "@import" not in style
    assert "@page{size:A4;" in style
    assert "@media print{" in style
    assert "counter(page)" in style


def test_the_html_page_escapes_what_it_quotes_and_marks_the_outcome() -> None:
    html = record(fmt="html", record=LOGGED).decode("utf-8")

    assert "&lt;b&gt;single-agency&lt;/b&gt; review &amp; learning" in html
    assert "<b>single-agency" not in html
    assert "<p class='banner' data-outcome='mandatory'" in html
    assert "<title>Decision record: case EX-0001</title>" in html


def test_the_running_footer_is_quoted_as_css_not_html() -> None:
    """Inside <style> no entity is decoded: the footer's text is escaped the CSS way."""
    html = record(fmt="html").decode("utf-8")

    assert '@bottom-left{content:"case EX-0001 | decision record, board version | ' in html


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
@pytest.mark.parametrize("audience", ["board", "audit"])
def test_a_rerun_gives_the_same_bytes(fmt: str, audience: str) -> None:
    first = record(fmt=fmt, audience=audience, record=LOGGED)

    assert record(fmt=fmt, audience=audience, record=LOGGED) == first


def test_a_pdf_made_in_another_process_has_the_same_bytes() -> None:
    script = (
        "import sys\n"
        "from scr_rules.case import load_case\n"
        "from scr_rules.decide import triage\n"
        "from scr_rules.render import decision_record\n"
        f"case = load_case({str(DEATH)!r})\n"
        "sys.stdout.buffer.write(decision_record(triage(case), case, fmt='pdf'))\n"
    )
    done = subprocess.run(  # our own interpreter, our own script
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=ROOT, timeout=120
    )

    assert done.stdout == record(fmt="pdf")


def test_the_pdf_is_dated_by_the_record_and_identified_by_its_page() -> None:
    pdf = pypdf.PdfReader(io.BytesIO(record(fmt="pdf", record=LOGGED)))
    html = record(fmt="html", record=LOGGED).decode("utf-8")

    assert pdf.metadata is not None
    assert pdf.metadata["/CreationDate"] == "D:20110505093000Z"
    assert pdf.metadata["/ModDate"] == "D:20110505093000Z"
    assert pdf.metadata["/Title"] == "Decision record: case EX-0001"
    assert pdf.trailer["/ID"][0] == sha256(html).removeprefix("sha256:")[:32]


def test_without_a_log_the_pdf_is_dated_by_the_decision_date() -> None:
    pdf = pypdf.PdfReader(io.BytesIO(record(fmt="pdf")))

    assert pdf.metadata is not None
    assert pdf.metadata["/CreationDate"] == "D:20080520000000Z"


def test_the_pdf_holds_the_records_text() -> None:
    pdf = pypdf.PdfReader(io.BytesIO(record(fmt="pdf", record=LOGGED)))
    text = "\n".join(page.extract_text() for page in pdf.pages)

    assert "MANDATORY - a review must be held" in text
    assert "Source: Working Together to Safeguard Children (2006), chapter 8" in text
    assert "scr replay decisions.scrlog --record 2" in text
    assert f"--anchor {LOGGED.hash}" in re.sub(r"\s+(?=[0-9a-f]+\b)", "", text)


@pytest.mark.parametrize("name", LONGEST)
def test_the_board_version_fits_two_pages(name: str) -> None:
    pages = pypdf.PdfReader(io.BytesIO(record(name, fmt="pdf", record=LOGGED))).pages

    assert 1 <= len(pages) <= 2
    assert len(pypdf.PdfReader(io.BytesIO(record(name, fmt="pdf", audience="audit"))).pages) > 2


def test_without_weasyprint_a_pdf_is_refused_with_the_install_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what an import finds uninstalled

    with pytest.raises(UsageError) as caught:
        record(fmt="pdf")

    [problem] = caught.value.problems
    assert problem.loc == "--format"
    assert "pip install 'scr-rules[pdf]'" in problem.message
    assert record(fmt="html").startswith(b"<!DOCTYPE html>")  # the other formats still work
