"""On a 375 px phone, staff reach the content first: the navigation folds into "Menu",
opens without a script, and every page stays free of axe-core violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, ViewportSize, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.tests.factories import OrganisationFactory
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"
PHONE = ViewportSize(width=375, height=800)
WIDE = ViewportSize(width=1280, height=800)


def _member(role: str) -> str:
    user = UserFactory.create(email=f"{role}@example.org", full_name=f"Alex {role.title()}")
    Membership.objects.create(user=user, organisation=OrganisationFactory.create(), role=role)
    return user.email


def _url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def _heading_top(page: Page) -> float:
    box = page.locator("main h1").bounding_box()
    assert box is not None
    return float(box["y"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_content_starts_high_on_a_phone_and_the_menu_opens(
    page: Page, axe: Axe, language: str
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, _member(Role.STAFF), PASSWORD, language)
    menu_name = "Menu"

    for name in ("core:staff_home", "measurement:scorecard", "measurement:review_queue"):
        page.goto(_url(name, language))
        assert _heading_top(page) < 300, f"{page.url}: the heading starts too low"
    page.goto(_url("core:staff_home", language))
    nav = page.locator("nav.site-nav")
    links = nav.get_by_role("link")
    expect(links).to_have_count(0)  # folded: no link is shown before the menu opens
    assert_accessible(axe, page)

    nav.get_by_text(menu_name, exact=True).click()
    expect(nav.get_by_role("link").first).to_be_visible()
    assert nav.get_by_role("link").count() > 5
    assert_accessible(axe, page)
    nav.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.locator("main h1").is_visible()


def test_wide_screens_show_every_group_without_a_menu(page: Page, axe: Axe) -> None:
    page.set_viewport_size(WIDE)
    sign_in(page, _member(Role.STAFF), PASSWORD)

    nav = page.locator("nav.site-nav")
    expect(nav.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(nav.get_by_role("link", name="Scorecard")).to_be_visible()
    assert_accessible(axe, page)


def test_a_governance_member_finds_the_scorecard_and_the_report_card_on_a_phone(
    page: Page, axe: Axe
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, _member(Role.GOVERNANCE), PASSWORD)

    expect(page.locator("main")).to_contain_text("Where the scorecard stands")
    assert _heading_top(page) < 300
    assert_accessible(axe, page)
    nav = page.locator("nav.site-nav")
    nav.get_by_text("Menu", exact=True).click()
    expect(nav.get_by_role("link", name="Report card")).to_be_visible()
    nav.get_by_role("link", name="Scorecard").click()
    expect(page.locator("main h1")).to_contain_text("scorecard")
    assert_accessible(axe, page)
