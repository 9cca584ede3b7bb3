"""Fixtures of the browser tests: one Chromium per test module, a fresh context per test.

Every test module here sets ``pytestmark = pytest.mark.browser`` (``pytest -m browser`` selects
them; they also run in the default ``make test``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browserhelpers import PHONE, WAIT_MS, launch
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from apertur_ext import Apertur
from apertur_local import LocalApertur

expect.set_options(timeout=WAIT_MS)


# Module scope, not session: while Playwright's sync API is running it holds an asyncio loop on
# the main thread, and tests in other folders that run their own loop must not meet it.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """A Playwright driver for one test module (it starts browsers; it downloads none)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """The system Chromium, headless."""
    chromium = launch(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone-sized page (English) in a fresh browser context."""
    context = browser.new_context(**PHONE, locale="en-US")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sdk(apertur_local: LocalApertur) -> Iterator[Apertur]:
    """The developer's side: the SDK with the bootstrap key of the (reset) local server."""
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        yield client
