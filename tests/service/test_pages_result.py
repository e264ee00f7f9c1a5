"""Check answers and the result: outcome, reasons with sources, what is missing, the downloads."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
import yaml

from scr_rules.case import case_from_dict, load_case
from scr_rules.decide import triage
from scr_rules.render import decision_record
from tests._shared import CASES_DIR
from tests.service._support import TestClient
from tests.service.test_pages_support import DEATH_WITH_NEGLECT, Officer, Page, state_of


@pytest.fixture
def officer(client: TestClient) -> Officer:
    return Officer(client)


def finished(officer: Officer, answers: dict[str, str], **start: str) -> str:
    """Answer the interview to its end; return the sealed draft of check answers."""
    officer.interview(officer.start(**start), answers)
    assert officer.visited[-1].startswith("/check?state=")
    return state_of(officer.visited[-1])


def uploaded(officer: Officer, path: Path) -> str:
    """Start from a case file; return the sealed draft of the page it leads to."""
    officer.post(
        "/start/upload", {}, files={"case_file": (path.name, path.read_bytes(), "text/yaml")}
    )
    return state_of(officer.visited[-1])


def test_the_result_gives_the_outcome_reason_source_and_dates(officer: Officer) -> None:
    """WT 2006 ch. 8: the review must be held, and completed within four months."""
    page = officer.get("/result?state=" + finished(officer, DEATH_WITH_NEGLECT))

    assert page.status == 200
    assert page.outcome() == "mandatory"
    assert "a review must be held" in page.text
    [reason] = page.find("div", class_="scr-reason")
    assert reason["data-rule"] == "england.wt-2006.ch8-child-death"
    assert "Working Together to Safeguard Children (2006), chapter 8" in page.text
    assert "secondary evidence" in page.text
    assert "abuse_or_neglect_factor_in_death = known" in page.text
    assert "Saturday 20 September 2008" in page.text  # four months from the decision
    assert "decision_date 2008-05-20 falls in england-2006" in page.text
    assert not page.find("h2", id="missing")


def test_an_unknown_path_is_undetermined_and_lists_what_is_missing(officer: Officer) -> None:
    """WT 2006 ch. 8: with the factor in the death unknown, a review may still be required."""
    answers = {"subject_status": "born_alive", "child_age_at_incident": "2"}
    page = officer.get("/result?state=" + finished(officer, answers))

    assert page.outcome() == "undetermined"
    missing = [attrs["data-missing"] for _, attrs in page.elements if "data-missing" in attrs]
    assert "abuse_or_neglect_factor_in_death" in missing
    assert "Is abuse or neglect known or suspected to have been a factor" in page.text
    assert page.find("a", href=_answer_link(page, "abuse_or_neglect_factor_in_death"))


def _answer_link(page: Page, fact: str) -> str:
    [link] = [a["href"] for a in page.find("a") if a.get("href", "").endswith(f"&fact={fact}")]
    return link


def test_check_answers_marks_an_answer_the_decision_does_not_need(officer: Officer) -> None:
    """Born alive is presumed until answered: the decision is the same without that answer."""
    page = officer.get("/check?state=" + finished(officer, DEATH_WITH_NEGLECT))
    needed = {
        attrs["data-fact"]: attrs["data-needed"]
        for _, attrs in page.elements
        if "data-fact" in attrs
    }

    assert needed == {
        "subject_status": "false",
        "child_age_at_incident": "true",
        "abuse_or_neglect_factor_in_death": "true",
    }
    assert page.text.count("not needed now") == 2  # the explanation, and the one answer
    changes = [a["href"] for a in page.find("a") if "then=check" in a.get("href", "")]
    assert len(changes) == 3


def test_back_from_check_answers_is_the_last_question_answered(officer: Officer) -> None:
    page = officer.get("/check?state=" + finished(officer, DEATH_WITH_NEGLECT))
    [back] = page.find("a", class_="govuk-back-link")

    question = officer.get(back["href"])

    assert question.value("fact") == "abuse_or_neglect_factor_in_death"
    [chosen] = [r for r in question.find("input", name=question.value("fact")) if "checked" in r]
    assert chosen["value"] == "known"


def test_the_pages_are_not_in_the_api_spec(officer: Officer) -> None:
    paths = officer.client.get("/openapi.json").json()["paths"]

    assert all(path.startswith("/v1") or path == "/healthz" for path in paths), sorted(paths)


def test_check_answers_offers_the_next_question_while_one_can_matter(officer: Officer) -> None:
    officer.answer(officer.start(), "born_alive")
    page = officer.get("/check?state=" + state_of(officer.visited[-1]))

    assert "More questions could change the outcome" in page.text
    assert page.find("a", class_="govuk-button")


def test_the_case_file_downloaded_is_a_case_file_that_decides_the_same(officer: Officer) -> None:
    state = finished(officer, {**DEATH_WITH_NEGLECT, "child_age_at_incident": "unknown"})
    answer = officer.client.get("/download/case.yaml?state=" + state)

    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="EX-0001.yaml"'
    assert answer.headers["content-type"].startswith("application/yaml")
    document = yaml.safe_load(answer.text)
    assert document["schema"] == "scr-case/1"
    assert document["facts"]["child_age_at_incident"] == "unknown"  # not known, kept as such
    case = case_from_dict(document)
    result = officer.get("/result?state=" + state)
    assert triage(case).outcome == result.outcome()


def test_an_uploaded_download_reopens_where_it_left_off(officer: Officer, tmp_path: Path) -> None:
    state = finished(officer, {**DEATH_WITH_NEGLECT, "child_age_at_incident": "unknown"})
    path = tmp_path / "case.yaml"
    path.write_bytes(officer.client.get("/download/case.yaml?state=" + state).content)

    uploaded(officer, path)

    assert officer.visited[-1].startswith("/check?state=")  # "not known yet" is not asked again


@pytest.mark.parametrize("audience", ["board", "audit"])
def test_the_html_record_is_the_one_scr_report_writes(officer: Officer, audience: str) -> None:
    path = CASES_DIR / "death-neglect-factor-2008.yaml"
    state = uploaded(officer, path)
    answer = officer.client.get(f"/download/record.html?state={state}&audience={audience}")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    case = load_case(path)
    assert answer.content == decision_record(triage(case), case, audience=audience, fmt="html")


def test_the_pdf_record_is_a_pdf_of_the_decision(officer: Officer) -> None:
    pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    answer = officer.client.get(
        "/download/record.pdf?state=" + finished(officer, DEATH_WITH_NEGLECT)
    )

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'attachment; filename="EX-0001-record.pdf"'
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(answer.content)).pages)
    assert "EX-0001" in text
    assert "england.wt-2006.ch8-child-death" in " ".join(text.split())


def test_unresolved_law_is_shown_with_each_reading(officer: Officer) -> None:
    """A death in custody under WT 2010: the trigger's wording is unverified (regimes.md)."""
    page = officer.get(
        "/result?state=" + uploaded(officer, CASES_DIR / "custody-death-unresolved-2011.yaml")
    )

    assert page.outcome() == "undetermined"
    assert page.find("h2", id="law")
    assert "eng2010_custody_trigger" in page.text
    assert "Take legal advice" in page.text


