"""What the officer-page tests share: an officer driving the pages, and a reader of their HTML.

It holds no tests. The officer follows the form contract only (inputs named after the fact,
one per value, ``unknown`` for "Not known yet"; ``data-outcome`` on the result), as a test
written against the pages by someone else would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.service._support import TestClient

START = {
    "jurisdiction": "england",
    "case_ref": "EX-0001",
    "decision_date": "2008-05-20",
    "notification_date": "2008-05-05",
    "incident_date": "2008-05-02",
}
# The README's case: a death in 2008 where neglect is known to be a factor (mandatory).
DEATH_WITH_NEGLECT = {
    "subject_status": "born_alive",
    "child_age_at_incident": "2",
    "abuse_or_neglect_factor_in_death": "known",
}
MAX_QUESTIONS = 40  # more than any interview asks: a loop that does not end fails


@dataclass
class Page:
    """One page as a browser sees it: status, where it redirects, its elements."""

    status: int
    location: str | None
    html: str
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # the error summary's links

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Return the attributes of each element ``tag`` with the attributes given."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return [
            found
            for name, found in self.elements
            if name == tag and all(found.get(k) == v for k, v in wanted.items())
        ]

    def value(self, name: str) -> str:
        """Return the value of the (hidden) input called ``name``."""
        [found] = self.find("input", name=name)
        return found["value"]

    def outcome(self) -> str:
        [found] = [attrs for _, attrs in self.elements if "data-outcome" in attrs]
        return found["data-outcome"]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.words: list[str] = []
        self.summary: list[tuple[str, str]] = []
        self._in_summary = 0
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.elements.append((tag, found))
        if "govuk-error-summary" in found.get("class", "").split():
            self._in_summary = 1
        if self._in_summary and tag == "a":
            self._link = found.get("href", "").removeprefix("#")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None
        if tag == "ul" and self._in_summary:
            self._in_summary = 0

    def handle_data(self, data: str) -> None:
        self.words.append(data)
        if self._link is not None and data.strip():
            self.summary.append((self._link, data.strip()))


def read_page(status: int, location: str | None, html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    text = " ".join(" ".join(reader.words).split())
    return Page(status, location, html, reader.elements, text, reader.summary)


@dataclass
class Officer:
    """A browser without JavaScript: it follows redirects itself and posts what forms hold."""

    client: TestClient
    visited: list[str] = field(default_factory=list)

    def get(self, url: str, follow: bool = True) -> Page:
        for _ in range(10):
            self.visited.append(url)
            answer = self.client.get(url, follow_redirects=False)
            location = answer.headers.get("location")
            if not (follow and answer.status_code in (302, 303, 307) and location):
                return read_page(answer.status_code, location, answer.text)
            url = location
        raise AssertionError("more than 10 redirects")

    def post(self, url: str, data: dict[str, Any], follow: bool = True, **kwargs: Any) -> Page:
        answer = self.client.post(url, data=data, follow_redirects=False, **kwargs)
        location = answer.headers.get("location")
        if follow and answer.status_code == 303 and location:
            return self.get(location)
        return read_page(answer.status_code, location, answer.text)

    def start(self, **fields: str) -> Page:
        return self.post("/start", {**START, **fields})

    def answer(self, page: Page, value: str | list[str], **extra: str) -> Page:
        """Answer the question on ``page`` (its form's hidden fields, and the value)."""
        fact = page.value("fact")
        data: dict[str, Any] = {"state": page.value("state"), "fact": fact, fact: value}
        then = page.find("input", name="then")
        if then:
            data["then"] = then[0]["value"]
        return self.post("/question", {**data, **extra})

    def interview(self, page: Page, answers: dict[str, str]) -> tuple[Page, list[str]]:
        """Answer each question from ``answers`` ("Not known yet" for others) to the end."""
        asked = []
        for _ in range(MAX_QUESTIONS):
            if not page.find("input", name="fact"):
                return page, asked
            fact = page.value("fact")
            asked.append(fact)
            page = self.answer(page, answers.get(fact, "unknown"))
        raise AssertionError(f"the interview did not end within {MAX_QUESTIONS} questions")


def state_of(url: str) -> str:
    """Return the sealed draft a page's URL carries."""
    return parse_qs(urlsplit(url).query)["state"][0]


def current_url(officer: Officer) -> str:
    return officer.visited[-1]
