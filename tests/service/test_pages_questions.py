"""The question pages: one question per page, the form contract, answers checked, back links.

WT 2006 ch. 8: a death where abuse or neglect is known to be a factor needs a review; the
interview asks only what can change that outcome, so it gets there in three questions.
"""

from __future__ import annotations

import pytest

from scr_rules.case import case_from_dict
from scr_rules.decide import next_question
from tests.service._support import TestClient
from tests.service.test_pages_support import DEATH_WITH_NEGLECT, Officer, state_of


@pytest.fixture
def officer(client: TestClient) -> Officer:
    return Officer(client)


def test_a_question_is_one_group_of_inputs_named_after_its_fact(officer: Officer) -> None:
    page = officer.start()
    step = next_question(
        case_from_dict(
            {"schema": "scr-case/1", "case_ref": "EX-0001", "decision_date": "2008-05-20"}
            | {"notification_date": "2008-05-05", "incident_date": "2008-05-02"}
        )
    )
    assert step.question is not None

    radios = page.find("input", name=step.question.fact, type="radio")
    assert [r["value"] for r in radios] == ["born_alive", "unborn", "stillborn", "unknown"]
    assert page.find("legend")  # the question is the fieldset's legend
    assert page.find("h1", class_="govuk-fieldset__heading")
    for radio in radios:  # every control has its label
        assert page.find("label", for_=radio["id"])
    assert step.question.text in page.text
    assert "Why we ask" in page.text
    assert "Outcome so far" in page.text


def test_a_death_with_neglect_is_mandatory_in_three_questions(officer: Officer) -> None:
    check, asked = officer.interview(officer.start(), DEATH_WITH_NEGLECT)

    assert check.status == 200
    assert asked == ["subject_status", "child_age_at_incident", "abuse_or_neglect_factor_in_death"]
    assert officer.visited[-1].startswith("/check?state=")
    result = officer.get("/result?state=" + state_of(officer.visited[-1]))
    assert result.outcome() == "mandatory"


def test_an_age_offers_every_whole_year_and_not_known(officer: Officer) -> None:
    page = officer.answer(officer.start(), "born_alive")

    values = [r["value"] for r in page.find("input", name="child_age_at_incident")]
    assert values == [str(age) for age in range(26)] + ["unknown"]
    assert "2 years old" in page.text


def test_no_answer_is_an_error_linked_to_the_first_option(officer: Officer) -> None:
    question = officer.start()
    page = officer.post("/question", {"state": question.value("state"), "fact": "subject_status"})

    assert page.status == 422
    assert page.errors == [("subject_status", "Select an answer, or 'Not known yet'")]
    assert page.find("input", id="subject_status", type="radio")  # where the link leads
    assert page.find("div", class_="govuk-form-group govuk-form-group--error")
    assert page.value("state") == question.value("state")  # nothing was lost


def test_a_value_not_offered_is_refused(officer: Officer) -> None:
    page = officer.answer(officer.start(), "maybe")

    assert page.status == 422
    assert page.errors == [("subject_status", "Select one of the answers shown")]


def test_an_answer_that_contradicts_another_is_refused(officer: Officer) -> None:
    """regimes.md 12.1: abuse or neglect being a factor in the death entails the death."""
    officer.answer(officer.start(), "born_alive")
    died = officer.get(f"/question?state={state_of(officer.visited[-1])}&fact=child_died")
    officer.answer(died, "false")
    factor = officer.get(
        f"/question?state={state_of(officer.visited[-1])}&fact=abuse_or_neglect_factor_in_death"
    )

    page = officer.answer(factor, "known")

    assert page.status == 422
    [(field, message)] = page.errors
    assert field == "abuse_or_neglect_factor_in_death"
    assert message.startswith("This answer does not fit another answer given:")
    assert "child_died" in message


def test_not_known_yet_is_not_asked_again(officer: Officer) -> None:
    page, asked = officer.interview(officer.start(), {})

    assert len(asked) == len(set(asked))
    assert officer.visited[-1].startswith("/check?state=")
    assert page.text.count("Not known yet") == len(asked)


def test_the_back_link_shows_the_question_before_with_its_answer(officer: Officer) -> None:
    first = officer.start()
    second = officer.answer(first, "born_alive")
    [back] = second.find("a", class_="govuk-back-link")

    before = officer.get(back["href"])

    assert before.value("fact") == "subject_status"
    [chosen] = [r for r in before.find("input", name="subject_status") if "checked" in r]
    assert chosen["value"] == "born_alive"
    assert before.find("input", name="subject_status", value="born_alive")


