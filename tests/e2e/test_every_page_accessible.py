"""axe-core on every page, in both languages, as someone allowed to see it.

The pages are the permission matrix's routes (every GET route an audience may open), with
its world of sample objects: a page added tomorrow is checked here without a line of this
file changing. Each page is opened once per language, as the first audience of
`AUDIENCES_TRIED` the matrix lets in, so staff pages, the steward's pages and public pages
are all seen. Write-only routes, downloads and the technical admin are left out (the
admin is Django's own).
"""

from collections.abc import Iterator
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from collectif.api.tests.test_permission_matrix import (
    Route,
    World,
    address,
    build_world,
    declarations,
    declared,
    url_routes,
)

AUDIENCES_TRIED = ("staff", "steward", "governance", "researcher", "no_role", "anonymous")
LANGUAGES = ("en", "fr")


def _pages(world: World, language: str) -> Iterator[tuple[str, str, str]]:
    """(route key, address, audience) for every GET page in one language."""
    table = declarations()
    with translation.override(language):
        routes: list[Route] = url_routes()
    for route in routes:
        rule = declared(route.key, table)
        if rule is None or rule.method != "GET" or not route.path.startswith(f"{language}/"):
            continue
        if route.key.startswith("admin:"):
            continue
        audience = next((a for a in AUDIENCES_TRIED if a in rule.allowed), None)
        if audience is not None:
            yield route.key, address(route, world), audience


def _as(page: Page, audience: str, world: World, base: str) -> None:
    page.context.clear_cookies()
    if audience != "anonymous":
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": world.sessions[audience], "url": base}]
        )


def test_every_page_passes_axe_in_both_languages(
    page: Page, axe: Axe, live_server: Any, tmp_path: Any
) -> None:
    with override_settings(MEDIA_ROOT=tmp_path):
        world = build_world()
        checked: list[str] = []
        failures: list[str] = []
        for language in LANGUAGES:
            for key, path, audience in _pages(world, language):
                _as(page, audience, world, live_server.url)
                try:
                    response = page.goto(path)
                except PlaywrightError as error:
                    if "Download is starting" in str(error):
                        continue  # a file, not a page
                    raise
                content_type = response.headers.get("content-type", "") if response else ""
                if response is None or response.status != 200 or "html" not in content_type:
                    continue
                checked.append(f"{key} ({language})")
                results = axe.run(page)
                if results.violations_count:
                    failures.append(f"{key} ({language}, {audience}):\n{results.generate_report()}")
    assert len(checked) > 80, f"only {len(checked)} pages opened: the walk lost its way"
    assert not failures, "\n\n".join(failures)
