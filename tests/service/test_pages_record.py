"""Signing in with the service's tokens, scopes as the API has them, and recording a decision."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scr_rules.audit import AuditLog
from scr_rules.service import ServiceConfig
from tests.service._support import (
    ALL_TOKEN,
    DECIDE_TOKEN,
    RECORD_TOKEN,
    TestClient,
    client_for,
)
from tests.service.test_pages_support import DEATH_WITH_NEGLECT, Officer, Page, state_of


@pytest.fixture
def signed_out(secured: TestClient) -> Officer:
    """The service with tokens and an audit log, and an officer not signed in."""
    return Officer(secured)


def signed_in(officer: Officer, token: str) -> Officer:
    page = officer.post("/sign-in", {"token": token})
    assert page.status == 200
    return officer


def result_of(officer: Officer) -> Page:
    officer.interview(officer.start(), DEATH_WITH_NEGLECT)
    return officer.get("/result?state=" + state_of(officer.visited[-1]))


def record_form(page: Page, **fields: str) -> dict[str, str]:
    """The recording form's fields as the result page gives them, and the officer's."""
    return {"state": page.value("state"), "key": page.value("key"), **fields}


def test_with_tokens_every_page_asks_the_officer_to_sign_in(signed_out: Officer) -> None:
    page = signed_out.get("/", follow=False)

    assert page.status == 303
    assert page.location == "/sign-in"
    assert signed_out.get("/").find("input", name="token", type="password")


@pytest.mark.parametrize(
    ("token", "message"),
    [("", "Enter your token"), ("x" * 43, "This token is not known: check it")],
    ids=["empty", "unknown"],
)
def test_a_wrong_token_does_not_sign_in(signed_out: Officer, token: str, message: str) -> None:
    page = signed_out.post("/sign-in", {"token": token})

    assert page.status == 401
    assert page.errors == [("token", message)]
    assert not signed_out.client.cookies


def test_signing_in_keeps_a_sealed_name_never_the_token(secured: TestClient) -> None:
    answer = secured.post("/sign-in", data={"token": DECIDE_TOKEN}, follow_redirects=False)

    cookie = answer.headers["set-cookie"]
    assert answer.status_code == 303
    assert cookie.startswith("scr_officer=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert DECIDE_TOKEN not in cookie
    assert "case-system" not in cookie
    assert secured.get("/").status_code == 200
    assert "Signed in as case-system" in secured.get("/").text


def test_the_pages_need_the_decide_scope(signed_out: Officer) -> None:
    signed_out.post("/sign-in", {"token": RECORD_TOKEN}, follow=False)
    page = signed_out.get("/")

    assert page.status == 403
    assert "does not have the 'decide' scope" in page.text


def test_without_the_record_scope_no_recording_is_offered(signed_out: Officer) -> None:
    officer = signed_in(signed_out, DECIDE_TOKEN)
    page = result_of(officer)
    refused = officer.post("/record", {"state": state_of(officer.visited[-1])})

    assert page.outcome() == "mandatory"
    assert not page.find("form", action="/record")
    assert refused.status == 403


def test_the_cookie_is_no_bearer_token_for_the_api(signed_out: Officer) -> None:
    officer = signed_in(signed_out, ALL_TOKEN)

    answer = officer.client.get("/v1/records/1")

    assert answer.status_code == 401


def test_a_form_posted_from_another_site_is_refused(signed_out: Officer) -> None:
    officer = signed_in(signed_out, ALL_TOKEN)
    page = officer.post(
        "/start", {"jurisdiction": "england", "decision_date": "2008-05-20"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )  # fmt: skip

    assert page.status == 403
    assert "another site" in page.text


def test_the_board_decision_is_recorded_once(signed_out: Officer, log_path: Path) -> None:
    officer = signed_in(signed_out, ALL_TOKEN)
    page = result_of(officer)
    [by] = page.find("input", name="by")
    assert by["value"] == "everything"  # the token's name, to change to a role id
    form = record_form(page, by="lscb-manager", human_decision="initiated", human_reason="met")

    recorded = officer.post("/record", form)
    again = officer.post("/record", form)  # a second click, or a reload of the post

    assert recorded.status == 200
    assert "recorded in the audit log as record 1" in recorded.text
    assert again.status == 200
    with AuditLog(log_path) as log:
        [record] = list(log.records())
    assert record.by == "lscb-manager"
    assert record.human_decision == "initiated"
    assert record.human_reason == "met"
    assert record.decision["outcome"] == "mandatory"
    assert [item["fact"] for item in record.interview or []] == list(DEATH_WITH_NEGLECT)
    assert record.hash in recorded.text
    assert not recorded.find("form", action="/record")


def test_the_record_downloaded_carries_the_integrity_line(signed_out: Officer) -> None:
    officer = signed_in(signed_out, ALL_TOKEN)
    page = result_of(officer)
    officer.post("/record", record_form(page, by="lscb-manager", human_decision="declined"))
    state = state_of(officer.visited[-1])

    html = officer.client.get(f"/download/record.html?state={state}").text

    assert "scr replay decisions.scrlog --record 1" in html
    assert "declined" in html


def test_recording_without_the_board_decision_asks_for_it(signed_out: Officer) -> None:
    officer = signed_in(signed_out, ALL_TOKEN)
    page = officer.post("/record", record_form(result_of(officer), by="", human_decision=""))

    assert page.status == 422
    assert page.errors == [("human_decision", "Select what the board decided")]
    [by] = page.find("input", name="by")
    assert by["value"] == "everything"  # left blank: the token's name, as the API records
    assert page.find("input", name="key")


def test_a_reason_on_two_lines_is_refused_at_its_field(signed_out: Officer) -> None:
    officer = signed_in(signed_out, ALL_TOKEN)
    form = record_form(result_of(officer), by="lscb-manager", human_decision="declined")

    page = officer.post("/record", {**form, "human_reason": "one\ntwo"})

    assert page.status == 422
    [(field, message)] = page.errors
    assert field == "human_reason"
    assert "one line" in message


def test_signing_out_ends_the_session(signed_out: Officer) -> None:
    officer = signed_in(signed_out, DECIDE_TOKEN)

    officer.post("/sign-out", {})

    assert officer.get("/", follow=False).location == "/sign-in"


@pytest.fixture
def unlogged() -> Iterator[TestClient]:
    with client_for(ServiceConfig()) as test_client:
        yield test_client


def test_without_a_log_there_is_nothing_to_record_to(unlogged: TestClient) -> None:
    officer = Officer(unlogged)
    page = result_of(officer)
    assert not page.find("form", action="/record")

    form = {"state": state_of(officer.visited[-1]), "key": "0" * 32, "human_decision": "declined"}
    refused = officer.post("/record", {**form, "by": "lscb-manager"})

    assert refused.status == 404
    assert "keeps no audit log" in refused.text


def test_without_tokens_the_role_id_must_be_given(tmp_path: Path) -> None:
    """A log on loopback without tokens (a library's own app): no token names the officer."""
    with client_for(ServiceConfig(log=tmp_path / "decisions.scrlog")) as test_client:
        officer = Officer(test_client)
        page = result_of(officer)
        refused = officer.post("/record", record_form(page, by="", human_decision="declined"))
        recorded = officer.post(
            "/record", record_form(page, by="lscb-chair", human_decision="declined")
        )

    assert refused.status == 422
    assert refused.errors == [("by", "Enter your role or staff id (never a name)")]
    assert recorded.status == 200
    assert "as record 1" in recorded.text