def test_the_first_question_goes_back_to_the_start_filled_in(officer: Officer) -> None:
    page = officer.start(case_ref="EX-0042")
    [back] = page.find("a", class_="govuk-back-link")

    start = officer.get(back["href"])

    assert back["href"].startswith("/start?state=")
    [typed] = start.find("input", name="case_ref")
    assert typed["value"] == "EX-0042"


def test_a_change_link_returns_to_check_answers(officer: Officer) -> None:
    officer.interview(officer.start(), DEATH_WITH_NEGLECT)
    state = state_of(officer.visited[-1])
    question = officer.get(f"/question?state={state}&fact=child_age_at_incident&then=check")
    [chosen] = [r for r in question.find("input", name="child_age_at_incident") if "checked" in r]
    assert chosen["value"] == "2"
    [back] = question.find("a", class_="govuk-back-link")
    assert back["href"] == f"/check?state={state}"

    check = officer.answer(question, "19")  # an adult: no longer a child's death

    assert officer.visited[-1].startswith("/check?state=")
    assert "19 years old" in check.text
    result = officer.get("/result?state=" + state_of(officer.visited[-1]))
    assert result.outcome() != "mandatory"


def test_a_list_of_kinds_is_checkboxes_with_none_and_not_known(officer: Officer) -> None:
    """Wales 2012: an extended review turns on the kind of abuse (regimes.md 6.2)."""
    start = officer.start(jurisdiction="wales", decision_date="2013-06-01", notification_date="")
    state = state_of(officer.visited[-1])
    page = officer.get(f"/question?state={state}&fact=abuse_or_neglect_types")
    boxes = page.find("input", name="abuse_or_neglect_types", type="checkbox")

    assert [b["value"] for b in boxes][-2:] == ["none", "unknown"]
    assert "neglect" in [b["value"] for b in boxes]
    both = officer.answer(page, ["none", "neglect"])
    assert both.status == 422
    assert "on its own" in both.errors[0][1]
    two = officer.answer(page, ["physical", "neglect"])
    assert two.status == 200
    assert start.status == 200
    check = officer.get("/check?state=" + state_of(officer.visited[-1]))
    assert "abuse_or_neglect_types" in {
        attrs.get("data-fact") for _, attrs in check.elements if "data-fact" in attrs
    }


def test_a_date_is_typed_in_or_not_known(officer: Officer) -> None:
    """England 2018-19: the date the area's new arrangements began picks the law."""
    officer.start(decision_date="2018-08-01", notification_date="", incident_date="")
    state = state_of(officer.visited[-1])
    page = officer.get(f"/question?state={state}&fact=area_new_arrangements_start_date")
    assert page.find("input", name="area_new_arrangements_start_date", type="date")
    assert page.find("button", name="area_new_arrangements_start_date", value="unknown")

    wrong = officer.answer(page, "1 July 2018")
    assert wrong.status == 422
    assert wrong.errors == [
        (
            "area_new_arrangements_start_date",
            "Enter a real date as YYYY-MM-DD, for example 2019-03-04",
        )
    ]
    [typed] = wrong.find("input", name="area_new_arrangements_start_date")
    assert typed["value"] == "1 July 2018"
    officer.answer(page, "2018-07-01")
    check = officer.get("/check?state=" + state_of(officer.visited[-1]))
    assert "1 July 2018" in check.text


def test_a_question_for_no_fact_is_not_found(officer: Officer) -> None:
    officer.start()
    page = officer.get(f"/question?state={state_of(officer.visited[-1])}&fact=child_dead")

    assert page.status == 404
    assert "There is no such question" in page.text


@pytest.mark.parametrize("state", ["", "not-a-draft", "A" * 40], ids=["empty", "junk", "forged"])
def test_a_page_whose_draft_cannot_be_opened_has_expired(officer: Officer, state: str) -> None:
    page = officer.get(f"/question?state={state}")

    assert page.status == 400
    assert "This page has expired" in page.text
    assert "upload the case file" in page.text


def test_a_draft_carries_no_fact_readably(officer: Officer) -> None:
    """Proxies log URLs: a sealed draft shows neither the reference nor an answer."""
    officer.interview(officer.start(case_ref="REF-PLAINTEXT-7"), DEATH_WITH_NEGLECT)
    urls = " ".join(officer.visited)

    for word in ("REF-PLAINTEXT-7", "born_alive", "known", "2008-05-20", "england"):
        assert word not in urls
