"""What the browser tests share: a page on a server, watched for requests elsewhere and errors.

A form answered with its errors has status 422, which Chromium logs as a resource that failed
to load; a file that failed (a style sheet, an icon) is caught by its response instead.
"""

from __future__ import annotations

from typing import Any

ACTION_TIMEOUT_MS = 20_000


def open_page(browser: Any, base: str) -> tuple[Any, Any, list[str]]:
    """Return a new browser context and page on ``base``, and the problems seen on it."""
    context = browser.new_context(
        base_url=base, locale="en-GB", viewport={"width": 1024, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    problems: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(base) else problems.append(f"request {request.url}")
        ),
    )
    page.on("console", lambda message: _console(message, problems))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    return context, page, problems


def _console(message: Any, problems: list[str]) -> None:
    """Keep an error (a CSP violation, say); a page's own status is the test's to check."""
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console {message.text}")
