"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Playwright cannot download its own browser here, so we launch the system `chromium`
(or CHROMIUM_PATH). Playwright's sync API runs an event loop in this thread, which
Django would otherwise mistake for async code touching the database.
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from collectif.core.demo import load_reference_data
from tests.e2e.policies import watch_policies

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Page]:
    # A flush between transactional tests empties the reference tables; refill them.
    load_reference_data()
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = watch_policies(page)
    yield page
    context.close()
    assert not refused, "the page's security policies refused something:\n" + "\n".join(refused)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page: Page, email: str, password: str, language: str = "en") -> None:
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