def test_factors_to_weigh_and_working_day_deadlines_are_shown(officer: Officer) -> None:
    """WT 2018: notify the national panel within 5 working days; the partners weigh factors."""
    page = officer.get(
        "/result?state="
        + uploaded(officer, CASES_DIR / "e2018-harm-abroad-child-lives-in-area.yaml")
    )
    case = load_case(CASES_DIR / "e2018-harm-abroad-child-lives-in-area.yaml")
    decision = triage(case)
    working = [d for d in decision.duties if d.due and "working days" in (d.due_rule or "")]

    assert page.outcome() == decision.outcome
    assert page.find("h2", id="factors")
    assert working
    for duty in working:
        assert duty.due is not None
        assert f'datetime="{duty.due.isoformat()}"' in page.html
        assert duty.due.strftime("%A") in page.text  # the deadline names its weekday
    assert "5 working days from notification_date" in page.text


def test_a_result_without_a_log_offers_no_recording(officer: Officer) -> None:
    page = officer.get("/result?state=" + finished(officer, DEATH_WITH_NEGLECT))

    assert not page.find("form", action="/record")
    assert page.find("a", href=_download(page, "record.pdf"))


def _download(page: Page, name: str) -> str:
    [link] = [
        a["href"] for a in page.find("a") if a.get("href", "").startswith(f"/download/{name}")
    ]
    return link
