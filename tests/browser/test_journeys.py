"""Officers' journeys through the pages in a real browser (Chromium), without JavaScript needs.

Each result page is kept as a screenshot under the test's temporary folder (pytest keeps the
last runs' folders): look at them after a change to the templates or the CSS.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails with CI=true, saying why
    expect = None  # type: ignore[assignment]

from tests._shared import CASES_DIR
from tests.browser._browser import open_page
from tests.service._support import ALL_TOKEN

MAX_TABS = 40  # more than the controls before a question's first option, or questions asked


def start(page: Any, **dates: str) -> None:
    """Fill in the start page as an officer does, by the labels."""
    page.goto("/")
    page.get_by_label("England").check()
    page.get_by_label("Case reference").fill("EX-0001")
    values = {"decision": "2008-05-20", "told": "2008-05-05", "harm": "2008-05-02", **dates}
    page.get_by_label("Date of the decision").fill(values["decision"])
    page.get_by_label("Date the board was told").fill(values["told"])
    page.get_by_label("Date of the death or the harm").fill(values["harm"])
    click_and_wait(page, page.get_by_role("button", name="Start", exact=True))


def click_and_wait(page: Any, control: Any) -> None:
    """Click and wait for the next page: every page's URL differs (each seal is new)."""
    before = page.url
    control.click()
    page.wait_for_url(lambda url: url != before)


def answer(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Continue", exact=True))


def death_with_neglect(page: Any) -> None:
    """WT 2006 ch. 8: a child's death with neglect known to be a factor needs a review."""
    start(page)
    answer(page, "Born alive")
    answer(page, "2 years old")
    answer(page, "Known to be a factor")


def see_result(page: Any, shots: Path, name: str) -> str:
    click_and_wait(page, page.get_by_role("button", name="See the result"))
    outcome = page.locator("[data-outcome]").get_attribute("data-outcome")
    shot = shots / f"result-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000  # a page was drawn, not a blank
    return str(outcome)


def test_a_death_with_neglect_reaches_mandatory_in_three_questions(
    page: Any, tmp_path: Path
) -> None:
    death_with_neglect(page)

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert see_result(page, tmp_path, "mandatory") == "mandatory"
    expect(page.get_by_role("heading", name="Mandatory", exact=True)).to_be_visible()
    expect(page.get_by_text("Saturday 20 September 2008")).to_be_visible()
    assert "state=" in page.url
    assert "EX-0001" not in page.url


def test_an_unknown_path_ends_undetermined_listing_what_is_missing(
    page: Any, tmp_path: Path
) -> None:
    start(page)
    for _ in range(MAX_TABS):
        if not page.url.split("?")[0].endswith("/question"):
            break
        answer(page, "Not known yet")

    assert see_result(page, tmp_path, "undetermined") == "undetermined"
    missing = page.locator("[data-missing]")
    assert missing.count() >= 3
    facts = [missing.nth(n).get_attribute("data-missing") for n in range(missing.count())]
    assert "abuse_or_neglect_factor_in_death" in facts
    expect(page.get_by_role("heading", name="What is still missing")).to_be_visible()


def test_changing_an_answer_on_check_answers_changes_the_outcome(page: Any, tmp_path: Path) -> None:
    """At 19 the person is not a child (Children Act 1989 s105): no child's death to review."""
    death_with_neglect(page)

    click_and_wait(page, page.get_by_role("link", name=re.compile("Change how old was the child")))
    expect(page.get_by_label("2 years old", exact=True)).to_be_checked()
    page.get_by_label("19 years old", exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Save and check answers"))

    expect(page.get_by_text("19 years old")).to_be_visible()
    assert see_result(page, tmp_path, "changed") != "mandatory"


def test_the_browser_back_button_shows_the_question_before(page: Any) -> None:
    start(page)
    answer(page, "Born alive")
    answer(page, "2 years old")
    expect(
        page.get_by_role("heading", name=re.compile("factor in the child's death"))
    ).to_be_visible()

    page.go_back()

    expect(page.get_by_role("heading", name=re.compile("How old was the child"))).to_be_visible()
    answer(page, "Not known yet")  # answered again from the page before: a new path
    page.go_back()
    click_and_wait(page, page.get_by_role("link", name="Back"))  # where the back button goes
    expect(page.get_by_role("heading", name="Was the child born alive?")).to_be_visible()
    expect(page.get_by_label("Born alive", exact=True)).to_be_checked()


def test_the_pdf_record_downloaded_holds_the_decision(page: Any, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    death_with_neglect(page)
    see_result(page, tmp_path, "before-download")

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Decision record (PDF)").click()
    target = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(str(target))

    assert target.name == "EX-0001-record.pdf"
    text = " ".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages
    )
    assert "Decision record: case EX-0001" in text
    assert "MANDATORY - a review must be held" in text
    assert "england.wt-2006.ch8-child-death" in text


def test_keyboard_alone_answers_and_meets_the_error_summary(page: Any) -> None:
    start(page)
    before = page.url
    page.get_by_role("button", name="Continue").press("Enter")  # nothing chosen
    page.wait_for_url(lambda url: url != before)

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    expect(page.get_by_role("link", name="Select an answer, or 'Not known yet'")).to_be_visible()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "subject_status":
            break
    page.keyboard.press("Space")
    expect(page.get_by_label("Born alive", exact=True)).to_be_checked()
    before = page.url
    page.keyboard.press("Enter")  # Enter in a form submits it
    page.wait_for_url(lambda url: url != before)
    expect(page.get_by_role("heading", name=re.compile("How old was the child"))).to_be_visible()


def test_an_officer_signs_in_uploads_a_case_and_records_the_decision(
    browser: Any, recording_server: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = recording_server
    context, page, problems = open_page(browser, base)
    try:
        page.goto("/")
        page.get_by_label("Your token").fill(ALL_TOKEN)
        click_and_wait(page, page.get_by_role("button", name="Sign in"))
        page.get_by_label("Upload a case file").set_input_files(
            str(CASES_DIR / "death-neglect-factor-2008.yaml")
        )
        click_and_wait(page, page.get_by_role("button", name="Upload and continue"))
        for _ in range(MAX_TABS):
            if not page.url.split("?")[0].endswith("/question"):
                break
            answer(page, "Not known yet")
        assert see_result(page, tmp_path, "to-record") == "mandatory"
        page.get_by_label("Your role or staff id").fill("lscb-business-manager")
        page.get_by_label("The board decided to hold a review").check()
        click_and_wait(page, page.get_by_role("button", name="Record the decision"))

        expect(page.get_by_text("recorded in the audit log as record 1")).to_be_visible()
        page.screenshot(path=str(tmp_path / "result-recorded.png"), full_page=True)
    finally:
        context.close()
    assert problems == []
