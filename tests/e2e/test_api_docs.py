"""The API's documentation in a browser: /api/v1/docs leads to a page in the reader's
language, with its `lang`, every operation listed, and no accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible


@pytest.mark.parametrize(
    ("address", "lang", "heading", "operation"),
    [
        # The browser asks for English: the API's docs address leads to the English page.
        ("/api/v1/docs", "en-CA", "API documentation", "The 13 provinces and territories"),
        ("/fr/api/", "fr-CA", "Documentation de l’API", "Les 13 provinces et territoires"),
    ],
)
def test_the_api_docs_read_in_either_language_and_are_accessible(
    page: Page, axe: Axe, address: str, lang: str, heading: str, operation: str
) -> None:
    page.goto(address)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_role("heading", name=operation)).to_be_visible()
    expect(page.locator("code", has_text="/api/v1/organisations/{slug}").first).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="OpenAPI").click()
    page.wait_for_load_state()
    assert page.url.endswith("/api/v1/openapi.json")
