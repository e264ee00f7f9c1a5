"""The start page: the form contract, every field error at once, and a case file uploaded."""

from __future__ import annotations

import re

import pytest

from tests._shared import CASES_DIR
from tests.service._support import TestClient
from tests.service.test_pages_support import START, Officer, state_of


@pytest.fixture
def officer(client: TestClient) -> Officer:
    return Officer(client)


def test_the_start_form_has_the_contracted_inputs(officer: Officer) -> None:
    page = officer.get("/")

    assert page.status == 200
    for name in ("jurisdiction", "decision_date", "notification_date", "incident_date"):
        assert page.find("input", name=name), name
    assert {i["value"] for i in page.find("input", name="jurisdiction")} == {"england", "wales"}
    assert page.find("input", name="case_file", type="file")


def test_every_page_forbids_other_origins_and_framing(client: TestClient) -> None:
    answer = client.get("/")

    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"  # the service's own header too


def test_the_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    html = client.get("/").text
    assets = re.findall(r'(?:href|src)="([^"#]+)"', html)

    assert assets
    assert all(url.startswith("/") and not url.startswith("//") for url in assets), assets


def test_the_vendored_css_requests_no_font_or_image(client: TestClient) -> None:
    """GDS Transport is licensed for GOV.UK only: the CSS names system fonts instead."""
    answer = client.get("/static/govuk-frontend.min.css")

    rules = re.sub(r"/\*.*?\*/", "", answer.text, flags=re.DOTALL)  # comments say what changed

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/css")
    assert "@font-face" not in rules
    assert "GDS Transport" not in rules
    assert "url(" not in rules
    assert "system-ui" in rules
    assert "govuk-radios__input" in rules
    assert "MIT" in client.get("/static/govuk-frontend-LICENCE.txt").text


def test_a_new_case_goes_to_its_first_question(officer: Officer) -> None:
    page = officer.start()

    assert page.status == 200
    assert officer.visited[-1].startswith("/question?state=")
    assert page.value("fact") == "subject_status"


def test_no_date_at_all_is_refused_at_the_decision_date(officer: Officer) -> None:
    page = officer.start(decision_date="", notification_date="", incident_date="")

    assert page.status == 422
    assert page.errors == [
        ("decision_date", "Enter the date of the decision: the law in force on it applies")
    ]
    assert page.find("p", id="decision_date-error")
    assert page.html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in page.html


def test_every_field_wrong_is_named_at_once(officer: Officer) -> None:
    page = officer.start(jurisdiction="scotland", case_ref="Jane Doe", decision_date="")

    assert page.status == 422
    assert [field for field, _ in page.errors] == ["jurisdiction", "case_ref"]
    assert "never a name" in page.errors[1][1]
    [chosen] = page.find("input", name="case_ref")
    assert chosen["value"] == "Jane Doe"  # what was typed stays, to correct


def test_dates_in_the_wrong_order_name_the_later_date(officer: Officer) -> None:
    page = officer.start(notification_date="2008-06-01")

    assert page.status == 422
    [(field, message)] = page.errors
    assert field == "decision_date"
    assert "2008-05-20 is before notification_date 2008-06-01" in message


def test_a_date_not_spelt_yyyy_mm_dd_is_refused(officer: Officer) -> None:
    page = officer.start(incident_date="02/05/2008")

    assert page.status == 422
    assert page.errors == [
        ("incident_date", "Enter a real date as YYYY-MM-DD, for example 2008-05-20")
    ]


def test_a_date_before_any_regime_is_refused(officer: Officer) -> None:
    page = officer.start(decision_date="1990-01-01", notification_date="", incident_date="")

    assert page.status == 422
    [(field, message)] = page.errors
    assert field == "decision_date"
    assert "1990-01-01" in message


def test_the_start_can_be_changed_and_keeps_the_answers(officer: Officer) -> None:
    page = officer.answer(officer.start(), "born_alive")
    state = state_of(officer.visited[-1])

    again = officer.get(f"/start?state={state}")
    [typed] = again.find("input", name="decision_date")
    assert typed["value"] == "2008-05-20"
    changed = officer.post("/start", {**START, "case_ref": "EX-0002", "state": state})

    assert officer.visited[-1].startswith("/check?state=")
    assert "EX-0002" in changed.text
    assert "Born alive" in changed.text
    assert page.status == 200


def test_an_uploaded_case_file_asks_only_what_it_leaves_open(officer: Officer) -> None:
    path = CASES_DIR / "death-factor-unknown-2008.yaml"
    page = officer.post(
        "/start/upload", {}, files={"case_file": (path.name, path.read_bytes(), "application/yaml")}
    )

    assert page.status == 200
    assert officer.visited[-1].startswith("/question?state=")
    assert page.value("fact") not in ("child_died", "child_age_at_incident")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"schema: scr-case/1\ncase_ref: X-1\nfacts: {child_age: 2}\n", "unknown fact 'child_age'"),
        (b"schema: [unclosed\n", "line 2, column 1: expected ',' or ']'"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b"schema: scr-case/1\ncase_ref: X-1\ndecision_date: 1990-01-01\n", "1990-01-01"),
    ],
    ids=["unknown-fact", "bad-yaml", "not-utf8", "no-regime"],
)
def test_a_bad_case_file_names_the_file_and_the_problem(
    officer: Officer, content: bytes, expected: str
) -> None:
    page = officer.post(
        "/start/upload", {}, files={"case_file": ("bad.yaml", content, "text/plain")}
    )

    assert page.status == 422
    assert page.errors
    assert all(field == "case_file" for field, _ in page.errors)
    assert page.errors[0][1].startswith("bad.yaml: ")
    assert expected in " ".join(message for _, message in page.errors)


def test_an_upload_without_a_file_asks_for_one(officer: Officer) -> None:
    page = officer.post(
        "/start/upload", {}, files={"case_file": ("", b"", "application/octet-stream")}
    )

    assert page.status == 422
    assert page.errors == [("case_file", "Choose a case file (YAML or JSON) to upload")]


def test_a_case_file_too_large_is_refused(officer: Officer) -> None:
    content = b"# " + b"x" * 70_000 + b"\nschema: scr-case/1\n"
    page = officer.post(
        "/start/upload", {}, files={"case_file": ("big.yaml", content, "text/plain")}
    )

    assert page.status == 422
    assert "larger than 65,536 bytes" in page.errors[0][1]


def test_changing_the_start_of_an_uploaded_case_keeps_its_facts(officer: Officer) -> None:
    path = CASES_DIR / "death-factor-unknown-2008.yaml"
    officer.post(
        "/start/upload", {}, files={"case_file": (path.name, path.read_bytes(), "text/yaml")}
    )
    state = state_of(officer.visited[-1])

    check = officer.post(
        "/start", {**START, "case_ref": "EX-0099", "notification_date": "", "incident_date": "",
                   "decision_date": "2008-12-01", "state": state},
    )  # fmt: skip

    facts = {attrs["data-fact"] for _, attrs in check.elements if "data-fact" in attrs}
    assert officer.visited[-1].startswith("/check?state=")
    assert "EX-0099" in check.text
    assert {"child_died", "child_age_at_incident"} <= facts
