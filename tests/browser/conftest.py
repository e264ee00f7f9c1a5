"""Real-browser fixtures: Debian's Chromium driven by the playwright package, and ``scr serve``.

The browser is the system's (``chromium`` on PATH, ``executable_path``): ``playwright
install`` downloads a browser and cannot work offline, so it is never used. Without Chromium
or playwright these tests are skipped, saying why; with ``CI=true`` they fail instead, so CI
can never pass without running them. Each page's requests and console are watched: a
request to another origin, or an error such as a Content-Security-Policy violation, fails
the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser._browser import open_page
from tests.service._support import running_server, write_tokens


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright)"
    if shutil.which("chromium") is None:
        return "Chromium is not on PATH (Debian: apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, for the whole session."""
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{missing}; CI=true, so the browser tests must run")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium's sandbox refuses root
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=shutil.which("chromium"), args=args)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``scr serve`` as it starts by default: loopback, no tokens, no log."""
    output = tmp_path_factory.mktemp("serve") / "serve.log"
    with running_server(output=output) as (base, _):
        yield base


@pytest.fixture(scope="module")
def recording_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``scr serve --log LOG --tokens FILE``: officers sign in, and may record."""
    folder = tmp_path_factory.mktemp("recording")
    tokens = write_tokens(folder / "tokens.yaml")
    log = folder / "decisions.scrlog"
    with running_server(
        "--log", str(log), "--tokens", str(tokens), output=folder / "serve.log"
    ) as (base, _):
        yield base, log


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh page on the default server; it must load nothing from elsewhere, log no error."""
    context, new_page, problems = open_page(browser, server)
    try:
        yield new_page
    finally:
        context.close()
    assert problems == []
